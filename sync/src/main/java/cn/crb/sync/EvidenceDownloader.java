package cn.crb.sync;

import cn.crb.localdb.EvidenceRepository;

import java.util.Optional;

/**
 * Fetches an evidence file by its SM3 (contract 04): resumes with a range request from what earlier attempts stored,
 * retries a dropped connection a few times, and keeps the file only when the SM3 of the whole equals its address.
 */
public final class EvidenceDownloader {
    /** The file arrived whole but its SM3 is not the one asked for: nothing was kept. */
    public static final class MismatchException extends Exception {
        public MismatchException(String sm3) { super("evidence " + sm3 + ": the received bytes have another SM3; discarded"); }
    }

    private final PlatformClient client;
    private final EvidenceRepository repository;
    private final int attempts;

    public EvidenceDownloader(PlatformClient client, EvidenceRepository repository, int attempts) {
        this.client = client;
        this.repository = repository;
        this.attempts = attempts;
    }

    /** The verified file: from the local store, or downloaded (resuming a partial download) and verified first. */
    public EvidenceRepository.File fetch(String sm3) throws PlatformException, MismatchException {
        Optional<EvidenceRepository.File> held = repository.verified(sm3);
        if (held.isPresent()) return held.get();
        PlatformException last = null;
        for (int i = 0; i < attempts; i++) {
            long from = repository.partialLength(sm3);
            try {
                String type = client.evidence(sm3, from, (offset, chunk) -> repository.appendPart(sm3, offset, chunk));
                return repository.complete(sm3, type.split(";")[0].strip()).orElseThrow(() -> new MismatchException(sm3));
            } catch (PlatformException e) {
                if (e.kind() != PlatformException.Kind.NETWORK && e.kind() != PlatformException.Kind.SERVER) throw e;
                last = e; // the parts received so far are kept; the next attempt asks for the rest
            }
        }
        throw last;
    }
}
