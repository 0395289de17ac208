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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The HTTP client of the platform API (contract 04). Thread-safe; every call blocks, so call it off the FX thread. */
public final class PlatformClient {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformClient.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final HttpUrl api;
    private final OkHttpClient http;

    public PlatformClient(URI baseUrl, HttpTransport transport) {
        HttpUrl base = HttpUrl.get(baseUrl.toString());
        this.api = base.newBuilder().addPathSegments("api/v1").build();
        this.http = Objects.requireNonNull(transport).client();
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

    private static PlatformException protocol(String message) {
        return new PlatformException(PlatformException.Kind.PROTOCOL, 200, null, message, null);
    }

    private static String text(JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw new IllegalArgumentException(field + " missing");
        return v.asText();
    }

    private JsonNode post(HttpUrl url, JsonNode body) throws PlatformException {
        Request req = new Request.Builder().url(url).post(RequestBody.create(Json.write(body), JSON)).build();
        return execute(req);
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
            PlatformException.Kind kind = resp.code() == 401 ? PlatformException.Kind.UNAUTHORIZED
                    : resp.code() >= 500 || resp.code() == 429 ? PlatformException.Kind.SERVER : PlatformException.Kind.REFUSED;
            throw new PlatformException(kind, resp.code(), code, detail, null);
        } catch (IOException e) {
            throw new PlatformException(PlatformException.Kind.NETWORK, 0, null, e.getMessage(), e);
        }
    }
}
