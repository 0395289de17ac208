package cn.crb.localdb;

import cn.crb.domain.crypto.Envelope;
import cn.crb.domain.decision.Decision;
import cn.crb.domain.decision.Verdict;

import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Child process of {@link KillDuringSigningTest}: signs decisions one after another exactly as the workstation does
 * ({@link DecisionRepository#saveDraft} while typing, then an SM2-signed envelope and {@link DecisionRepository#sign}:
 * decision row, outbox row, case state and audit entries in one transaction, then CHECKPOINT SYNC), until killed.
 */
public final class KillSignerMain {
    static Decision decision(int n) {
        return new Decision("C-KILL-" + n, 1, "2026.1", Verdict.REQUEST_MATERIALS, List.of(), "请补交第 " + n + " 份成绩单", "note " + n);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        byte[] dbKey = HexFormat.of().parseHex(args[1]);
        KeyFactory kf = KeyFactory.getInstance("EC", cn.crb.domain.crypto.Sm2.BC);
        KeyPair keys = new KeyPair(kf.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(args[2]))),
                kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(args[3]))));
        int start = Integer.parseInt(args[4]);
        String actor = cn.crb.domain.crypto.Sm2.keyId(keys.getPublic());
        LocalDatabase db = LocalDatabase.open(dir, dbKey);
        DecisionRepository decisions = new DecisionRepository(db, Clock.systemUTC());
        System.out.println("READY");
        System.out.flush();
        for (int n = start; ; n++) {
            Decision d = decision(n);
            decisions.saveDraft(d, actor);
            Instant now = Instant.now();
            Envelope env = Envelope.unsigned("creditbank.decision/1", d.payload(now)).sign(keys.getPrivate(), keys.getPublic(), "REVIEWER", now);
            decisions.sign(d, env, actor);
            System.out.println(n);
            System.out.flush();
        }
    }
}
