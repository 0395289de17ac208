package cn.crb.app.cli;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.ProfileSummary;
import cn.crb.domain.audit.AuditVerifier;
import cn.crb.domain.crypto.Passphrases;
import cn.crb.sync.HttpTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/** {@code crb audit verify}: walks the local audit chain (contract 06) and names the first entry that does not match. */
@Command(name = "audit", description = "Check the local hash-chained audit log.", subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
    /** Exit status when the chain does not verify (2 stays for errors of the command itself). */
    static final int EXIT_BROKEN = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "verify", description = {
            "Verify the audit chain end to end and against the signed audit checkpoints held in the outbox.",
            "Prints 'OK <n> entries' (exit 0), or names the first bad entry: its seq and what is wrong (exit 1).",
            "The database is encrypted: the passphrase is needed."})
    static final class Verify implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).") Path home;
        @Option(names = "--profile", description = "Profile id or person id (default: the only profile).") String profile;
        @Option(names = "--passphrase-file", description = "File whose first line is the passphrase (else $CRB_PASSPHRASE).") Path passphraseFile;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            char[] pass = PassphraseSource.read(passphraseFile);
            try (HttpTransport http = ProfileCommand.transport(home)) {
                ProfileService service = new ProfileService(ProfileCommand.home(home), http, Clock.systemUTC());
                ProfileSummary p = ProfileCommand.choose(service, profile);
                pass = PassphraseSource.matching(service, p.id(), pass, passphraseFile); // a file read as an older version read it
                try (ProfileSession session = service.unlock(p.id(), pass)) {
                    Passphrases.wipe(pass);
                    AuditVerifier.Result r = session.repository().verifyAudit();
                    PrintWriter out = spec.commandLine().getOut();
                    if (r.ok()) {
                        out.println("OK " + r.entries() + " entries");
                        return 0;
                    }
                    out.println("BAD entry " + r.firstBadSeq() + ": " + r.problem() + " (the " + r.entries() + " entries before it verify)");
                    return EXIT_BROKEN;
                }
            } catch (ProfileException e) {
                throw new CliException(ProfileCommand.message(e), e);
            } finally {
                Passphrases.wipe(pass);
            }
        }
    }
}
