package cn.crb.domain.standards;

import cn.crb.domain.Examples;
import cn.crb.domain.json.JsonValidationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandardsBundleTest {

    private static void assertRejected(Consumer<ObjectNode> change, String message) {
        ObjectNode json = Examples.standardsJson();
        change.accept(json);
        assertThatThrownBy(() -> StandardsBundle.fromPayload(json))
                .isInstanceOf(JsonValidationException.class)
                .hasMessageStartingWith(message);
    }

    private static ObjectNode catalogue(ObjectNode b, int i) { return (ObjectNode) b.withArray("catalogue").get(i); }

    @Test
    void exampleParsesAndIsIndexed() {
        StandardsBundle b = Examples.standards();
        assertThat(b.version()).isEqualTo(new StandardsVersion(2026, 1));
        assertThat(b.effectiveFrom()).isEqualTo(LocalDate.parse("2026-01-01"));
        assertThat(b.effectiveUntil()).isNull();
        assertThat(b.supersedes()).hasToString("2025.2");
        assertThat(b.qualificationFramework()).hasSize(7);
        assertThat(b.catalogue()).hasSize(16);
        assertThat(b.catalogueEntry("AC-GEN-001")).get().extracting(CatalogueEntry::status).isEqualTo(CatalogueStatus.RETIRED);
        assertThat(b.institution("TRN-0077")).get().extracting(Institution::status).isEqualTo(InstitutionStatus.BLACKLISTED);
        assertThat(b.equivalence("WEB-FE-1X", "MIDDLE")).get().extracting(Equivalence::credits).isEqualTo(new BigDecimal("6"));
        assertThat(b.equivalence("WEB-FE-1X", "EXPERT")).isEmpty();
        assertThat(b.scenario("MOOC")).get().extracting(SocialScenario::maxCredits).isEqualTo(new BigDecimal("6"));
        assertThat(b.conversionRule("AC-ACC-101", "SHOU")).get().extracting(ConversionRule::id).isEqualTo("SH-R-0100");
        assertThat(b.conversionRule("AC-CS-110", "JSOU")).isEmpty();
        assertThat(b.academic().hoursPerCredit(CourseType.MIXED)).isEqualTo(new BigDecimal("24"));
        assertThat(b.grade(QualityGrade.C).convertible()).isFalse();
        assertThat(b.limits().roundingStep()).isEqualTo(new BigDecimal("0.5"));
        assertThat(b.workflow().deadlineDays()).containsEntry("REVIEW", 15);
        assertThat(b.workflow().arbitration().quorum()).isEqualTo(3);
        assertThat(b.keys()).hasSize(3).allSatisfy(k -> assertThat(k.keyId()).hasSize(64));
        assertThat(b.payloadSm3()).hasSize(64);
        assertThat(b.isInForceOn(LocalDate.parse("2025-12-31"))).isFalse();
        assertThat(b.isInForceOn(LocalDate.parse("2026-01-01"))).isTrue();
    }

    @Test
    void canonicalBytesIgnoreMemberOrderAndWhitespace() {
        ObjectNode reordered = Examples.standardsJson();
        ObjectNode limits = (ObjectNode) reordered.remove("limits");
        reordered.set("limits", limits);
        assertThat(StandardsBundle.fromPayload(reordered).sameBytesAs(Examples.standards())).isTrue();
    }

    @Test
    void badFieldsAreNamedByPath() {
        assertRejected(b -> catalogue(b, 3).put("qfLevel", "4"), "catalogue[3].qfLevel: must be an integer 1-7, got string \"4\"");
        assertRejected(b -> catalogue(b, 3).put("qfLevel", 9), "catalogue[3].qfLevel: must be an integer 1-7");
        assertRejected(b -> catalogue(b, 2).put("code", "AC-ACC-101"), "catalogue[2].code: duplicate \"AC-ACC-101\"");
        assertRejected(b -> catalogue(b, 0).put("status", "RETIRED"), "catalogue[0].retiredOn: must be a date when status is RETIRED");
        assertRejected(b -> catalogue(b, 0).put("category", "HOBBY"), "catalogue[0].category: must be one of [ACADEMIC, VOCATIONAL, SOCIAL]");
        assertRejected(b -> b.withObject("academic").withObject("hoursPerCredit").put("THEORY", 16),
                "academic.hoursPerCredit.THEORY: must be a decimal written as a string");
        assertRejected(b -> b.withObject("academic").withObject("hoursPerCredit").put("PRACTICE", "0"),
                "academic.hoursPerCredit.PRACTICE: must be greater than 0");
        assertRejected(b -> b.withObject("academic").withObject("hoursPerCredit").remove("MIXED"),
                "academic.hoursPerCredit.MIXED: must be a decimal written as a string, e.g. \"7.5\", got nothing (missing)");
        assertRejected(b -> b.withObject("limits").put("maxShareOfProgramme", "1.5"), "limits.maxShareOfProgramme: must be between 0 and 1");
        assertRejected(b -> b.withObject("limits").put("roundingStep", "1e-1"), "limits.roundingStep: must be a decimal written as a string");
        assertRejected(b -> b.withObject("quality").remove("B"), "quality.B: must be an object");
        assertRejected(b -> b.put("version", "2026"), "version: must be a version <year>.<revision>");
        assertRejected(b -> b.put("supersedes", "2026.1"), "supersedes: must be an older version than 2026.1");
        assertRejected(b -> b.put("effectiveUntil", "2025-12-31"), "effectiveUntil: must not be before effectiveFrom 2026-01-01");
        assertRejected(b -> b.put("effectiveFrom", "2026-02-30"), "effectiveFrom: must be a valid calendar date");
        assertRejected(b -> b.withObject("vocational").withArray("equivalences")
                .addObject().put("certificateCode", "WEB-FE-1X").put("level", "MIDDLE").put("credits", "1"),
                "vocational.equivalences[11]: duplicate equivalence for WEB-FE-1X/MIDDLE");
        assertRejected(b -> ((ObjectNode) b.withArray("keys").get(0)).put("encryptionKeyPem", "not a key"),
                "keys[0].encryptionKeyPem: must be a PEM SM2 public key");
        assertRejected(b -> ((ObjectNode) b.withArray("keys").get(0)).put("keyId", "00"), "keys[0].keyId: does not match the key");
        assertThatThrownBy(() -> StandardsBundle.fromPayload(Examples.read("cases/C-EX-01.json")))
                .hasMessageStartingWith("version: must be a non-empty string, got nothing (missing)");
    }

    @Test
    void versionsCompareAsYearThenRevision() {
        assertThat(StandardsVersion.parse("2026.10")).isGreaterThan(StandardsVersion.parse("2026.9"));
        assertThat(StandardsVersion.parse("2027.0")).isGreaterThan(StandardsVersion.parse("2026.12"));
        assertThat(StandardsVersion.parse("2026.1")).isEqualByComparingTo(new StandardsVersion(2026, 1)).hasToString("2026.1");
        for (String bad : new String[] {"2026", "2026.01", "26.1", "2026.1.1", " 2026.1", "2026.-1"}) {
            assertThatThrownBy(() -> StandardsVersion.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
