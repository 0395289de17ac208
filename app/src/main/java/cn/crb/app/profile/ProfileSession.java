package cn.crb.app.profile;

import cn.crb.localdb.LocalDatabase;
import cn.crb.localdb.ProfileRepository;
import cn.crb.localdb.ProfileStore;

import java.nio.file.Path;

/** An unlocked profile: its open, decrypted database and the person it belongs to. Close it to lock. */
public final class ProfileSession implements AutoCloseable {
    private final ProfileSummary summary;
    private final ProfileStore.StoredProfile stored;
    private final LocalDatabase db;
    private final ProfileRepository repository;
    private final Path dir;

    ProfileSession(ProfileSummary summary, ProfileStore.StoredProfile stored, LocalDatabase db, ProfileRepository repository, Path dir) {
        this.summary = summary;
        this.stored = stored;
        this.db = db;
        this.repository = repository;
        this.dir = dir;
    }

    public ProfileSummary summary() { return summary; }
    public ProfileStore.StoredProfile stored() { return stored; }
    public Path dir() { return dir; }

    /** Envelopes in the outbox not yet accepted by the platform. */
    public int outboxSize() {
        return repository.outboxSize();
    }

    /** The profile's records (enrolment, token, audit). */
    public ProfileRepository repository() { return repository; }

    /** For the services of later features (review, sync, bulk); the UI never touches it. */
    public LocalDatabase database() { return db; }

    @Override
    public void close() {
        db.close();
    }
}
