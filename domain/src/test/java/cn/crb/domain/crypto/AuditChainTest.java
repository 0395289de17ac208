package cn.crb.domain.crypto;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.audit.AuditEntry;
import cn.crb.domain.audit.AuditVerifier;
import cn.crb.domain.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditChainTest {
    private static List<AuditEntry> chain(int n) {
        List<AuditEntry> l = new ArrayList<>();
        AuditEntry prev = null;
        for (int i = 0; i < n; i++) {
            prev = AuditEntry.next(prev, Instant.parse("2026-11-25T10:00:00Z").plusSeconds(i), "k".repeat(64),
                    AuditAction.DECISION_DRAFTED, "case", "C-" + i, Json.object().put("i", i));
            l.add(prev);
        }
        return l;
    }

    @Test
    void intactChainVerifies() {
        List<AuditEntry> c = chain(5);
        assertThat(c.getFirst().prevHash()).isEqualTo(AuditEntry.GENESIS);
        AuditVerifier.Result r = AuditVerifier.verify(c.iterator());
        assertThat(r.ok()).isTrue();
        assertThat(r.entries()).isEqualTo(5);
        assertThat(r.headHash()).isEqualTo(c.getLast().hash());
    }

    @Test
    void changedRemovedAndReorderedEntriesAreFound() {
        List<AuditEntry> changed = chain(5);
        AuditEntry e = changed.get(2);
        changed.set(2, new AuditEntry(e.seq(), e.at(), e.actorKeyId(), "VOTE_CAST", e.entityType(), e.entityId(), e.detailSm3(), e.prevHash(), e.hash()));
        assertThat(AuditVerifier.verify(changed.iterator()).firstBadSeq()).isEqualTo(3);

        List<AuditEntry> removed = chain(5);
        removed.remove(1);
        assertThat(AuditVerifier.verify(removed.iterator()).firstBadSeq()).isEqualTo(3);

        List<AuditEntry> swapped = chain(5);
        AuditEntry a = swapped.get(3);
        swapped.set(3, swapped.get(4));
        swapped.set(4, a);
        assertThat(AuditVerifier.verify(swapped.iterator()).firstBadSeq()).isEqualTo(5);
    }

    @Test
    void checkpointsMustMatchTheChainAndRevealARemovedTail() {
        List<AuditEntry> c = chain(6);
        java.util.Map<Long, String> good = java.util.Map.of(2L, c.get(1).hash(), 6L, c.get(5).hash());
        assertThat(AuditVerifier.verify(c.iterator(), good).ok()).isTrue();

        AuditVerifier.Result other = AuditVerifier.verify(c.iterator(), java.util.Map.of(4L, c.get(2).hash()));
        assertThat(other.ok()).isFalse();
        assertThat(other.firstBadSeq()).isEqualTo(4);
        assertThat(other.problem()).contains("checkpoint");

        // the last two entries removed: locally consistent, but the checkpoint at seq 6 reveals it
        List<AuditEntry> cut = new ArrayList<>(c.subList(0, 4));
        assertThat(AuditVerifier.verify(cut.iterator()).ok()).isTrue();
        AuditVerifier.Result tail = AuditVerifier.verify(cut.iterator(), good);
        assertThat(tail.ok()).isFalse();
        assertThat(tail.firstBadSeq()).isEqualTo(5);
        assertThat(tail.problem()).contains("ends at seq 4").contains("seq 6");
    }
}
