package cn.crb.localdb;

import cn.crb.domain.crypto.Sm3;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import static cn.crb.localdb.jooq.Tables.EVIDENCE;
import static cn.crb.localdb.jooq.Tables.EVIDENCE_PART;

/**
 * Evidence files in the encrypted database. A download appends parts as they arrive (so it can resume after a dropped
 * connection); {@link #complete} checks the SM3 of the whole and only then keeps the file as verified — a file whose
 * SM3 differs from its address is discarded, never kept.
 */
public final class EvidenceRepository {
    /** A verified evidence file. */
    public record File(String sm3, String mediaType, byte[] bytes) {}

    private final LocalDatabase db;
    private final Clock clock;

    public EvidenceRepository(LocalDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Optional<File> verified(String sm3) {
        return db.dsl().selectFrom(EVIDENCE).where(EVIDENCE.SM3.eq(sm3)).fetchOptional()
                .map(r -> new File(r.getSm3(), r.getMediaType(), r.getBytes()));
    }

    /** Bytes received so far for a download that has not completed. */
    public long partialLength(String sm3) {
        return db.dsl().select(EVIDENCE_PART.BYTES).from(EVIDENCE_PART).where(EVIDENCE_PART.SM3.eq(sm3))
                .fetch(r -> (long) r.value1().length).stream().mapToLong(Long::longValue).sum();
    }

    /** Appends a part at {@code offset} (which must be the length received so far; 0 starts over). */
    public void appendPart(String sm3, long offset, byte[] bytes) {
        db.inTransaction(tx -> {
            if (offset == 0) tx.dsl().deleteFrom(EVIDENCE_PART).where(EVIDENCE_PART.SM3.eq(sm3)).execute();
            tx.dsl().insertInto(EVIDENCE_PART).set(EVIDENCE_PART.SM3, sm3).set(EVIDENCE_PART.OFFSET_BYTES, offset)
                    .set(EVIDENCE_PART.BYTES, bytes).execute();
            return null;
        });
    }

    /**
     * Joins the parts, checks their SM3 against {@code sm3} and keeps the file when it matches. The parts are removed
     * either way; returns the file, or empty when the bytes did not match (they are not kept).
     */
    public Optional<File> complete(String sm3, String mediaType) {
        return db.inTransaction(tx -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            tx.dsl().select(EVIDENCE_PART.BYTES).from(EVIDENCE_PART).where(EVIDENCE_PART.SM3.eq(sm3)).orderBy(EVIDENCE_PART.OFFSET_BYTES)
                    .forEach(r -> all.writeBytes(r.value1()));
            tx.dsl().deleteFrom(EVIDENCE_PART).where(EVIDENCE_PART.SM3.eq(sm3)).execute();
            byte[] bytes = all.toByteArray();
            if (!Sm3.hex(bytes).equals(sm3)) return Optional.<File>empty();
            tx.dsl().mergeInto(EVIDENCE).using(tx.dsl().selectOne()).on(EVIDENCE.SM3.eq(sm3))
                    .whenNotMatchedThenInsert(EVIDENCE.SM3, EVIDENCE.MEDIA_TYPE, EVIDENCE.BYTES, EVIDENCE.STORED_AT)
                    .values(sm3, mediaType, bytes, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)).execute();
            return Optional.of(new File(sm3, mediaType, bytes));
        });
    }
}
