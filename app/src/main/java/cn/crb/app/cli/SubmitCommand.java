package cn.crb.app.cli;

import cn.crb.app.bulk.BulkService;
import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.ProfileSummary;
import cn.crb.domain.crypto.Passphrases;
import cn.crb.localdb.BulkJob;
import cn.crb.localdb.BulkRepository;
import cn.crb.sync.BulkUploader;
import cn.crb.sync.HttpTransport;
import cn.crb.sync.PlatformException;
import cn.crb.sync.RetryPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code crb submit}: uploads every queued import job (READY, or UPLOADING after an interruption) to the platform as a
 * batch signed in role CLERK, resuming from what the platform says it holds, and prints the platform's verdict per job
 * (and each refused row). Exit codes as {@code crb sync}: 0 when every queued job completed, 3 when the platform could
 * not be reached (nothing lost: the jobs stay queued and the next run resumes them), 2 for any other failure.
 */
@Command(name = "submit", description = "Upload the queued bulk imports to the platform, signed as CLERK; resumes interrupted uploads.")
final class SubmitCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).") Path home;
    @Option(names = "--profile", description = "Profile id or person id (default: the only profile).") String profile;
    @Option(names = "--passphrase-file", description = "File whose first line is the passphrase (else $CRB_PASSPHRASE).") Path passphraseFile;
    @Option(names = "--attempts", defaultValue = "6", description = "Attempts per request before giving up on an unreachable platform (default 6).")
    int attempts;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (attempts < 1) throw new CliException("--attempts must be at least 1");
        char[] pass = PassphraseSource.read(passphraseFile);
        PrintWriter out = spec.commandLine().getOut();
        try (HttpTransport http = ProfileCommand.transport(home)) {
            ProfileService service = new ProfileService(ProfileCommand.home(home), http, Clock.systemUTC());
            ProfileSummary p = ProfileCommand.choose(service, profile);
            pass = PassphraseSource.matching(service, p.id(), pass, passphraseFile); // a file read as an older version read it
            try (ProfileSession session = service.unlock(p.id(), pass)) {
                BulkService bulk = new BulkService(session, service, http, Clock.systemUTC());
                List<BulkJob> pending = bulk.pendingUploads();
                if (pending.isEmpty()) {
                    out.println("nothing to submit: no queued import");
                    return 0;
                }
                RetryPolicy retry = new RetryPolicy(attempts, Duration.ofMillis(500), Duration.ofSeconds(30));
                long accepted = 0;
                long refused = 0;
                int done = 0;
                int setAside = 0;
                for (BulkJob job : pending) {
                    BulkUploader.Result r;
                    try {
                        r = bulk.upload(job.id(), pass, retry, BulkUploader.Progress.NONE, () -> false);
                    } catch (PlatformException e) {
                        if (e.retryable()) {
                            out.println("submitted " + done + " of " + pending.size() + " batches: " + accepted + " accepted, " + refused + " refused");
                            spec.commandLine().getErr().println("crb: the platform could not be reached; nothing is lost, "
                                    + (pending.size() - done) + " queued imports resume with the next crb submit (" + e.getMessage() + ")");
                            return SyncCommand.EXIT_UNREACHABLE;
                        }
                        if (e.kind() == PlatformException.Kind.UNTRUSTED) {
                            throw new CliException("job " + job.id() + " (" + job.fileName() + "): the platform's certificate was not accepted (it matches none of the pins, "
                                    + "or not the host name); nothing was sent on that connection (" + e.getMessage() + ")", e);
                        }
                        throw new CliException("job " + job.id() + " (" + job.fileName() + "): "
                                + (e.kind() == PlatformException.Kind.PROTOCOL ? "the platform answered outside the contract: " : "the platform refused the batch: ")
                                + e.getMessage() + (e.code() == null ? "" : " [" + e.code() + "]"), e);
                    } catch (BulkUploader.CompletionAlteredException e) {
                        // this job's stored completion was altered here and set aside; the next run signs a new one. The
                        // jobs after it are still submitted
                        spec.commandLine().getErr().println("crb: job " + job.id() + " (" + job.fileName() + "): " + e.getMessage());
                        setAside++;
                        continue;
                    }
                    out.println("job " + job.id() + " " + job.fileName() + ": batch " + r.batchId() + ", " + job.batchRows() + " rows, "
                            + r.accepted() + " accepted, " + r.refused() + " refused");
                    for (BulkRepository.RowResult row : r.refusedRows()) {
                        out.println("  row " + row.rowNumber() + ": " + row.status() + (row.code() == null ? "" : " " + row.code()));
                    }
                    if (r.refused() > r.refusedRows().size()) {
                        out.println("  ... and " + (r.refused() - r.refusedRows().size()) + " more refused rows (all are listed in the workstation's results)");
                    }
                    accepted += r.accepted();
                    refused += r.refused();
                    done++;
                }
                out.println("submitted " + done + " of " + pending.size() + " batches: " + accepted + " accepted, " + refused + " refused");
                return setAside == 0 ? 0 : CrbMain.EXIT_ERROR;
            }
        } catch (ProfileException e) {
            throw new CliException(ProfileCommand.message(e), e);
        } finally {
            Passphrases.wipe(pass);
        }
    }
}
