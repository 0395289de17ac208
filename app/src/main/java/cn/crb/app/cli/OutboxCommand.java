package cn.crb.app.cli;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.ProfileSummary;
import cn.crb.app.sync.SyncService;
import cn.crb.domain.crypto.Passphrases;
import cn.crb.localdb.OutboxRepository;
import cn.crb.sync.HttpTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/** {@code crb outbox list}: the signed envelopes waiting, sent or refused, with the platform's reasons. */
@Command(name = "outbox", description = "Inspect the outbox of signed envelopes.", subcommands = {OutboxCommand.ListEntries.class, OutboxCommand.Export.class})
final class OutboxCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", description = "List pending and refused envelopes (all with --all): id, state, type, case, code, detail, created.")
    static final class ListEntries implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).") Path home;
        @Option(names = "--profile", description = "Profile id or person id (default: the only profile).") String profile;
        @Option(names = "--passphrase-file", description = "File whose first line is the passphrase (else $CRB_PASSPHRASE).") Path passphraseFile;
        @Option(names = "--all", description = "Include accepted and discarded envelopes.") boolean all;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            char[] pass = PassphraseSource.read(passphraseFile);
            try (HttpTransport http = ProfileCommand.transport(home)) {
                ProfileService service = new ProfileService(ProfileCommand.home(home), http, Clock.systemUTC());
                ProfileSummary p = ProfileCommand.choose(service, profile);
                pass = PassphraseSource.matching(service, p.id(), pass, passphraseFile); // a file read as an older version read it
                try (ProfileSession session = service.unlock(p.id(), pass)) {
                    PrintWriter out = spec.commandLine().getOut();
                    int n = 0;
                    for (OutboxRepository.Entry e : new SyncService(http, Clock.systemUTC()).outbox(session, all)) {
                        out.println(e.id() + "\t" + e.state() + "\t" + e.type() + "\t" + dash(e.caseId()) + "\t" + dash(e.resultCode())
                                + "\t" + dash(e.resultDetail()) + "\t" + e.createdAt().toInstant());
                        n++;
                    }
                    if (n == 0) out.println(all ? "the outbox is empty" : "nothing pending or refused");
                    return 0;
                }
            } catch (ProfileException e) {
                throw new CliException(ProfileCommand.message(e), e);
            } finally {
                Passphrases.wipe(pass);
            }
        }

        private static String dash(String s) {
            return s == null || s.isBlank() ? "-" : s.replace('\t', ' ').replace('\n', ' ');
        }
    }

    @Command(name = "export", description = {
            "Write each pending or refused envelope (all with --all) to DIR as <sm3>.json: its canonical bytes (RFC 8785),",
            "whose SM3 is the file name. With --all, accepted envelopes come with the platform's receipt as <sm3>.receipt.json.",
            "An envelope whose stored bytes no longer match the SM3 recorded when it was queued is not written: it is",
            "named and the exit status is 1."})
    static final class Export implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).") Path home;
        @Option(names = "--profile", description = "Profile id or person id (default: the only profile).") String profile;
        @Option(names = "--passphrase-file", description = "File whose first line is the passphrase (else $CRB_PASSPHRASE).") Path passphraseFile;
        @Option(names = "--out", required = true, description = "Directory to write to (created when absent).") Path outDir;
        @Option(names = "--all", description = "Include accepted, duplicate and discarded envelopes (with their receipts).") boolean all;
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
                    java.nio.file.Files.createDirectories(outDir);
                    PrintWriter out = spec.commandLine().getOut();
                    int envelopes = 0, receipts = 0, bad = 0;
                    for (OutboxRepository.Held h : new OutboxRepository(session.database(), Clock.systemUTC()).held(all)) {
                        byte[] canonical;
                        try {
                            canonical = cn.crb.domain.json.Json.canonical(cn.crb.domain.crypto.Envelope.fromJson(
                                    cn.crb.domain.json.Json.parse(h.storedJson())).toJson());
                        } catch (RuntimeException e) {
                            canonical = null;
                        }
                        String sm3 = canonical == null ? null : cn.crb.domain.crypto.Sm3.hex(canonical);
                        if (!h.entry().envelopeSm3().equals(sm3)) {
                            out.println("NOT EXPORTED outbox entry " + h.entry().id() + ": its stored bytes do not match the SM3 "
                                    + h.entry().envelopeSm3() + " recorded when it was queued");
                            bad++;
                            continue;
                        }
                        java.nio.file.Files.write(outDir.resolve(sm3 + ".json"), canonical);
                        envelopes++;
                        if (h.receipt() != null) {
                            java.nio.file.Files.write(outDir.resolve(sm3 + ".receipt.json"), cn.crb.domain.json.Json.canonical(h.receipt()));
                            receipts++;
                        }
                    }
                    out.println("exported " + envelopes + " envelopes and " + receipts + " receipts to " + outDir);
                    return bad == 0 ? 0 : AuditCommand.EXIT_BROKEN;
                }
            } catch (ProfileException e) {
                throw new CliException(ProfileCommand.message(e), e);
            } catch (java.io.IOException e) {
                throw new CliException("cannot write to " + outDir + ": " + e.getMessage(), e);
            } finally {
                Passphrases.wipe(pass);
            }
        }
    }
}
