package cn.crb.sim;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.crypto.Sm3;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Builds plausible cases from a standards bundle with a seeded {@link Random}: masked learners (name {@code 王*},
 * ID {@code 320102********1234} with a real check digit and an HMAC-SM3 digest under the province's matching
 * key), programmes of the receiving institutions, outcomes drawn from the catalogue, the equivalence table and
 * the social scenarios, mostly eligible with a share of the refusals the evaluation knows (failed score, retired
 * catalogue entry, blacklisted or suspended issuer, grade C, expired certificate, too few hours, too old), each
 * with a small generated evidence file stored by SM3.
 */
final class CaseFactory {
    static final List<String> STEPS = List.of("APPLICATION", "REVIEW", "CONVERSION", "PUBLIC_NOTICE", "ARCHIVE");

    private record Programme(String institution, String code, String name, String totalCredits) {}

    private static final List<Programme> PROGRAMMES = List.of(
            new Programme("JSOU", "JSOU-ACC-ZK", "会计（专科）", "80"),
            new Programme("JSOU", "JSOU-ACC-ZK", "会计（专科）", "80"),
            new Programme("JSOU", "JSOU-CS-ZK", "计算机应用技术（专科）", "80"),
            new Programme("JSOU", "JSOU-EC-ZK", "电子商务（专科）", "80"),
            new Programme("SHOU", "SHOU-ACC-BK", "会计学（本科）", "160"));
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "欧阳"};
    private static final String[] JS_REGIONS = {"320102", "320106", "320583", "320211", "320402", "321002"};
    private static final String[] SH_REGIONS = {"310104", "310115", "310110"};
    private static final String[] CERT_CATALOGUE = {"WEB-FE-1X", "VC-WEB-FE", "YCYT-1X", "VC-BIGDATA-FIN", "ELEC-NVQ", "VC-ELEC",
            "ACC-JUNIOR-PRO", "VC-ACC-JUNIOR", "CARE-ELDER-1X", "VC-CARE-ELDER"};
    private static final String[] SCENARIO_CATALOGUE = {"COMMUNITY", "SL-COMMUNITY", "MOOC", "SL-MOOC", "ELDER_UNI", "SL-ELDER-UNI", "VOLUNTEER", "SL-VOLUNTEER"};

    private final Random random;
    private final JsonNode bundle;

    CaseFactory(Random random, JsonNode bundle) {
        this.random = random;
        this.bundle = bundle;
    }

    /**
     * A case at {@code step} whose current step began at {@code stepStartedAt}; earlier steps are placed before it
     * in the history. {@code reviewer} (a person id) appears in the history of cases past REVIEW.
     */
    ObjectNode create(Tx tx, String caseId, String step, Instant stepStartedAt, String reviewer) throws SQLException {
        List<String> path = new ArrayList<>();
        if (step.equals("INSPECTION")) {
            path.addAll(STEPS);
            path.add("INSPECTION");
        } else {
            path.addAll(STEPS.subList(0, STEPS.indexOf(step) + 1));
        }
        List<Instant> starts = new ArrayList<>();
        Instant t = stepStartedAt;
        for (int i = path.size() - 1; i >= 0; i--) {
            starts.addFirst(t);
            t = t.minus(Duration.ofDays(1 + random.nextInt(path.get(Math.max(0, i - 1)).equals("ARCHIVE") ? 60 : 8)))
                    .minus(Duration.ofMinutes(random.nextInt(600)));
        }
        LocalDate appliedOn = LocalDate.ofInstant(starts.getFirst(), ZoneOffset.UTC);

        Programme prog = PROGRAMMES.get(random.nextInt(PROGRAMMES.size()));
        ObjectNode c = Json.object();
        c.put("caseId", caseId);
        c.put("revision", path.size());
        c.put("appliedOn", appliedOn.toString());
        c.put("step", step);
        c.put("stepStartedAt", Envelope.timestamp(stepStartedAt));
        c.set("learner", learner(prog.institution()));
        ObjectNode p = c.putObject("programme");
        p.put("institution", prog.institution());
        p.put("programmeCode", prog.code());
        p.put("name", prog.name());
        p.put("totalCredits", prog.totalCredits());
        int already = random.nextInt(10);
        p.put("alreadyTransferredCredits", already < 6 ? "0" : already < 9 ? "6" : "28");

        ArrayNode outcomes = Json.mapper().createArrayNode();
        int n = 1 + random.nextInt(4);
        for (int i = 1; i <= n; i++) outcomes.add(outcome(tx, caseId, "O-" + i, appliedOn));
        ArrayNode prev = c.putArray("previouslyRecognized");
        if (random.nextInt(10) == 0) prev.add(random.nextBoolean() ? "O-1" : "O-" + (70 + random.nextInt(20)));
        c.set("outcomes", outcomes);
        c.putArray("assignedTo");
        ArrayNode history = c.putArray("history");
        for (int i = 0; i < path.size(); i++) {
            ObjectNode h = history.addObject();
            h.put("at", Envelope.timestamp(starts.get(i)));
            h.put("step", path.get(i));
            String prevStep = i == 0 ? null : path.get(i - 1);
            h.put("by", i == 0 ? (random.nextBoolean() ? "learner" : "clerk") : "REVIEW".equals(prevStep) ? reviewer : "platform");
        }
        return c;
    }

    private ObjectNode learner(String institution) {
        ObjectNode l = Json.object();
        boolean sh = institution.equals("SHOU");
        String region = sh ? SH_REGIONS[random.nextInt(SH_REGIONS.length)] : JS_REGIONS[random.nextInt(JS_REGIONS.length)];
        l.put("accountId", "L-" + region.substring(0, 4) + "-" + String.format("%05d", random.nextInt(100000)));
        String surname = SURNAMES[random.nextInt(SURNAMES.length)];
        int given = surname.length() == 2 ? 2 : 1 + (random.nextInt(4) == 0 ? 1 : 0);
        l.put("nameMasked", surname + "*".repeat(given));
        LocalDate birth = LocalDate.of(1968, 1, 1).plusDays(random.nextInt(365 * 36));
        String body = region + birth.toString().replace("-", "") + String.format("%03d", random.nextInt(1000));
        String id = body + checkDigit(body);
        l.put("idMasked", id.substring(0, 6) + "********" + id.substring(14));
        l.put("idDigest", digest(sh ? "SH" : "JS", id));
        return l;
    }

    /** GB 11643 check character (ISO 7064 MOD 11-2). */
    static char checkDigit(String first17) {
        int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) sum += (first17.charAt(i) - '0') * w[i];
        return "10X98765432".charAt(sum % 11);
    }

    private String digest(String province, String id) {
        for (JsonNode k : bundle.path("keys")) {
            if (province.equals(k.path("province").asText())) {
                return Sm3.hmacHex(Base64.getDecoder().decode(k.path("matchingKey").asText()), id.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return null;
    }

    private ObjectNode outcome(Tx tx, String caseId, String outcomeId, LocalDate appliedOn) throws SQLException {
        int kind = random.nextInt(10);
        ObjectNode o = Json.object();
        o.put("outcomeId", outcomeId);
        String issuer = issuer();
        LocalDate achieved = appliedOn.minusDays(30 + random.nextInt(random.nextInt(30) == 0 ? 2400 : 1400));
        String evidenceName;
        byte[] evidence;
        String contentType;
        if (kind < 5) {
            JsonNode entry = catalogue("ACADEMIC");
            o.put("category", "ACADEMIC");
            o.put("catalogueCode", entry.path("code").asText());
            o.put("issuer", issuer);
            o.put("title", entry.path("name").asText());
            String name = entry.path("name").asText();
            o.put("courseType", name.contains("实训") ? "PRACTICE" : random.nextInt(4) == 0 ? "MIXED" : "THEORY");
            o.put("hours", Integer.toString(16 + 8 * random.nextInt(8)));
            o.put("score", Integer.toString(random.nextInt(8) == 0 ? 40 + random.nextInt(20) : 60 + random.nextInt(39)));
            evidenceName = "成绩单.pdf";
            contentType = "application/pdf";
            evidence = EvidenceFiles.pdf("Transcript " + caseId + " " + outcomeId + " " + entry.path("code").asText() + " score " + o.path("score").asText());
        } else if (kind < 8) {
            int pick = random.nextInt(CERT_CATALOGUE.length / 2) * 2;
            String cert = CERT_CATALOGUE[pick];
            List<JsonNode> levels = new ArrayList<>();
            for (JsonNode e : bundle.path("vocational").path("equivalences")) if (cert.equals(e.path("certificateCode").asText())) levels.add(e);
            String catalogueCode = CERT_CATALOGUE[pick + 1];
            o.put("category", "VOCATIONAL");
            o.put("catalogueCode", catalogueCode);
            o.put("issuer", random.nextInt(3) == 0 ? "GDIA" : issuer);
            o.put("title", catalogueName(catalogueCode));
            o.put("certificateCode", cert);
            o.put("level", random.nextInt(15) == 0 ? "EXPERT" : levels.get(random.nextInt(levels.size())).path("level").asText());
            o.put("authorityCertified", random.nextInt(3) == 0);
            LocalDate expires = achieved.plusYears(random.nextInt(12) == 0 ? 1 : 3 + random.nextInt(3));
            if (expires.isBefore(appliedOn) && random.nextBoolean()) expires = appliedOn.plusYears(2);
            o.put("expiresOn", expires.toString());
            evidenceName = "证书.png";
            contentType = "image/png";
            evidence = EvidenceFiles.png((caseId + outcomeId).hashCode() & 0xffffffffL | ((long) random.nextInt(256) << 32));
        } else {
            int pick = random.nextInt(SCENARIO_CATALOGUE.length / 2) * 2;
            o.put("category", "SOCIAL");
            o.put("catalogueCode", SCENARIO_CATALOGUE[pick + 1]);
            o.put("issuer", random.nextBoolean() ? "JSOU" : "SHOU");
            o.put("title", catalogueName(SCENARIO_CATALOGUE[pick + 1]));
            o.put("scenario", SCENARIO_CATALOGUE[pick]);
            o.put("hours", Integer.toString(random.nextInt(10) == 0 ? 4 + random.nextInt(6) : 20 + 4 * random.nextInt(20)));
            o.put("score", Integer.toString(random.nextInt(10) == 0 ? 50 + random.nextInt(10) : 60 + random.nextInt(40)));
            evidenceName = "学习证明.pdf";
            contentType = "application/pdf";
            evidence = EvidenceFiles.pdf("Learning record " + caseId + " " + outcomeId + " " + SCENARIO_CATALOGUE[pick] + " hours " + o.path("hours").asText());
        }
        int g = random.nextInt(10);
        o.put("qualityGrade", g < 6 ? "A" : g < 9 ? "B" : "C");
        o.put("achievedOn", achieved.toString());
        ArrayNode ev = o.putArray("evidence");
        ObjectNode e = ev.addObject();
        e.put("name", evidenceName);
        e.put("sm3", Evidence.store(tx, evidenceName, contentType, evidence));
        e.put("bytes", evidence.length);
        return o;
    }

    private String issuer() {
        int i = random.nextInt(33);
        if (i == 0) return "TRN-0077";
        if (i == 1) return "TRN-0081";
        if (i == 2) return "BJ-TRN-9001";
        String[] usual = {"NJU-CE", "JSVC-01", "TRN-0042", "SHOU", "NJU-CE", "JSVC-01"};
        return usual[i % usual.length];
    }

    private JsonNode catalogue(String category) {
        List<JsonNode> active = new ArrayList<>();
        JsonNode retired = null;
        for (JsonNode c : bundle.path("catalogue")) {
            if (!category.equals(c.path("category").asText())) continue;
            if ("ACTIVE".equals(c.path("status").asText())) active.add(c);
            else retired = c;
        }
        if (retired != null && random.nextInt(25) == 0) return retired;
        return active.get(random.nextInt(active.size()));
    }

    private String catalogueName(String code) {
        for (JsonNode c : bundle.path("catalogue")) if (code.equals(c.path("code").asText())) return c.path("name").asText();
        return code;
    }
}
