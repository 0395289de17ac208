package cn.crb.localdb;

import cn.crb.domain.audit.AuditAction;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.util.Optional;

import static cn.crb.localdb.jooq.Tables.KV_SETTING;

/**
 * The profile's own records in its database: the enrolment, the platform token, and their audit entries,
 * each change written in one transaction with its audit entry.
 */
public final class ProfileRepository {
    private static final String TOKEN = "platform.token";
    private final LocalDatabase db;
    private final AuditLog audit;
    private final ProfileStore profiles = new ProfileStore();

    public ProfileRepository(LocalDatabase db, Clock clock) {
        this.db = db;
        this.audit = new AuditLog(clock);
    }

    /** Stores a fresh enrolment: person, pinned platform key, token; audits key creation and enrolment. */
    public void saveEnrolment(ProfileStore.StoredProfile p, String token, JsonNode keyDetail, JsonNode signedProfilePayload) {
        db.transaction(tx -> {
            profiles.save(tx.dsl(), p);
            tx.dsl().mergeInto(KV_SETTING).using(tx.dsl().selectOne()).on(KV_SETTING.K.eq(TOKEN))
                    .whenMatchedThenUpdate().set(KV_SETTING.V, token)
                    .whenNotMatchedThenInsert(KV_SETTING.K, KV_SETTING.V).values(TOKEN, token).execute();
            audit.append(tx.dsl(), p.keyId(), AuditAction.KEY_CREATED, "key", p.keyId(), keyDetail);
            audit.append(tx.dsl(), p.keyId(), AuditAction.ENROLLED, "profile", p.personId(), signedProfilePayload);
            return null;
        });
        db.checkpointSync();
    }

    /**
     * A further enrolment of this profile's key (after the platform revoked its token, e.g. on a change of roles): in
     * one transaction the profile as the platform now signs it and the new token are stored, an ENROLLED entry with the
     * signed profile is appended and, when the roles differ from those held, a ROLE_CHANGE_RECEIVED entry with the
     * roles before and after (contract 03, 06). Returns whether the roles changed.
     */
    public boolean renewEnrolment(ProfileStore.StoredProfile p, String token, JsonNode signedProfilePayload) {
        boolean changed = db.transaction(tx -> {
            ProfileStore.StoredProfile before = profiles.load(tx.dsl())
                    .orElseThrow(() -> new IllegalStateException("no enrolment to renew"));
            if (!before.personId().equals(p.personId()) || !before.keyId().equals(p.keyId())) {
                throw new IllegalArgumentException("a renewal must be for the same person and key");
            }
            profiles.save(tx.dsl(), p);
            tx.dsl().mergeInto(KV_SETTING).using(tx.dsl().selectOne()).on(KV_SETTING.K.eq(TOKEN))
                    .whenMatchedThenUpdate().set(KV_SETTING.V, token)
                    .whenNotMatchedThenInsert(KV_SETTING.K, KV_SETTING.V).values(TOKEN, token).execute();
            audit.append(tx.dsl(), p.keyId(), AuditAction.ENROLLED, "profile", p.personId(), signedProfilePayload);
            boolean differ = !new java.util.TreeSet<>(before.roles()).equals(new java.util.TreeSet<>(p.roles()));
            if (differ) {
                var detail = cn.crb.domain.json.Json.object();
                before.roles().forEach(detail.putArray("from")::add);
                p.roles().forEach(detail.putArray("to")::add);
                detail.put("profileSignedAt", signedProfilePayload.path("enrolledAt").asText());
                audit.append(tx.dsl(), p.keyId(), AuditAction.ROLE_CHANGE_RECEIVED, "profile", p.personId(), detail);
            }
            return differ;
        });
        db.checkpointSync();
        return changed;
    }

    public void recordUnlock(String keyId, String personId, JsonNode detail) {
        db.transaction(tx -> audit.append(tx.dsl(), keyId, AuditAction.PROFILE_UNLOCKED, "profile", personId, detail));
    }

    public Optional<ProfileStore.StoredProfile> load() {
        return profiles.load(db.dsl());
    }

    /** The platform's bearer token (secret: kept only in the encrypted database, never logged). */
    public Optional<String> token() {
        return Optional.ofNullable(db.dsl().select(KV_SETTING.V).from(KV_SETTING).where(KV_SETTING.K.eq(TOKEN)).fetchOne(KV_SETTING.V));
    }

    public int outboxSize() {
        return new OutboxStore().pendingCount(db.dsl());
    }

    /** The head of the local audit chain (what an audit checkpoint signs), if the chain is not empty. */
    public Optional<cn.crb.domain.audit.AuditEntry> auditHead() {
        return audit.head(db.dsl());
    }

    public long auditEntries() {
        return audit.size(db.dsl());
    }

    /** The latest audit entries, newest first. */
    public java.util.List<cn.crb.domain.audit.AuditEntry> recentAudit(int limit) {
        return db.dsl().selectFrom(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY).orderBy(cn.crb.localdb.jooq.Tables.AUDIT_ENTRY.SEQ.desc())
                .limit(limit).fetch(AuditLog::toEntry);
    }

    /** Verifies the audit chain end to end. */
    public cn.crb.domain.audit.AuditVerifier.Result verifyAudit() {
        return audit.verify(db.dsl());
    }
}
