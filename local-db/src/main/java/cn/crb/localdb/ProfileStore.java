package cn.crb.localdb;

import org.jooq.DSLContext;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import static cn.crb.localdb.jooq.Tables.PROFILE_INFO;

/** The enrolled person stored in their own database: identity, roles and the pinned platform key. */
public final class ProfileStore {

    /** The stored enrolment. Roles in platform order. */
    public record StoredProfile(String personId, String displayName, String institution, List<String> roles, String keyId,
                                String platformUrl, String platformKeyId, String platformPublicKeyPem,
                                String profileEnvelopeJson, OffsetDateTime enrolledAt) {}

    public void save(DSLContext tx, StoredProfile p) {
        tx.deleteFrom(PROFILE_INFO).execute();
        tx.insertInto(PROFILE_INFO)
                .set(PROFILE_INFO.ID, 1)
                .set(PROFILE_INFO.PERSON_ID, p.personId())
                .set(PROFILE_INFO.DISPLAY_NAME, p.displayName())
                .set(PROFILE_INFO.INSTITUTION, p.institution())
                .set(PROFILE_INFO.ROLES, String.join(",", p.roles()))
                .set(PROFILE_INFO.KEY_ID, p.keyId())
                .set(PROFILE_INFO.PLATFORM_URL, p.platformUrl())
                .set(PROFILE_INFO.PLATFORM_KEY_ID, p.platformKeyId())
                .set(PROFILE_INFO.PLATFORM_PUBLIC_KEY_PEM, p.platformPublicKeyPem())
                .set(PROFILE_INFO.PROFILE_ENVELOPE, p.profileEnvelopeJson())
                .set(PROFILE_INFO.ENROLLED_AT, p.enrolledAt())
                .execute();
    }

    public Optional<StoredProfile> load(DSLContext dsl) {
        return dsl.selectFrom(PROFILE_INFO).where(PROFILE_INFO.ID.eq(1)).fetchOptional().map(r -> new StoredProfile(
                r.getPersonId(), r.getDisplayName(), r.getInstitution(),
                r.getRoles().isBlank() ? List.of() : List.of(r.getRoles().split(",")), r.getKeyId(),
                r.getPlatformUrl(), r.getPlatformKeyId(), r.getPlatformPublicKeyPem(), r.getProfileEnvelope(), r.getEnrolledAt()));
    }
}
