package cn.crb.app.cli;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.ProfileSummary;
import cn.crb.app.sync.SyncService;
import cn.crb.domain.crypto.Passphrases;
import cn.crb.domain.crypto.Pkcs12Keystore;
import cn.crb.sync.CancellationToken;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.ProgressListener;
import cn.crb.sync.SyncReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Collectors;

/**
 * {@code crb sync}: one synchronisation with the platform, with a short report. Exit 0 when it completed (the outbox is
 * empty or holds only items that need a person), 3 when the platform could not be reached (nothing lost; try later),
 * 2 for any other failure.
 */
@Command(name = "sync", description = "Synchronise with the platform: verify its log, pull standards and cases, sign an audit checkpoint, send the outbox.")
final class SyncCommand implements java.util.concurrent.Callable<Integer> {
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
                Pkcs12Keystore.Unlocked key = service.openSigningKey(p.id(), pass);
                SyncReport r = new SyncService(http, Clock.systemUTC()).sync(session, key, ProgressListener.NONE, CancellationToken.none());
                print(spec.commandLine().getOut(), r);
                if (r.outcome() == SyncReport.Outcome.RETRY_LATER) {
                    spec.commandLine().getErr().println("crb: the platform could not be reached; nothing is lost, try again later ("
                            + r.problem() + ")");
                    return EXIT_UNREACHABLE;
                }
                if (!r.complete()) throw new CliException("sync " + r.outcome() + ": " + r.problem());
                return 0;
            }
        } catch (ProfileException e) {
            throw new CliException(ProfileCommand.message(e), e);
        } finally {
            Passphrases.wipe(pass);
        }
    }

    /** Exit status when the platform could not be reached. */
    static final int EXIT_UNREACHABLE = 3;

    static void print(PrintWriter out, SyncReport r) {
        out.println("pulled " + (r.casesInserted() + r.casesUpdated()) + " cases, pushed "
                + (r.envelopesAccepted() + r.envelopesDuplicate() + r.envelopesConflict() + r.envelopesRejected()) + " envelopes: "
                + r.envelopesAccepted() + " accepted, " + r.envelopesDuplicate() + " duplicate, " + r.envelopesConflict() + " conflict, "
                + r.envelopesRejected() + " rejected");
        out.println("sync:       " + r.outcome());
        out.println("standards:  installed " + (r.standardsInstalled().isEmpty() ? "none" : String.join(", ", r.standardsInstalled()))
                + "; refused " + (r.standardsRefused().isEmpty() ? "none" : r.standardsRefused().stream()
                .map(x -> x.version() + " (" + x.reason() + ")").collect(Collectors.joining(", "))));
        out.println("cases:      " + r.casesInserted() + " new, " + r.casesUpdated() + " updated, " + r.casesWithdrawn() + " withdrawn (" + r.pages() + " pages)"
                + (r.casesRefused().isEmpty() ? "" : "; refused " + r.casesRefused().stream()
                .map(x -> x.caseId() + " (" + x.reason() + ")").collect(Collectors.joining(", "))));
        out.println("envelopes:  " + r.envelopesAccepted() + " accepted, " + r.envelopesDuplicate() + " duplicate, " + r.envelopesConflict()
                + " conflict, " + r.envelopesRejected() + " rejected; " + r.pendingLeft() + " pending");
        out.println("checkpoint: " + (r.checkpointQueued() ? "signed and queued" : "not signed"));
        out.println("log:        " + (r.treeSize() < 0 ? "no verified tree head" : "verified tree head of size " + r.treeSize()));
        out.println("retries:    " + r.retries());
    }
}
