package cn.crb.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generators of valid standards payloads and cases, starting from the published example bundle. Every
 * generated value goes through {@code StandardsBundle.fromPayload} / {@code RecognitionCase.fromJson}, so a
 * generator bug shows up as a validation error naming the field. Same seed, same JSON.
 */
public final class Generated {
    private static final String[] CATEGORIES = {"ACADEMIC", "VOCATIONAL", "SOCIAL"};
    private static final String[] LEVELS = {"JUNIOR", "MIDDLE", "SENIOR", "L1", "L2", "L3", "L4", "L5", "PASS"};
    private static final String[] STEPS = {"0.5", "1", "0.25", "0.1", "2", "0.5", "0.5"};
    private static final String[] PROGRAMME_INSTITUTIONS = {"JSOU", "SHOU", "NJU-CE", "GEN-UNI-01", "JSOU", "JSOU"};
    private static final LocalDate EFFECTIVE_FROM = LocalDate.parse("2026-01-01");

    private Generated() {}

    /** The sizes of the generated parts of a bundle (added to the example's own entries). */
    public record Sizes(int catalogue, int equivalences, int rules, int institutions) {
        public static Sizes small(Random r) { return new Sizes(r.nextInt(40), r.nextInt(30), r.nextInt(40), r.nextInt(6)); }
    }

    /** A payload with exactly these totals of catalogue entries, equivalences and conversion rules (example's included). */
    public static ObjectNode bundleOfSize(Random r, int catalogue, int equivalences, int rules) {
        ObjectNode example = Examples.standardsJson();
        return bundle(r, new Sizes(catalogue - example.get("catalogue").size(),
                equivalences - example.get("vocational").get("equivalences").size(), rules - example.get("conversionRules").size(), 0));
    }

    /** A valid payload: the example bundle with catalogue, equivalences, rules, institutions, limits and rates varied. */
    public static ObjectNode bundle(Random r, Sizes sizes) {
        ObjectNode p = Examples.standardsJson();
        ArrayNode catalogue = p.withArray("catalogue");
        for (int i = 0; i < sizes.catalogue(); i++) {
            String category = pick(r, CATEGORIES);
            ObjectNode e = catalogue.addObject();
            e.put("code", category.substring(0, 2) + "-GEN-" + String.format("%05d", i));
            e.put("category", category);
            e.put("name", "生成条目 " + i);
            e.put("qfLevel", 1 + r.nextInt(7));
            if (r.nextInt(10) == 0) {
                e.put("status", "RETIRED");
                e.put("retiredOn", EFFECTIVE_FROM.minusDays(200).plusDays(r.nextInt(900)).toString());
            } else {
                e.put("status", "ACTIVE");
                e.putNull("retiredOn");
            }
        }
        ArrayNode institutions = p.withArray("institutions");
        for (JsonNode n : institutions) {
            if (r.nextInt(8) == 0) ((ObjectNode) n).put("status", pick(r, "ACTIVE", "SUSPENDED", "BLACKLISTED"));
        }
        for (int i = 0; i < sizes.institutions(); i++) {
            ObjectNode e = institutions.addObject();
            e.put("code", "GEN-ORG-" + i);
            e.put("name", "生成机构 " + i);
            e.put("kind", pick(r, "UNIVERSITY", "TRAINING_ORG", "INDUSTRY_ORG"));
            e.put("province", pick(r, "JS", "SH", "GD"));
            e.put("status", r.nextInt(5) == 0 ? pick(r, "SUSPENDED", "BLACKLISTED") : "ACTIVE");
        }
        ObjectNode academic = p.withObject("academic");
        ObjectNode hpc = academic.withObject("hoursPerCredit");
        hpc.put("THEORY", pick(r, "16", "18", "20.5", "16"));
        hpc.put("PRACTICE", pick(r, "32", "24", "30", "32"));
        hpc.put("MIXED", pick(r, "24", "20", "17.5"));
        academic.put("minPassingScore", pick(r, "60", "59.5", "70", "60"));
        ObjectNode vocational = p.withObject("vocational");
        ArrayNode equivalences = vocational.withArray("equivalences");
        Set<String> keys = new HashSet<>();
        for (JsonNode e : equivalences) keys.add(e.get("certificateCode").asText() + "/" + e.get("level").asText());
        for (int i = 0; keys.size() < 11 + sizes.equivalences(); i++) {
            String cert = "CERT-" + String.format("%04d", sizes.equivalences() <= 40 ? r.nextInt(12) : i / 3);
            String level = pick(r, LEVELS);
            if (!keys.add(cert + "/" + level)) continue;
            ObjectNode e = equivalences.addObject();
            e.put("certificateCode", cert);
            e.put("level", level);
            e.put("credits", decimal(r, 40, "0.25"));
        }
        vocational.put("authorityBonusPercent", pick(r, "0", "10", "12.5", "20", "10"));
        vocational.put("maxBonusCredits", pick(r, "0", "0.5", "1", "1.25", "0.5"));
        for (JsonNode n : p.withObject("social").withArray("scenarios")) {
            ObjectNode s = (ObjectNode) n;
            s.put("hoursPerCredit", pick(r, "16", "20", "24", "40", "12.5"));
            s.put("minHours", decimal(r, 30, "1"));
            s.put("minScore", pick(r, "60", "50", "75.5"));
            s.put("maxCredits", decimal(r, 16, "0.5"));
        }
        ObjectNode quality = p.withObject("quality");
        for (String g : List.of("A", "B", "C")) {
            ObjectNode q = quality.withObject(g);
            q.put("factor", pick(r, "1", "0.9", "0.8", "0.75", "0.5", "0", "1.2", "0.333"));
            q.put("convertible", r.nextInt(g.equals("C") ? 3 : 8) != 0);
        }
        ObjectNode limits = p.withObject("limits");
        limits.put("outcomeValidityYears", r.nextInt(11));
        limits.put("maxShareOfProgramme", decimal(r, 100, "0.01"));
        limits.put("maxCreditsPerApplication", decimal(r, 80, "0.5"));
        limits.put("roundingStep", pick(r, STEPS));
        List<String> codes = texts(catalogue, "code");
        ArrayNode rules = p.withArray("conversionRules");
        for (int i = 0; i < sizes.rules(); i++) {
            ObjectNode e = rules.addObject();
            e.put("id", "GEN-R-" + String.format("%05d", i));
            e.put("sourceCode", codes.get(r.nextInt(codes.size())));
            e.put("targetInstitution", pick(r, "JSOU", "SHOU", "NJU-CE", "JSOU"));
            e.put("targetCourse", "GC" + r.nextInt(1000));
            e.put("targetCourseName", "生成课程");
            e.put("maxCredits", decimal(r, 16, "0.5"));
        }
        return p;
    }

