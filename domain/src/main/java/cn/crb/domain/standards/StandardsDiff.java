package cn.crb.domain.standards;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two standards versions — the annual revision reviewers must learn. Entries of keyed lists
 * (catalogue by code, institutions by code, equivalences by certificate/level, scenarios by code, rules by id,
 * framework levels by level, province keys by province) are matched by key; everything else is compared field by
 * field. The result lists added, removed and changed entries in payload order.
 */
public final class StandardsDiff {
    private StandardsDiff() {}

    /** ADDED, REMOVED or CHANGED. */
    public enum Kind { ADDED, REMOVED, CHANGED }

    /**
     * One difference: the section (e.g. {@code catalogue}), the entry key (or field path), canonical JSON before/after,
     * and for a changed entry the fields that changed ({@code maxCredits: "3" → "2"}).
     */
    public record Change(String section, String key, Kind kind, String before, String after, String summary) {
        Change(String section, String key, Kind kind, String before, String after) {
            this(section, key, kind, before, after, summarize(kind, before, after));
        }
    }

    private static String summarize(Kind kind, String before, String after) {
        if (kind != Kind.CHANGED) return kind == Kind.ADDED ? after : before;
        JsonNode a = Json.parse(before);
        JsonNode b = Json.parse(after);
        if (!a.isObject() || !b.isObject()) return before + " → " + after;
        List<String> parts = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            String x = a.has(n) ? text(a.get(n)) : "—";
            String y = b.has(n) ? text(b.get(n)) : "—";
            if (!x.equals(y)) parts.add(n + ": " + x + " → " + y);
        }
        return String.join("; ", parts);
    }

    private static final Map<String, String[]> KEYS = Map.of(
            "qualificationFramework", new String[]{"level"},
            "catalogue", new String[]{"code"},
            "institutions", new String[]{"code"},
            "vocational.equivalences", new String[]{"certificateCode", "level"},
            "social.scenarios", new String[]{"code"},
            "conversionRules", new String[]{"id"},
            "keys", new String[]{"province"});

    public static List<Change> between(StandardsBundle from, StandardsBundle to) {
        List<Change> out = new ArrayList<>();
        diff("", from.payloadJson(), to.payloadJson(), out);
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<Change> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                if (path.isEmpty() && (n.equals("version") || n.equals("supersedes") || n.equals("effectiveFrom") || n.equals("effectiveUntil"))) continue;
                diff(path.isEmpty() ? n : path + "." + n, a.get(n), b.get(n), out);
            }
            return;
        }
        String[] key = KEYS.get(path);
        if (key != null && a != null && b != null && a.isArray() && b.isArray()) {
            Map<String, JsonNode> left = index(a, key);
            Map<String, JsonNode> right = index(b, key);
            for (Map.Entry<String, JsonNode> e : left.entrySet()) {
                JsonNode r = right.get(e.getKey());
                if (r == null) out.add(new Change(path, e.getKey(), Kind.REMOVED, text(e.getValue()), null));
                else if (!text(r).equals(text(e.getValue()))) {
                    out.add(new Change(path, e.getKey(), Kind.CHANGED, text(e.getValue()), text(r)));
                }
            }
            for (Map.Entry<String, JsonNode> e : right.entrySet()) {
                if (!left.containsKey(e.getKey())) out.add(new Change(path, e.getKey(), Kind.ADDED, null, text(e.getValue())));
            }
            return;
        }
        String before = a == null || a.isMissingNode() ? null : text(a);
        String after = b == null || b.isMissingNode() ? null : text(b);
        if (before == null && after == null) return;
        if (before == null) out.add(new Change(section(path), path, Kind.ADDED, null, after));
        else if (after == null) out.add(new Change(section(path), path, Kind.REMOVED, before, null));
        else if (!before.equals(after)) out.add(new Change(section(path), path, Kind.CHANGED, before, after));
    }

    /** Canonical JSON of an entry (JCS for objects and arrays; plain JSON for a scalar). */
    private static String text(JsonNode n) {
        return n.isContainerNode() ? Json.canonicalString(n) : Json.write(n);
    }

    private static String section(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    private static Map<String, JsonNode> index(JsonNode array, String[] key) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            JsonNode e = it.next();
            StringBuilder k = new StringBuilder();
            for (String f : key) {
                if (!k.isEmpty()) k.append('/');
                k.append(e.path(f).asText());
            }
            m.put(k.toString(), e);
        }
        return m;
    }
}
