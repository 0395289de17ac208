package cn.crb.app.standards;

import cn.crb.app.profile.ProfileSession;
import cn.crb.domain.crypto.Sm2;
import cn.crb.domain.json.Json;
import cn.crb.domain.standards.BundleVerifier;
import cn.crb.domain.standards.StandardsDiff;
import cn.crb.domain.standards.StandardsLibrary;
import cn.crb.domain.standards.StandardsVersion;
import cn.crb.localdb.StandardsRepository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The standards versions of the signed-in person: list, browse, compare, and install a signed bundle from a file
 * (for offline hand-over). A bundle is installed only when it verifies against the pinned platform key.
 * Blocking: call from a background task.
 */
public final class StandardsService {
    private final ProfileSession session;
    private final StandardsRepository repository;

    public StandardsService(ProfileSession session, Clock clock) {
        this.session = session;
        this.repository = new StandardsRepository(session.database(), clock);
    }

    public List<StandardsRepository.Held> versions() {
        return repository.list();
    }

    public StandardsLibrary library() {
        return repository.library();
    }

    /** What installing a file did: the admission, or the reason it was refused. */
    public record ImportOutcome(boolean installed, String version, String code, String detail) {}

    public ImportOutcome importFile(Path file) {
        String text;
        try {
            if (Files.size(file) > 20L * 1024 * 1024) return new ImportOutcome(false, null, "TOO_LARGE", file.getFileName().toString());
            text = Files.readString(file);
        } catch (IOException e) {
            return new ImportOutcome(false, null, "UNREADABLE", e.getMessage());
        }
        BundleVerifier verifier = new BundleVerifier(Sm2.fromPem(session.stored().platformPublicKeyPem()));
        BundleVerifier.Result r;
        try {
            r = verifier.verify(Json.parse(text), null);
        } catch (Json.MalformedJsonException e) {
            return new ImportOutcome(false, null, "MALFORMED_ENVELOPE", e.getMessage());
        }
        return switch (r) {
            case BundleVerifier.Refused refused -> new ImportOutcome(false, null, refused.reason().name(), refused.message());
            case BundleVerifier.Verified v -> {
                var envelope = cn.crb.domain.crypto.Envelope.fromJson(Json.parse(text));
                StandardsLibrary.Admission a = repository.install(v.bundle(), envelope, session.summary().keyId());
                yield new ImportOutcome(a.accepted(), a.version().toString(), a.kind().name(), a.message());
            }
        };
    }

    /** The changes from version {@code from} to version {@code to}. */
    public List<StandardsDiff.Change> diff(String from, String to) {
        StandardsLibrary lib = library();
        return StandardsDiff.between(lib.get(StandardsVersion.parse(from)).orElseThrow(), lib.get(StandardsVersion.parse(to)).orElseThrow());
    }

    public Optional<String> currentVersion() {
        return library().current().map(b -> b.version().toString());
    }
}
