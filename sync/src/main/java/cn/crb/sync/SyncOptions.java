package cn.crb.sync;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

/**
 * How a sync run behaves.
 *
 * @param pageSize   assignments per page (1..500)
 * @param batchSize  envelopes per push request (1..500)
 * @param backoff    retry pacing and the per-run retry cap
 * @param signer     the person's unlocked signing key for the audit checkpoint, or null to skip the checkpoint
 */
public record SyncOptions(int pageSize, int batchSize, Backoff.Policy backoff, Signer signer) {
    public SyncOptions {
        if (pageSize < 1 || pageSize > 500) throw new IllegalArgumentException("pageSize must be within 1..500");
        if (batchSize < 1 || batchSize > 500) throw new IllegalArgumentException("batchSize must be within 1..500");
        Objects.requireNonNull(backoff, "backoff");
    }

    /** Defaults: pages of 100, pushes of 500, default backoff, no checkpoint. */
    public static SyncOptions defaults() {
        return new SyncOptions(100, 500, Backoff.Policy.defaults(), null);
    }

    public SyncOptions withSigner(Signer s) { return new SyncOptions(pageSize, batchSize, backoff, s); }

    public SyncOptions withBackoff(Backoff.Policy p) { return new SyncOptions(pageSize, batchSize, p, signer); }

    public SyncOptions withSizes(int page, int batch) { return new SyncOptions(page, batch, backoff, signer); }

    /** The person's key and the role the checkpoint is signed in. Never printed. */
    public record Signer(PrivateKey privateKey, PublicKey publicKey, String role) {
        public Signer {
            Objects.requireNonNull(privateKey);
            Objects.requireNonNull(publicKey);
            Objects.requireNonNull(role);
        }

        @Override
        public String toString() { return "Signer[" + role + "]"; }
    }
}
