package cn.crb.app.profile;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The public part of a profile, readable without the passphrase (what the unlock screen and {@code crb profile show}
 * print): who, which roles, which key, which platform. Nothing secret: the keystore and the database stay locked.
 */
public record ProfileSummary(String id, String personId, String displayName, String institution, List<String> roles,
                             String keyId, String platformUrl, String platformKeyId, String createdAt) {
    public ProfileSummary {
        roles = List.copyOf(roles);
    }

    public JsonNode toJson() {
        ObjectNode o = Json.object();
        o.put("format", "crb.profile-summary/1");
        o.put("id", id);
        o.put("personId", personId);
        o.put("displayName", displayName);
        o.put("institution", institution);
        roles.forEach(o.putArray("roles")::add);
        o.put("keyId", keyId);
        o.put("platformUrl", platformUrl);
        o.put("platformKeyId", platformKeyId);
        o.put("createdAt", createdAt);
        return o;
    }

    public static ProfileSummary fromJson(JsonNode n) {
        List<String> roles = new ArrayList<>();
        n.path("roles").forEach(r -> roles.add(r.asText()));
        return new ProfileSummary(n.path("id").asText(), n.path("personId").asText(), n.path("displayName").asText(),
                n.path("institution").isNull() ? null : n.path("institution").asText(null), roles, n.path("keyId").asText(),
                n.path("platformUrl").asText(), n.path("platformKeyId").asText(), n.path("createdAt").asText());
    }
}