    /** A valid case against {@code payload}: mostly known codes, some unknown, some duplicates, some previously recognised. */
    public static ObjectNode caseJson(Random r, JsonNode payload, String caseId, int minOutcomes, int maxOutcomes) {
        ObjectNode c = Examples.caseJson("C-EX-01");
        c.remove("expected");
        c.put("caseId", caseId);
        LocalDate appliedOn = EFFECTIVE_FROM.plusDays(r.nextInt(700));
        c.put("appliedOn", appliedOn.toString());
        ObjectNode programme = c.withObject("programme");
        programme.put("institution", pick(r, PROGRAMME_INSTITUTIONS));
        String total = pick(r, "60", "80", "120", "150.5", "30");
        programme.put("totalCredits", total);
        programme.put("alreadyTransferredCredits", r.nextInt(3) == 0 ? "0" : decimal(r, new BigDecimal(total).intValue(), "1"));

        List<JsonNode> catalogue = new ArrayList<>();
        payload.get("catalogue").forEach(catalogue::add);
        List<JsonNode> equivalences = new ArrayList<>();
        payload.get("vocational").get("equivalences").forEach(equivalences::add);
        List<String> institutions = texts(payload.get("institutions"), "code");
        List<String> scenarios = texts(payload.get("social").get("scenarios"), "code");

        ArrayNode outcomes = c.putArray("outcomes");
        ArrayNode previous = c.putArray("previouslyRecognized");
        int n = minOutcomes + r.nextInt(maxOutcomes - minOutcomes + 1);
        for (int i = 0; i < n; i++) {
            String id = "O-" + (i + 1);
            if (i > 0 && r.nextInt(7) == 0) {
                ObjectNode copy = outcomes.get(r.nextInt(i)).deepCopy();
                copy.put("outcomeId", id);
                copy.put("qualityGrade", pick(r, "A", "B"));
                outcomes.add(copy);
                continue;
            }
            ObjectNode o = outcomes.addObject();
            o.put("outcomeId", id);
            JsonNode entry = catalogue.get(r.nextInt(catalogue.size()));
            String category = r.nextInt(6) == 0 ? pick(r, CATEGORIES) : entry.get("category").asText();
            o.put("category", category);
            o.put("catalogueCode", r.nextInt(15) == 0 ? "UNKNOWN-" + i : entry.get("code").asText());
            o.put("issuer", r.nextInt(8) == 0 ? "UNLISTED-ORG" : institutions.get(r.nextInt(institutions.size())));
            o.put("title", "generated " + i);
            o.put("qualityGrade", pick(r, "A", "A", "B", "B", "C"));
            o.put("achievedOn", appliedOn.minusDays(r.nextInt(365 * 8)).toString());
            switch (category) {
                case "ACADEMIC" -> {
                    o.put("courseType", pick(r, "THEORY", "PRACTICE", "MIXED"));
                    o.put("hours", decimal(r, 300, "0.5"));
                    o.put("score", decimal(r, 120, "0.5"));
                }
                case "VOCATIONAL" -> {
                    JsonNode eq = equivalences.get(r.nextInt(equivalences.size()));
                    o.put("certificateCode", r.nextInt(12) == 0 ? "NO-SUCH-CERT" : eq.get("certificateCode").asText());
                    o.put("level", eq.get("level").asText());
                    o.put("authorityCertified", r.nextBoolean());
                    if (r.nextBoolean()) o.putNull("expiresOn");
                    else o.put("expiresOn", appliedOn.minusDays(60).plusDays(r.nextInt(1500)).toString());
                }
                default -> {
                    o.put("scenario", r.nextInt(10) == 0 ? "NO-SUCH-SCENARIO" : scenarios.get(r.nextInt(scenarios.size())));
                    o.put("hours", decimal(r, 200, "1"));
                    o.put("score", decimal(r, 100, "1"));
                }
            }
            o.putArray("evidence");
            if (r.nextInt(12) == 0) previous.add(id);
        }
        return c;
    }

    /** A random multiple of {@code step} in [0, units × step], as a plain decimal string. */
    public static String decimal(Random r, int units, String step) {
        BigDecimal v = new BigDecimal(step).multiply(BigDecimal.valueOf(r.nextInt(units + 1)));
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... values) { return values[r.nextInt(values.length)]; }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }
}
