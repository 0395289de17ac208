package cn.crb.domain.standards;

import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.domain.json.JsonAt;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.security.PublicKey;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a {@code creditbank.standards/1} payload field by field, failing on the first bad field with its path. */
final class StandardsParser {
    private static final int MAX_INT = 1_000_000;
    private static final List<String> WORKFLOW_STEPS = List.of("REVIEW", "CONVERSION", "PUBLIC_NOTICE", "ARCHIVE");

    private StandardsParser() {}

    static StandardsBundle parse(JsonNode payload) {
        return parse(payload, null);
    }

    /** As {@link #parse(JsonNode)}; {@code canonical} is the payload's RFC 8785 bytes when the caller has them, else null. */
    static StandardsBundle parse(JsonNode payload, byte[] canonical) {
        JsonAt r = JsonAt.root(payload).requireObject();
        StandardsVersion version = version(r.at("version"));
        LocalDate from = r.at("effectiveFrom").date();
        JsonAt untilAt = r.at("effectiveUntil");
        LocalDate until = untilAt.dateOrNull();
        if (until != null && until.isBefore(from)) throw untilAt.invalid("must not be before effectiveFrom " + from);
        JsonAt supAt = r.at("supersedes");
        StandardsVersion supersedes = supAt.isNull() ? null : version(supAt);
        if (supersedes != null && !version.isNewerThan(supersedes)) {
            throw supAt.invalid("must be an older version than " + version + ", got \"" + supersedes + "\"");
        }
        List<QfLevel> framework = framework(r.at("qualificationFramework"));
        Set<Integer> levels = new HashSet<>();
        for (QfLevel l : framework) levels.add(l.level());
        return new StandardsBundle(version, from, until, supersedes, framework,
                catalogue(r.at("catalogue"), levels), institutions(r.at("institutions")),
                academic(r.at("academic")), vocational(r.at("vocational")), scenarios(r.at("social")),
                quality(r.at("quality")), limits(r.at("limits")), rules(r.at("conversionRules")),
                workflow(r.at("workflow")), keys(r.at("keys")), canonical != null ? canonical : Json.canonical(payload));
    }

    private static StandardsVersion version(JsonAt at) {
        String text = at.text();
        try {
            return StandardsVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw at.invalid(e.getMessage());
        }
    }

    private static List<QfLevel> framework(JsonAt at) {
        List<QfLevel> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (JsonAt e : at.elements()) {
            JsonAt levelAt = e.at("level");
            int level = levelAt.integer(1, 7);
            if (!seen.add(level)) throw levelAt.invalid("duplicate level " + level);
            out.add(new QfLevel(level, e.at("name").text(), e.at("descriptor").text()));
        }
        return out;
    }

    private static List<CatalogueEntry> catalogue(JsonAt at, Set<Integer> levels) {
        List<CatalogueEntry> out = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        for (JsonAt e : at.elements()) {
            String code = unique(e.at("code"), codes);
            OutcomeCategory category = e.at("category").oneOf(OutcomeCategory.class);
            String name = e.at("name").text();
            JsonAt qfAt = e.at("qfLevel");
            int qf = qfAt.integer(1, 7);
            if (!levels.contains(qf)) throw qfAt.invalid("level " + qf + " is not in qualificationFramework");
            CatalogueStatus status = e.at("status").oneOf(CatalogueStatus.class);
            JsonAt retiredAt = e.at("retiredOn");
            LocalDate retiredOn = retiredAt.dateOrNull();
            if (status == CatalogueStatus.RETIRED && retiredOn == null) throw retiredAt.invalid("must be a date when status is RETIRED");
            if (status == CatalogueStatus.ACTIVE && retiredOn != null) throw retiredAt.invalid("must be null when status is ACTIVE");
            out.add(new CatalogueEntry(code, category, name, qf, status, retiredOn));
        }
        return out;
    }

    private static List<Institution> institutions(JsonAt at) {
        List<Institution> out = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        for (JsonAt e : at.elements()) {
            out.add(new Institution(unique(e.at("code"), codes), e.at("name").text(), e.at("kind").text(),
                    e.at("province").text(), e.at("status").oneOf(InstitutionStatus.class)));
        }
        return out;
    }

    private static AcademicRules academic(JsonAt at) {
        JsonAt hpc = at.at("hoursPerCredit").requireObject();
        Map<CourseType, BigDecimal> ratios = new EnumMap<>(CourseType.class);
        for (CourseType t : CourseType.values()) ratios.put(t, hpc.at(t.name()).positiveDecimal());
        return new AcademicRules(ratios, at.at("minPassingScore").nonNegativeDecimal());
    }

