package cn.crb.app.cases;

import cn.crb.app.print.EvidencePages;
import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileSession;
import cn.crb.localdb.EvidenceRepository;
import cn.crb.sync.EvidenceDownloader;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.PlatformClient;
import cn.crb.sync.PlatformException;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;

/**
 * Evidence of a case's outcomes, shown inside the workstation: from the encrypted local store when held, else
 * downloaded by its SM3 (resuming a partial download) and kept only when the SM3 of the whole matches; then rendered
 * to pages. Blocking: call in the background.
 */
public final class EvidenceService {
    private final ProfileSession session;
    private final HttpTransport http;
    private final EvidenceRepository repository;

    public EvidenceService(ProfileSession session, HttpTransport http, Clock clock) {
        this.session = session;
        this.http = http;
        this.repository = new EvidenceRepository(session.database(), clock);
    }

    /** The verified file rendered to pages (PDF) or as it is (image). */
    public EvidencePages.Pages open(String sm3) throws ProfileException {
        EvidenceRepository.File f;
        try {
            f = repository.verified(sm3).isPresent() ? repository.verified(sm3).get()
                    : new EvidenceDownloader(new PlatformClient(URI.create(session.summary().platformUrl()), http,
                    session.repository().token().orElse(null)), repository, 3).fetch(sm3);
        } catch (EvidenceDownloader.MismatchException e) {
            throw new ProfileException(ProfileException.Reason.EVIDENCE_MISMATCH, sm3.substring(0, 16), e);
        } catch (PlatformException e) {
            throw new ProfileException(ProfileException.Reason.PLATFORM_UNREACHABLE, e.getMessage(), e);
        }
        try {
            return EvidencePages.render(f.mediaType(), f.bytes(), 110f);
        } catch (IOException e) {
            throw new ProfileException(ProfileException.Reason.EVIDENCE_UNREADABLE, f.mediaType(), e);
        }
    }
}
