package cn.crb.sync;

import cn.crb.domain.bulk.BatchChunker;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The HTTP client of the bulk submission batches of contract 04, with the clerk's bearer token. Every call is
 * idempotent on the platform (batchId chosen by the workstation, chunks keyed by number and sm3, completion returning
 * the stored result), so network errors, 5xx and 429 are retried per {@link RetryPolicy}, honouring
 * {@code Retry-After}. Thread-safe; every call blocks, so call it off the FX thread.
 */
public final class BatchClient {
    private static final Logger LOG = LoggerFactory.getLogger(BatchClient.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final HttpUrl batches;
    private final OkHttpClient http;
    private final String token;
    private final RetryPolicy retry;
    private final java.util.function.BooleanSupplier cancelled;

    /**
     * Thrown when the person cancels while a request waits to be retried (a pause of up to the policy's longest, e.g.
     * after a 503 with a Retry-After): the wait ends within a tenth of a second and nothing more is sent.
     */
    public static final class Cancelled extends RuntimeException {
        Cancelled() { super("cancelled while waiting to retry", null, false, false); }
    }

    /** @throws IllegalArgumentException for an address {@code transport} must not talk to ({@link HttpTransport#check}) */
    public BatchClient(URI baseUrl, HttpTransport transport, String token, RetryPolicy retry) {
        this(baseUrl, transport, token, retry, () -> false);
    }

    /**
     * As {@link #BatchClient(URI, HttpTransport, String, RetryPolicy)}; a pause between retries ends with {@link Cancelled}
     * once {@code cancelled} is true.
     */
    public BatchClient(URI baseUrl, HttpTransport transport, String token, RetryPolicy retry, java.util.function.BooleanSupplier cancelled) {
        // the same rule as PlatformClient's: plain http only to loopback, https only with pins
        Objects.requireNonNull(transport).check(baseUrl);
        this.batches = HttpUrl.get(baseUrl.toString()).newBuilder().addPathSegments("api/v1/batches").build();
        this.http = Objects.requireNonNull(transport).client();
        this.token = Objects.requireNonNull(token);
        this.retry = retry == null ? RetryPolicy.DEFAULT : retry;
        this.cancelled = Objects.requireNonNull(cancelled);
    }

    /** What the platform holds of a batch: the chunk numbers received, RECEIVING or COMPLETE, and the chunk count. */
    public record BatchStatus(String batchId, Set<Integer> received, String state, int chunkCount) {
        public BatchStatus {
            received = Set.copyOf(received);
        }
    }

    /** The platform's verdict on one row: ACCEPTED, or REFUSED with a code (ROW_INVALID, ALREADY_ON_ACCOUNT). */
    public record RowResult(long rowNumber, String status, String code) {}

    /** The answer to completion: per-row results and the transparency-log receipt of the completion envelope. */
    public record Completion(String batchId, String state, List<RowResult> results, JsonNode receipt) {
        public Completion {
            results = List.copyOf(results);
        }
    }

    /** {@code POST /batches}: creates the batch, or returns it when it exists with the same parameters. */
    public BatchStatus create(String batchId, String institution, long rowCount, int chunkSize, String fileSm3, JsonNode keyEnvelope)
            throws PlatformException {
        ObjectNode b = Json.object();
        b.put("batchId", batchId);
        b.put("institution", institution);
        b.put("rowCount", rowCount);
        b.put("chunkSize", chunkSize);
        b.put("fileSm3", fileSm3);
        b.set("keyEnvelope", keyEnvelope);
        return status(send(new Request.Builder().url(batches).post(body(b))));
    }

    /** {@code GET /batches/{id}}: what the platform received (the way to resume). */
    public BatchStatus status(String batchId) throws PlatformException {
        return status(send(new Request.Builder().url(batches.newBuilder().addPathSegment(batchId).build()).get()));
    }

    /** {@code PUT /batches/{id}/chunks/{n}}. */
    public BatchStatus putChunk(String batchId, BatchChunker.Chunk chunk) throws PlatformException {
        HttpUrl url = batches.newBuilder().addPathSegment(batchId).addPathSegment("chunks").addPathSegment(Integer.toString(chunk.n())).build();
        return status(send(new Request.Builder().url(url).put(body(chunk.body()))));
    }

    /** {@code POST /batches/{id}/complete} with the signed submission envelope. */
    public Completion complete(String batchId, Envelope signed) throws PlatformException {
        HttpUrl url = batches.newBuilder().addPathSegment(batchId).addPathSegment("complete").build();
        JsonNode r = send(new Request.Builder().url(url).post(body(signed.toJson())));
        List<RowResult> results = new ArrayList<>();
        for (JsonNode n : r.path("results")) {
            results.add(new RowResult(n.path("rowNumber").asLong(), n.path("status").asText(), n.path("code").isTextual() ? n.get("code").asText() : null));
        }
        return new Completion(r.path("batchId").asText(), r.path("state").asText(), results, r.get("receipt"));
    }

    private static RequestBody body(JsonNode n) {
        return RequestBody.create(Json.write(n), JSON);
    }

    private static BatchStatus status(JsonNode r) {
        Set<Integer> received = new TreeSet<>();
        r.path("received").forEach(n -> received.add(n.asInt()));
        return new BatchStatus(r.path("batchId").asText(), received, r.path("state").asText(), r.path("chunkCount").asInt());
    }

    private JsonNode send(Request.Builder builder) throws PlatformException {
        Request req = builder.header("Authorization", "Bearer " + token).build();
        for (int attempt = 1; ; attempt++) {
            Duration retryAfter = null;
            PlatformException failure;
            try (Response resp = http.newCall(req).execute()) {
                String text = resp.body().string();
                if (resp.isSuccessful()) {
                    try {
                        return Json.parse(text);
                    } catch (Json.MalformedJsonException e) {
                        throw new PlatformException(PlatformException.Kind.PROTOCOL, resp.code(), null, "the platform's answer is not JSON", e);
                    }
                }
                retryAfter = PlatformClient.retryAfter(resp.header("Retry-After"), java.time.Instant.now());
                failure = problem(resp.code(), text, resp.isRedirect() ? PlatformClient.redirected(resp.code(), resp.header("Location")) : resp.message(), retryAfter);
            } catch (IOException e) {
                failure = PlatformClient.ioFailure(e); // a certificate that matches no pin is UNTRUSTED, not retried
            }
            boolean retryable = failure.kind() == PlatformException.Kind.NETWORK || failure.kind() == PlatformException.Kind.SERVER;
            if (!retryable || attempt >= retry.maxAttempts()) throw failure;
            // the platform asked for a longer pause than this policy waits: it is not asked again before then (the
            // failure carries the time; the upload resumes from what the platform holds whenever it is started again)
            if (retryAfter != null && retryAfter.compareTo(retry.maxBackoff()) > 0) throw failure;
            // no hint, or none worth the name (0 s, a date already past on this clock): the policy's backoff
            Duration pause = retry.delay(attempt, retryAfter == null || retryAfter.toSeconds() <= 0 ? -1 : retryAfter.toSeconds());
            LOG.info("{} {} failed ({} {}), retry {} in {} ms", req.method(), req.url().encodedPath(), failure.kind(), failure.httpStatus(),
                    attempt, pause.toMillis());
            long until = System.nanoTime() + pause.toNanos();
            try {
                for (long left; (left = until - System.nanoTime()) > 0; ) {
                    if (cancelled.getAsBoolean()) throw new Cancelled();
                    Thread.sleep(Duration.ofNanos(Math.min(left, 100_000_000L)));
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw failure;
            }
            if (cancelled.getAsBoolean()) throw new Cancelled();
        }
    }

    private static PlatformException problem(int status, String text, String reason, Duration retryAfter) {
        String code = null;
        String detail = reason;
        try {
            JsonNode p = Json.parse(text);
            code = p.path("code").isTextual() ? p.get("code").asText() : null;
            detail = p.path("detail").isTextual() ? p.get("detail").asText() : p.path("title").asText(detail);
        } catch (Json.MalformedJsonException ignored) {
            // not a problem document: keep the HTTP reason
        }
        return new PlatformException(PlatformClient.kindOf(status), status, code, detail, null, retryAfter);
    }
}
