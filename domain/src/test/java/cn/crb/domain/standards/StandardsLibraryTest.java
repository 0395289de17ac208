package cn.crb.domain.standards;

import cn.crb.domain.Examples;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class StandardsLibraryTest {

    private static StandardsBundle version(String version, String from, String until) {
        ObjectNode json = Examples.standardsJson();
        json.put("version", version).put("effectiveFrom", from).put("supersedes", (String) null);
        if (until == null) json.putNull("effectiveUntil"); else json.put("effectiveUntil", until);
        return StandardsBundle.fromPayload(json);
    }

    @Test
    void chosenVersionIsTheHighestInForceOnTheDate() {
        StandardsLibrary lib = new StandardsLibrary();
        lib.add(version("2025.1", "2025-01-01", null));
        lib.add(version("2025.2", "2025-07-01", "2025-12-31"));
        lib.add(Examples.standards());
        assertThat(lib.inForceOn(LocalDate.parse("2024-12-31"))).isEmpty();
        assertThat(lib.inForceOn(LocalDate.parse("2025-03-01"))).get().extracting(StandardsBundle::version).hasToString("2025.1");
        assertThat(lib.inForceOn(LocalDate.parse("2025-07-01"))).get().extracting(StandardsBundle::version).hasToString("2025.2");
        assertThat(lib.inForceOn(LocalDate.parse("2025-12-31"))).get().extracting(StandardsBundle::version).hasToString("2025.2");
        // 2025.1 is open-ended, but 2026.1 is higher and in force from 2026-01-01
        assertThat(lib.inForceOn(LocalDate.parse("2026-01-01"))).get().extracting(StandardsBundle::version).hasToString("2026.1");
        assertThat(lib.versions()).extracting(Object::toString).containsExactly("2025.1", "2025.2", "2026.1");
    }

    @Test
    void sameVersionWithDifferentBytesIsRefusedAndChangesNothing() {
        StandardsLibrary lib = new StandardsLibrary();
        StandardsBundle original = Examples.standards();
        assertThat(lib.add(original).kind()).isEqualTo(StandardsLibrary.Admission.Kind.ADDED_AS_CURRENT);
        ObjectNode changed = Examples.standardsJson();
        changed.withObject("limits").put("maxCreditsPerApplication", "40");
        StandardsLibrary.Admission a = lib.add(StandardsBundle.fromPayload(changed));
        assertThat(a.kind()).isEqualTo(StandardsLibrary.Admission.Kind.REFUSED_EQUIVOCATION);
        assertThat(a.accepted()).isFalse();
        assertThat(a.message()).contains("2026.1", original.payloadSm3());
        assertThat(lib.get(new StandardsVersion(2026, 1))).get().isSameAs(original);
        assertThat(lib.add(Examples.standards()).kind()).isEqualTo(StandardsLibrary.Admission.Kind.ALREADY_HELD);
    }

    @Test
    void olderVersionIsKeptButNeverBecomesCurrent() {
        StandardsLibrary lib = new StandardsLibrary();
        assertThat(lib.current()).isEmpty();
        lib.add(Examples.standards());
        StandardsLibrary.Admission a = lib.add(version("2025.2", "2025-07-01", "2025-12-31"));
        assertThat(a.kind()).isEqualTo(StandardsLibrary.Admission.Kind.ADDED_AS_OLDER);
        assertThat(a.accepted()).isTrue();
        assertThat(lib.current()).get().extracting(StandardsBundle::version).hasToString("2026.1");
        assertThat(lib.inForceOn(LocalDate.parse("2025-08-01"))).get().extracting(StandardsBundle::version).hasToString("2025.2");
        assertThat(lib.add(version("2026.2", "2026-09-01", null)).kind()).isEqualTo(StandardsLibrary.Admission.Kind.ADDED_AS_CURRENT);
        assertThat(lib.current()).get().extracting(StandardsBundle::version).hasToString("2026.2");
    }
}
