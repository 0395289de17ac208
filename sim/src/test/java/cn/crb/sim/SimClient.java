package cn.crb.sim;

import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;

/** A tiny test client over java.net.http. */
final class SimClient {
    /** A response: status, body bytes, and the body as JSON where it is JSON. */
    record Answer(int status, HttpResponse<byte[]> raw) {
        JsonNode json() { return Json.parse(raw.body()); }
        String contentType() { return raw.headers().firstValue("Content-Type").orElse(""); }
        byte[] bytes() { return raw.body(); }
    }

    /** A device enrolled for a person: its key pair, token and the enrolment answer. */
    record Device(KeyPair keys, String token, JsonNode enrolment) {
        String keyId() { return Sm2.keyId(keys.getPublic()); }
        String personId() { return enrolment.path("personId").asText(); }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    SimClient(URI base) {
        this.base = base;
    }

    Answer get(String path, String token, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET().timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    Answer post(String path, JsonNode body, String token, String... headers) {
        return send("POST", path, body, token, headers);
    }

    Answer send(String method, String path, JsonNode body, String token, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8))
                .header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    private Answer send(HttpRequest req) {
        try {
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer enrolRaw(String code, KeyPair keys) {
        ObjectNode b = Json.object();
        b.put("enrolmentCode", code);
        b.put("publicKeyPem", Sm2.toPem(keys.getPublic()));
        b.put("deviceName", "test laptop");
        return post("/api/v1/enrolments", b, null);
    }

    Device enrol(String code) {
        KeyPair keys = Sm2.generate();
        Answer a = enrolRaw(code, keys);
        if (a.status() != 201) throw new IllegalStateException("enrolment failed: " + a.status() + " " + new String(a.bytes(), StandardCharsets.UTF_8));
        return new Device(keys, a.json().path("token").asText(), a.json());
    }

    static PlatformSim.DemoPerson person(PlatformSim sim, String role) {
        return sim.demoPeople().stream().filter(p -> p.roles().contains(role)).findFirst().orElseThrow();
    }
}
