package cn.crb.domain.standards;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the bundle entry a basis clause names ({@code <version>:<path>}, as written by the evaluator), so that a
 * reviewer can click a clause and read the rule itself. Keyed lists are addressed as {@code list[KEY]}
 * ({@code vocational.equivalences[CERT/LEVEL]} for equivalences); everything else as a dotted path.
 */
public final class BasisLookup {
    private BasisLookup() {}

    private static final Map<String, String[]> KEYS = Map.of(
            "catalogue", new String[]{"code"},
            "institutions", new String[]{"code"},
            "vocational.equivalences", new String[]{"certificateCode", "level"},
            "social.scenarios", new String[]{"code"},
            "conversionRules", new String[]{"id"},
            "qualificationFramework", new String[]{"level"});

    /** The version a clause cites, e.g. {@code 2026.1}; empty when the clause has no version prefix. */
    public static Optional<String> version(String clause) {
        int c = clause.indexOf(':');
        return c <= 0 ? Optional.empty() : Optional.of(clause.substring(0, c));
    }

    public static Optional<JsonNode> entry(StandardsBundle bundle, String clause) {
        String path = clause.substring(clause.indexOf(':') + 1);
        JsonNode payload = bundle.payloadJson();
        int bracket = path.indexOf('[');
        if (bracket > 0 && path.endsWith("]")) {
            String list = path.substring(0, bracket);
            String key = path.substring(bracket + 1, path.length() - 1);
            String[] fields = KEYS.get(list);
            JsonNode array = at(payload, list);
            if (fields == null || array == null || !array.isArray()) return Optional.empty();
            for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
                JsonNode e = it.next();
                StringBuilder k = new StringBuilder();
                for (String f : fields) {
                    if (!k.isEmpty()) k.append('/');
                    k.append(e.path(f).asText());
                }
                if (k.toString().equals(key)) return Optional.of(e);
            }
            return Optional.empty();
        }
        return Optional.ofNullable(at(payload, path));
    }

    private static JsonNode at(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String part : dotted.split("\\.")) {
            if (n == null) return null;
            n = n.get(part);
        }
        return n == null || n.isMissingNode() ? null : n;
    }
}
