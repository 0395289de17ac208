package cn.crb.domain.standards;

import cn.crb.domain.crypto.Sm3;
import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, validated {@code creditbank.standards/1} payload (contract 02), indexed once on construction so
 * that every look-up used by the evaluation is a hash-map access. Conversion rules are indexed by
 * (sourceCode, targetInstitution) keeping the first rule in bundle order. The canonical (RFC 8785) bytes of the
 * payload are kept so that two bundles can be compared byte for byte.
 */
public final class StandardsBundle {
    private final StandardsVersion version;
    private final LocalDate effectiveFrom;
    private final LocalDate effectiveUntil;
    private final StandardsVersion supersedes;
    private final List<QfLevel> qualificationFramework;
    private final List<CatalogueEntry> catalogue;
    private final List<Institution> institutions;
    private final AcademicRules academic;
    private final VocationalRules vocational;
    private final List<SocialScenario> scenarios;
    private final Map<QualityGrade, GradeRule> quality;
    private final Limits limits;
    private final List<ConversionRule> conversionRules;
    private final Workflow workflow;
    private final List<ProvinceKey> keys;
    private final byte[] canonical;

    private final Map<String, CatalogueEntry> catalogueByCode;
    private final Map<String, Institution> institutionsByCode;
    private final Map<EquivalenceKey, Equivalence> equivalencesByKey;
    private final Map<String, SocialScenario> scenariosByCode;
    private final Map<RuleKey, ConversionRule> firstRuleBySourceAndTarget;

    private record EquivalenceKey(String certificateCode, String level) {}

    private record RuleKey(String sourceCode, String targetInstitution) {}

    StandardsBundle(StandardsVersion version, LocalDate effectiveFrom, LocalDate effectiveUntil, StandardsVersion supersedes,
                    List<QfLevel> qualificationFramework, List<CatalogueEntry> catalogue, List<Institution> institutions,
                    AcademicRules academic, VocationalRules vocational, List<SocialScenario> scenarios,
                    Map<QualityGrade, GradeRule> quality, Limits limits, List<ConversionRule> conversionRules,
                    Workflow workflow, List<ProvinceKey> keys, byte[] canonical) {
        this.version = version;
        this.effectiveFrom = effectiveFrom;
        this.effectiveUntil = effectiveUntil;
        this.supersedes = supersedes;
        this.qualificationFramework = List.copyOf(qualificationFramework);
        this.catalogue = List.copyOf(catalogue);
        this.institutions = List.copyOf(institutions);
        this.academic = academic;
        this.vocational = vocational;
        this.scenarios = List.copyOf(scenarios);
        this.quality = Map.copyOf(quality);
        this.limits = limits;
        this.conversionRules = List.copyOf(conversionRules);
        this.workflow = workflow;
        this.keys = List.copyOf(keys);
        this.canonical = canonical.clone();

        Map<String, CatalogueEntry> c = new HashMap<>();
        for (CatalogueEntry e : catalogue) c.put(e.code(), e);
        Map<String, Institution> i = new HashMap<>();
        for (Institution e : institutions) i.put(e.code(), e);
        Map<EquivalenceKey, Equivalence> q = new HashMap<>();
        for (Equivalence e : vocational.equivalences()) q.put(new EquivalenceKey(e.certificateCode(), e.level()), e);
        Map<String, SocialScenario> s = new HashMap<>();
        for (SocialScenario e : scenarios) s.put(e.code(), e);
        Map<RuleKey, ConversionRule> r = new LinkedHashMap<>();
        for (ConversionRule e : conversionRules) r.putIfAbsent(new RuleKey(e.sourceCode(), e.targetInstitution()), e);
        this.catalogueByCode = Map.copyOf(c);
        this.institutionsByCode = Map.copyOf(i);
        this.equivalencesByKey = Map.copyOf(q);
        this.scenariosByCode = Map.copyOf(s);
        this.firstRuleBySourceAndTarget = Map.copyOf(r);
    }

    /**
     * Parses and validates a payload. Throws {@link cn.crb.domain.json.JsonValidationException} naming the path
     * of the first bad field, e.g. {@code catalogue[3].qfLevel: must be an integer 1-7, got string "4"}.
     */
    public static StandardsBundle fromPayload(JsonNode payload) {
        return StandardsParser.parse(payload);
    }

    public StandardsVersion version() { return version; }
    public LocalDate effectiveFrom() { return effectiveFrom; }
    /** The last day in force, or null when open-ended. */
    public LocalDate effectiveUntil() { return effectiveUntil; }
    /** The version this one replaces, or null. */
    public StandardsVersion supersedes() { return supersedes; }
    public List<QfLevel> qualificationFramework() { return qualificationFramework; }
    public List<CatalogueEntry> catalogue() { return catalogue; }
    public List<Institution> institutions() { return institutions; }
    public AcademicRules academic() { return academic; }
    public VocationalRules vocational() { return vocational; }
    public List<SocialScenario> scenarios() { return scenarios; }
    public Map<QualityGrade, GradeRule> quality() { return quality; }
    public Limits limits() { return limits; }
    public List<ConversionRule> conversionRules() { return conversionRules; }
    public Workflow workflow() { return workflow; }
    public List<ProvinceKey> keys() { return keys; }

    /** True when {@code effectiveFrom <= date} and ({@code effectiveUntil} is null or {@code date <= effectiveUntil}). */
    public boolean isInForceOn(LocalDate date) {
        return !date.isBefore(effectiveFrom) && (effectiveUntil == null || !date.isAfter(effectiveUntil));
    }

    public Optional<CatalogueEntry> catalogueEntry(String code) { return Optional.ofNullable(catalogueByCode.get(code)); }

    public Optional<Institution> institution(String code) { return Optional.ofNullable(institutionsByCode.get(code)); }

    public Optional<Equivalence> equivalence(String certificateCode, String level) {
        return Optional.ofNullable(equivalencesByKey.get(new EquivalenceKey(certificateCode, level)));
    }

    public Optional<SocialScenario> scenario(String code) { return Optional.ofNullable(scenariosByCode.get(code)); }

    /** The first conversion rule in bundle order for this source code and receiving institution. */
    public Optional<ConversionRule> conversionRule(String sourceCode, String targetInstitution) {
        return Optional.ofNullable(firstRuleBySourceAndTarget.get(new RuleKey(sourceCode, targetInstitution)));
    }

    public GradeRule grade(QualityGrade grade) { return quality.get(grade); }

    /** The RFC 8785 canonical bytes of the payload (a copy). */
    public byte[] canonicalBytes() { return canonical.clone(); }

    /** True when both payloads have identical canonical bytes. */
    public boolean sameBytesAs(StandardsBundle other) { return Arrays.equals(canonical, other.canonical); }

    /** Lowercase hex SM3 of the payload's canonical bytes. */
    public String payloadSm3() { return Sm3.hex(canonical); }

    /** A fresh copy of the payload as JSON. */
    public JsonNode payloadJson() { return Json.parse(canonical); }

    @Override
    public String toString() { return "StandardsBundle[" + version + ", " + effectiveFrom + ".." + effectiveUntil + "]"; }
}