    private static VocationalRules vocational(JsonAt at) {
        List<Equivalence> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (JsonAt e : at.at("equivalences").elements()) {
            Equivalence q = new Equivalence(e.at("certificateCode").text(), e.at("level").text(), e.at("credits").nonNegativeDecimal());
            if (!keys.add(q.key())) throw e.invalid("duplicate equivalence for " + q.key());
            out.add(q);
        }
        return new VocationalRules(out, at.at("authorityBonusPercent").nonNegativeDecimal(), at.at("maxBonusCredits").nonNegativeDecimal());
    }

    private static List<SocialScenario> scenarios(JsonAt social) {
        List<SocialScenario> out = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        for (JsonAt e : social.at("scenarios").elements()) {
            out.add(new SocialScenario(unique(e.at("code"), codes), e.at("name").text(), e.at("hoursPerCredit").positiveDecimal(),
                    e.at("minHours").nonNegativeDecimal(), e.at("minScore").nonNegativeDecimal(), e.at("maxCredits").nonNegativeDecimal()));
        }
        return out;
    }

    private static Map<QualityGrade, GradeRule> quality(JsonAt at) {
        at.requireObject();
        Map<QualityGrade, GradeRule> out = new EnumMap<>(QualityGrade.class);
        for (QualityGrade g : QualityGrade.values()) {
            JsonAt e = at.at(g.name()).requireObject();
            out.put(g, new GradeRule(e.at("factor").nonNegativeDecimal(), e.at("convertible").bool()));
        }
        return out;
    }

    private static Limits limits(JsonAt at) {
        JsonAt shareAt = at.at("maxShareOfProgramme");
        BigDecimal share = shareAt.nonNegativeDecimal();
        if (share.compareTo(BigDecimal.ONE) > 0) throw shareAt.invalid("must be between 0 and 1, got \"" + share.toPlainString() + "\"");
        return new Limits(at.at("outcomeValidityYears").integer(0, 200), share,
                at.at("maxCreditsPerApplication").nonNegativeDecimal(), at.at("roundingStep").positiveDecimal());
    }

    private static List<ConversionRule> rules(JsonAt at) {
        List<ConversionRule> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonAt e : at.elements()) {
            out.add(new ConversionRule(unique(e.at("id"), ids), e.at("sourceCode").text(), e.at("targetInstitution").text(),
                    e.at("targetCourse").text(), e.at("targetCourseName").text(), e.at("maxCredits").nonNegativeDecimal()));
        }
        return out;
    }

    private static Workflow workflow(JsonAt at) {
        JsonAt days = at.at("deadlineDays").requireObject();
        Map<String, Integer> deadlines = new LinkedHashMap<>();
        for (String step : WORKFLOW_STEPS) deadlines.put(step, days.at(step).integer(0, MAX_INT));
        JsonAt arb = at.at("arbitration").requireObject();
        return new Workflow(deadlines, at.at("deemedConsent").bool(), new Workflow.Arbitration(
                arb.at("minPanel").integer(1, MAX_INT), arb.at("quorum").integer(1, MAX_INT), arb.at("deadlineDays").integer(0, MAX_INT)));
    }

    /**
     * Contract 02 names the fields {@code {province, keyId, publicKeyPem}}; the published example uses
     * {@code {province, encryptionKeyPem, matchingKey}}. Both are accepted; a given keyId must match the key.
     */
    private static List<ProvinceKey> keys(JsonAt at) {
        List<ProvinceKey> out = new ArrayList<>();
        for (JsonAt e : at.elements()) {
            String province = e.at("province").text();
            JsonAt pemAt = e.at("publicKeyPem").isNull() ? e.at("encryptionKeyPem") : e.at("publicKeyPem");
            String pem = pemAt.text();
            PublicKey key;
            try {
                key = Sm2.fromPem(pem);
            } catch (Sm2.CryptoException e2) {
                throw pemAt.invalid("must be a PEM SM2 public key (" + e2.getMessage() + ")");
            }
            String keyId = Sm2.keyId(key);
            JsonAt idAt = e.at("keyId");
            if (!idAt.isNull() && !idAt.text().equals(keyId)) throw idAt.invalid("does not match the key, whose key id is " + keyId);
            out.add(new ProvinceKey(province, keyId, pem, key, e.at("matchingKey").textOrNull()));
        }
        return out;
    }

    private static String unique(JsonAt at, Set<String> seen) {
        String v = at.text();
        if (!seen.add(v)) throw at.invalid("duplicate \"" + v + "\"");
        return v;
    }
}
