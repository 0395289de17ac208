package cn.crb.app.cli;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSummary;
import cn.crb.domain.crypto.Sm2;
import cn.crb.sync.HttpTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.time.Clock;

/** {@code crb key export}: the person's public signing key as PEM — never the private key. */
@Command(name = "key", description = "The person's SM2 signing key.", subcommands = {KeyCommand.Export.class})
final class KeyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "export", description = {
            "Write the PUBLIC key (SubjectPublicKeyInfo PEM) of the profile's signing key, e.g. for",
            "'openssl dgst -sm3 -verify FILE.pem -sigopt distid:1234567812345678 …'. The private key never leaves",
            "the keystore; no passphrase is needed."})
    static final class Export implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).") Path home;
        @Option(names = "--profile", description = "Profile id or person id (default: the only profile).") String profile;
        @Option(names = "--out", required = true, description = "The PEM file to write.") Path out;
        @Option(names = "--force", description = "Overwrite FILE when it exists.") boolean force;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (HttpTransport http = ProfileCommand.transport(home)) {
                ProfileService service = new ProfileService(ProfileCommand.home(home), http, Clock.systemUTC());
                ProfileSummary p = ProfileCommand.choose(service, profile);
                PublicKey key = service.publicKey(p.id());
                if (Files.exists(out) && !force) throw new CliException(out + " exists (use --force to overwrite)");
                if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
                Files.writeString(out, Sm2.toPem(key), StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                spec.commandLine().getOut().println("wrote the public key " + p.keyId() + " of " + p.displayName() + " to " + out);
                return 0;
            } catch (ProfileException e) {
                throw new CliException(ProfileCommand.message(e), e);
            } catch (IOException e) {
                throw new CliException("cannot write " + out + ": " + e.getMessage(), e);
            }
        }
    }
}
