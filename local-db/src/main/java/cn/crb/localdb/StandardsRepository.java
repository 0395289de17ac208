package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.StandardsBundle;
import cn.crb.domain.standards.StandardsLibrary;
import cn.crb.domain.standards.StandardsVersion;
import com.fasterxml.jackson.databind.JsonNode;
import org.jooq.Record;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static cn.crb.localdb.jooq.Tables.CASE_CACHE;
import static cn.crb.localdb.jooq.Tables.STANDARDS_BUNDLE;

/**
 * Every standards version the workstation holds, stored as received (the signed envelope, or a bare payload marked
 * unverified). Installation follows {@link StandardsLibrary}'s rules — same version with other bytes is refused,
 * older versions are kept but never become current — and is audited in the same transaction.
 */
public final class StandardsRepository {
    private final LocalDatabase db;
    private final AuditLog audit;
    private final Clock clock;

    public StandardsRepository(LocalDatabase db, Clock clock) {
        this.db = db;
        this.audit = new AuditLog(clock);
        this.clock = clock;
    }

    /** A held version, for lists: no payload parsing needed. */
    public record Held(String version, LocalDate effectiveFrom, LocalDate effectiveUntil, boolean verified,
                       String payloadSm3, String envelopeSm3, OffsetDateTime installedAt) {}

    /**
     * Installs a bundle that was verified against the pinned platform key ({@code envelope} non-null) or, for local
     * tools, a bare payload ({@code envelope} null, stored as unverified). Returns what the library rules decided.
     */
    public StandardsLibrary.Admission install(StandardsBundle bundle, Envelope envelope, String actorKeyId) {
        return db.transaction(tx -> {
            StandardsLibrary lib = library(tx.dsl());
            StandardsLibrary.Admission a = lib.add(bundle);
            if (a.kind() == StandardsLibrary.Admission.Kind.ADDED_AS_CURRENT || a.kind() == StandardsLibrary.Admission.Kind.ADDED_AS_OLDER) {
                StandardsVersion v = bundle.version();
                JsonNode doc = envelope != null ? envelope.toJson() : bundle.payloadJson();
                tx.dsl().insertInto(STANDARDS_BUNDLE)
                        .set(STANDARDS_BUNDLE.VERSION, v.toString())
                        .set(STANDARDS_BUNDLE.VERSION_YEAR, v.year())
                        .set(STANDARDS_BUNDLE.VERSION_REVISION, v.revision())
                        .set(STANDARDS_BUNDLE.EFFECTIVE_FROM, bundle.effectiveFrom())
                        .set(STANDARDS_BUNDLE.EFFECTIVE_UNTIL, bundle.effectiveUntil())
                        .set(STANDARDS_BUNDLE.PAYLOAD_SM3, bundle.payloadSm3())
                        .set(STANDARDS_BUNDLE.ENVELOPE_SM3, envelope == null ? null : envelope.sm3())
                        .set(STANDARDS_BUNDLE.VERIFIED, envelope != null)
                        .set(STANDARDS_BUNDLE.DOCUMENT, Json.write(doc))
                        .set(STANDARDS_BUNDLE.INSTALLED_AT, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                        .execute();
                // undecided cases filed while this version is in force are flagged: their recommendation may change
                var applies = CASE_CACHE.APPLIED_ON.ge(bundle.effectiveFrom());
                if (bundle.effectiveUntil() != null) applies = applies.and(CASE_CACHE.APPLIED_ON.le(bundle.effectiveUntil()));
                int flagged = tx.dsl().update(CASE_CACHE).set(CASE_CACHE.NEEDS_REEVALUATION, true)
                        .setNull(CASE_CACHE.RECOMMENDED_REVISION)
                        .where(applies.and(CASE_CACHE.LOCAL_STATE.in("NEW", "DRAFT"))).execute();
                audit.append(tx.dsl(), actorKeyId, AuditAction.STANDARDS_INSTALLED, "standards", v.toString(),
                        Json.object().put("payloadSm3", bundle.payloadSm3()).put("verified", envelope != null)
                                .put("admission", a.kind().name()).put("casesFlagged", flagged));
            }
            return a;
        });
    }

    /** All held versions, oldest first. */
    public List<Held> list() {
        return db.dsl().selectFrom(STANDARDS_BUNDLE).orderBy(STANDARDS_BUNDLE.VERSION_YEAR, STANDARDS_BUNDLE.VERSION_REVISION)
                .fetch(r -> new Held(r.getVersion(), r.getEffectiveFrom(), r.getEffectiveUntil(), r.getVerified(),
                        r.getPayloadSm3(), r.getEnvelopeSm3(), r.getInstalledAt()));
    }

    /** True when this exact version is held (whatever its bytes). */
    public boolean holds(String version) {
        return db.dsl().fetchExists(STANDARDS_BUNDLE, STANDARDS_BUNDLE.VERSION.eq(version));
    }

    /** The library of every held version (parsed once per call; callers keep it while the data does not change). */
    public StandardsLibrary library() {
        return library(db.dsl());
    }

    /** The stored document of one version: the signed envelope, or the bare payload when unverified. */
    public Optional<JsonNode> document(String version) {
        return Optional.ofNullable(db.dsl().select(STANDARDS_BUNDLE.DOCUMENT).from(STANDARDS_BUNDLE)
                .where(STANDARDS_BUNDLE.VERSION.eq(version)).fetchOne(STANDARDS_BUNDLE.DOCUMENT)).map(Json::parse);
    }

    private static StandardsLibrary library(org.jooq.DSLContext dsl) {
        StandardsLibrary lib = new StandardsLibrary();
        for (Record r : dsl.select(STANDARDS_BUNDLE.DOCUMENT, STANDARDS_BUNDLE.VERIFIED).from(STANDARDS_BUNDLE)
                .orderBy(STANDARDS_BUNDLE.VERSION_YEAR, STANDARDS_BUNDLE.VERSION_REVISION).fetch()) {
            JsonNode doc = Json.parse(r.get(STANDARDS_BUNDLE.DOCUMENT));
            JsonNode payload = r.get(STANDARDS_BUNDLE.VERIFIED) ? doc.get("payload") : doc;
            lib.add(StandardsBundle.fromPayload(payload));
        }
        return lib;
    }
}
