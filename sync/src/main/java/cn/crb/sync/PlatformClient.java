package cn.crb.sync;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm2;
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
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The HTTP client of the platform API (contract 04). Thread-safe; every call blocks, so call it off the FX thread.
 * A client made with a bearer token ({@link #withToken}) sends it on every request; the token is never logged nor
 * shown by {@link #toString()}. Answers are parsed but not trusted: signatures and proofs are checked by the caller.
 */
public final class PlatformClient {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformClient.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final HttpUrl api;
    private final OkHttpClient http;
    private final String token;

    public PlatformClient(URI baseUrl, HttpTransport transport) {
        this(baseUrl, transport, null);
    }

    /** A client that sends {@code Authorization: Bearer <token>} on every request ({@code token} null: none). */
    public PlatformClient(URI baseUrl, HttpTransport transport, String token) {
        Objects.requireNonNull(transport).check(baseUrl);
        HttpUrl base = HttpUrl.get(baseUrl.toString());
        this.api = base.newBuilder().addPathSegments("api/v1").build();
        this.http = Objects.requireNonNull(transport).client();
        this.token = token;
    }

    private PlatformClient(HttpUrl api, OkHttpClient http, String token) {
        this.api = api;
        this.http = http;
        this.token = token;
    }

    /** The same client carrying {@code token}. */
    public PlatformClient withToken(String token) {
        return new PlatformClient(api, http, Objects.requireNonNull(token, "token"));
    }

    @Override
    public String toString() {
        return "PlatformClient[" + api + (token == null ? "" : ", with token") + "]";
    }

    /** One line of {@code GET /standards}. */
    public record StandardsListing(String version, String effectiveFrom, String sm3) {}

    /** One item of an assignments page: {@code kind} UPSERT or WITHDRAWN, and the case document. */
    public record AssignmentItem(String kind, String caseId, JsonNode caseJson) {
        public boolean withdrawn() { return "WITHDRAWN".equals(kind); }
    }

    /** A page of {@code GET /assignments}. */
    public record AssignmentsPage(List<AssignmentItem> items, String nextCursor, boolean hasMore) {
        public AssignmentsPage {
            items = List.copyOf(items);
        }
    }

    /** One per-item result of {@code POST /envelopes}; {@code receipt} is null unless ACCEPTED or DUPLICATE. */
    public record PushResult(int index, String envelopeSm3, String status, String code, String detail, JsonNode receipt) {}

    /** A consistency proof: hashes as lowercase hex, as sent. */
    public record ConsistencyProof(long from, long to, List<String> proof) {
        public ConsistencyProof {
            proof = List.copyOf(proof);
        }
    }

    /** {@code GET /standards}: the versions published, oldest first. */
    public List<StandardsListing> listStandards() throws PlatformException {
        JsonNode r = get(api.newBuilder().addPathSegment("standards").build());
        if (!r.isArray()) throw protocol("the standards listing is not an array");
        List<StandardsListing> out = new ArrayList<>();
        for (JsonNode n : r) {
            try {
                out.add(new StandardsListing(text(n, "version"), n.path("effectiveFrom").asText(null), text(n, "sm3")));
            } catch (IllegalArgumentException e) {
                throw protocol("malformed standards listing: " + e.getMessage());
            }
        }
        return out;
    }

    /** {@code GET /standards/{version}}: the signed bundle envelope, unverified. */
    public JsonNode getStandards(String version) throws PlatformException {
        return get(api.newBuilder().addPathSegment("standards").addPathSegment(version).build());
    }

    /** {@code GET /assignments?cursor=&limit=}; {@code cursor} null for the start. */
    public AssignmentsPage assignments(String cursor, int limit) throws PlatformException {
        HttpUrl.Builder u = api.newBuilder().addPathSegment("assignments").addQueryParameter("limit", Integer.toString(limit));
        if (cursor != null) u.addQueryParameter("cursor", cursor);
        JsonNode r = get(u.build());
        JsonNode items = r.get("items");
        if (items == null || !items.isArray()) throw protocol("the assignments page has no items array");
        List<AssignmentItem> out = new ArrayList<>();
        for (JsonNode it : items) {
            JsonNode c = it.get("case");
            String kind = it.path("kind").asText("");
            if (c == null || !c.isObject() || !c.path("caseId").isTextual() || !(kind.equals("UPSERT") || kind.equals("WITHDRAWN"))) {
                throw protocol("malformed assignment item");
            }
            out.add(new AssignmentItem(kind, c.get("caseId").asText(), c));
        }
        JsonNode next = r.get("nextCursor");
        return new AssignmentsPage(out, next == null || next.isNull() ? cursor : next.asText(), r.path("hasMore").asBoolean(false));
    }

    /**
     * {@code POST /envelopes} with {@code Idempotency-Key}: the same key with the same items returns the same results.
     * Results come back in item order, checked to be one per item.
     */
    public List<PushResult> pushEnvelopes(String idempotencyKey, List<JsonNode> items) throws PlatformException {
        ObjectNode body = Json.object();
        body.putArray("items").addAll(items);
        Request req = authorised(new Request.Builder().url(api.newBuilder().addPathSegment("envelopes").build())
                .header("Idempotency-Key", idempotencyKey).post(RequestBody.create(Json.write(body), JSON))).build();
        JsonNode r = execute(req);
        JsonNode results = r.get("results");
        if (results == null || !results.isArray() || results.size() != items.size()) {
            throw protocol("expected " + items.size() + " results, got " + (results == null ? "none" : results.size()));
        }
        List<PushResult> out = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            JsonNode n = results.get(i);
            if (n.path("index").asInt(-1) != i) throw protocol("result " + i + " is out of order");
            JsonNode receipt = n.get("receipt");
            out.add(new PushResult(i, n.path("envelopeSm3").asText(), n.path("status").asText(),
                    n.path("code").isTextual() ? n.get("code").asText() : null,
                    n.path("detail").isTextual() ? n.get("detail").asText() : null,
                    receipt == null || receipt.isNull() ? null : receipt));
        }
        return out;
    }

    /** {@code GET /log/tree-head}: the latest signed tree head, unverified. */
    public JsonNode treeHead() throws PlatformException {
        return get(api.newBuilder().addPathSegments("log/tree-head").build());
    }

    /** {@code GET /log/consistency?from=&to=}. */
    public ConsistencyProof consistency(long from, long to) throws PlatformException {
        JsonNode r = get(api.newBuilder().addPathSegments("log/consistency")
                .addQueryParameter("from", Long.toString(from)).addQueryParameter("to", Long.toString(to)).build());
        JsonNode proof = r.get("proof");
        if (proof == null || !proof.isArray()) throw protocol("the consistency answer has no proof array");
        List<String> hashes = new ArrayList<>();
        proof.forEach(h -> hashes.add(h.asText()));
        return new ConsistencyProof(r.path("from").asLong(-1), r.path("to").asLong(-1), hashes);
    }

    /**
     * Enrols this workstation's key with a single-use code. The answer is checked before it is returned: the platform
     * key id matches its key, and the signed profile restates this person and this key.
     */
    public Enrolment enrol(String enrolmentCode, String publicKeyPem, String deviceName) throws PlatformException {
        ObjectNode body = Json.object();
        body.put("enrolmentCode", enrolmentCode.trim());
        body.put("publicKeyPem", publicKeyPem);
        body.put("deviceName", deviceName);
        JsonNode r = post(api.newBuilder().addPathSegment("enrolments").build(), body);
        try {
            String platformPem = text(r, "platformPublicKeyPem");
            PublicKey platformKey = Sm2.fromPem(platformPem);
            String platformKeyId = text(r, "platformKeyId");
            if (!Sm2.keyId(platformKey).equals(platformKeyId)) throw protocol("platformKeyId does not match platformPublicKeyPem");
            Envelope profile = Envelope.fromJson(r.get("profile"));
            if (!"creditbank.profile/1".equals(profile.type())) throw protocol("profile is not a creditbank.profile/1 envelope");
            Envelope.Verification v = profile.verify((keyId, role) -> keyId.equals(platformKeyId) ? platformKey : null);
            if (!v.ok()) throw protocol("the signed profile does not verify against the platform key: " + v.detail());
            String myKeyId = Sm2.keyId(Sm2.fromPem(publicKeyPem));
            if (!myKeyId.equals(profile.payload().path("keyId").asText())) throw protocol("the signed profile names another key");
            String personId = text(r, "personId");
            if (!personId.equals(profile.payload().path("personId").asText())) throw protocol("the signed profile names another person");
            List<String> roles = new ArrayList<>();
            // roles are taken from the signed profile, not from the unsigned part of the answer
            profile.payload().path("roles").forEach(n -> roles.add(n.asText()));
            if (roles.isEmpty()) throw protocol("the signed profile grants no role");
            JsonNode inst = r.get("institution");
            return new Enrolment(personId, text(r, "displayName"), roles, inst == null || inst.isNull() ? null : inst.asText(),
                    text(r, "token"), platformPem, platformKeyId, profile);
        } catch (IllegalArgumentException | Sm2.CryptoException e) {
            throw protocol("malformed enrolment answer: " + e.getMessage());
        }
    }

    /** True when the platform answers HTTP at all (any status): the network path to it works. */
    public boolean reachable() {
        Request req = new Request.Builder().url(api.newBuilder().addPathSegment("standards").build()).get().build();
        try (Response resp = http.newCall(req).execute()) {
            return resp.code() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What an answer's status means: 401 UNAUTHORIZED; 5xx and 429 SERVER (retried); a redirect (3xx, never followed:
     * {@link HttpTransport}) PROTOCOL, like any answer outside the contract, so that nothing is marked refused on it;
     * any other REFUSED.
     */
    static PlatformException.Kind kindOf(int status) {
        if (status == 401) return PlatformException.Kind.UNAUTHORIZED;
        if (status >= 500 || status == 429) return PlatformException.Kind.SERVER;
        if (status >= 300 && status < 400) return PlatformException.Kind.PROTOCOL;
        return PlatformException.Kind.REFUSED;
    }

    static String redirected(int status, String location) {
        return "the platform's address answered " + status + ", sending this workstation to " + (location == null ? "another address" : location)
                + "; redirects are not followed: configure the platform's own address";
    }

    private static PlatformException protocol(String message) {
        return new PlatformException(PlatformException.Kind.PROTOCOL, 200, null, message, null);
    }

    private static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw new IllegalArgumentException(field + " missing");
        return v.asText();
    }

    private JsonNode post(HttpUrl url, JsonNode body) throws PlatformException {
        Request req = authorised(new Request.Builder().url(url).post(RequestBody.create(Json.write(body), JSON))).build();
        return execute(req);
    }

    private JsonNode get(HttpUrl url) throws PlatformException {
        return execute(authorised(new Request.Builder().url(url).get()).build());
    }

    private Request.Builder authorised(Request.Builder b) {
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    /** A Retry-After is read as at most a day (a larger one is as good as "not today", and cannot overflow). */
    static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) return null;
        String h = header.trim();
        try {
            long s = Long.parseLong(h);
            return s < 0 ? null : Duration.ofSeconds(Math.min(s, MAX_RETRY_AFTER.toSeconds()));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** Receives the bytes of an evidence download as they arrive; {@code offset} is where {@code chunk} starts in the file. */
    public interface EvidenceSink {
        void accept(long offset, byte[] chunk);
    }

    /**
     * {@code GET /evidence/{sm3}} from byte {@code from} on (a {@code Range} request when {@code from > 0}), handing the
     * bytes to {@code sink} in chunks as they arrive, so that a dropped connection loses nothing already received.
     * A platform that ignores the range answers 200 with the whole file: the sink then sees offset 0 again. Returns
     * the media type. Unverified: the caller checks the SM3 of the whole.
     */
    public String evidence(String sm3, long from, EvidenceSink sink) throws PlatformException {
        Request.Builder b = authorised(new Request.Builder().url(api.newBuilder().addPathSegment("evidence").addPathSegment(sm3).build()).get());
        if (from > 0) b.header("Range", "bytes=" + from + "-");
        Request req = b.build();
        try (Response resp = http.newCall(req).execute()) {
            if (resp.code() != 200 && resp.code() != 206) {
                execute(req); // turns the refusal into the usual PlatformException
                throw protocol("unexpected status " + resp.code() + " for evidence " + sm3);
            }
            long offset = resp.code() == 206 ? from : 0;
            String type = resp.header("Content-Type", "application/octet-stream");
            try (java.io.InputStream in = resp.body().byteStream()) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf, 0, buf.length)) > 0) { // what has arrived is kept before reading on
                    sink.accept(offset, java.util.Arrays.copyOf(buf, n));
                    offset += n;
                }
            }
            return type;
        } catch (IOException e) {
            throw ioFailure(e); // a certificate that matches no pin is UNTRUSTED, not a dropped connection to retry
        }
    }

    private JsonNode execute(Request req) throws PlatformException {
        try (Response resp = http.newCall(req).execute()) {
            String text = resp.body().string();
            if (resp.isSuccessful()) {
                try {
                    return Json.parse(text);
                } catch (Json.MalformedJsonException e) {
                    throw new PlatformException(PlatformException.Kind.PROTOCOL, resp.code(), null, "the platform's answer is not JSON", e);
                }
            }
            String code = null;
            String detail = resp.message();
            try {
                JsonNode p = Json.parse(text);
                code = p.path("code").isTextual() ? p.get("code").asText() : null;
                detail = p.path("detail").isTextual() ? p.get("detail").asText() : p.path("title").asText(detail);
            } catch (Json.MalformedJsonException ignored) {
                // not a problem document: keep the HTTP reason
            }
            LOG.info("{} {} -> {} {}", req.method(), req.url().encodedPath(), resp.code(), code);
            if (resp.isRedirect()) detail = redirected(resp.code(), resp.header("Location"));
            throw new PlatformException(kindOf(resp.code()), resp.code(), code, detail, null, retryAfter(resp.header("Retry-After"), Instant.now()));
        } catch (IOException e) {
            throw ioFailure(e);
        }
    }

    /**
     * What a failed request's I/O error means: a platform whose certificate is refused (it matches no pin, it or its
     * issuer has expired) or fails hostname verification is UNTRUSTED, which is not retried; anything else is NETWORK.
     */
    static PlatformException ioFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException || t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return new PlatformException(PlatformException.Kind.UNTRUSTED, 0, null, "TLS: " + t.getMessage(), e);
            }
        }
        return new PlatformException(PlatformException.Kind.NETWORK, 0, null, e.getMessage(), e);
    }
}
