package cn.crb.app.cli;

import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.ProfileSummary;
import cn.crb.app.profile.WorkstationHome;
import cn.crb.domain.crypto.Passphrases;
import cn.crb.sync.HttpTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/** {@code crb profile create|show|list}. */
@Command(name = "profile", description = "Create and inspect workstation profiles (one per person).",
        subcommands = {ProfileCommand.Create.class, ProfileCommand.Show.class, ProfileCommand.ListProfiles.class})
final class ProfileCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static WorkstationHome home(Path option) {
        return WorkstationHome.resolve(option, System.getenv());
    }

    /** The HTTP stack for the home's platform: pinned with $CRB_PLATFORM_PINS or the pins in its platform.properties. */
    static cn.crb.sync.HttpTransport transport(Path home) {
        return transport(home, null, java.util.List.of());
    }

    static cn.crb.sync.HttpTransport transport(Path home, String platform, java.util.List<String> pins) {
        return cn.crb.app.profile.PlatformSettings.resolve(home(home), platform, pins, System.getenv()).transport();
    }

    /** The profile named by {@code option}, or the only one in the home. */
    static ProfileSummary choose(ProfileService service, String option) {
        WorkstationHome h = service.home();
        List<ProfileSummary> all = service.list();
        if (option != null) {
            return all.stream().filter(x -> x.id().equals(option) || x.personId().equals(option)).findFirst()
                    .orElseThrow(() -> new CliException("no profile " + option + " in " + h.dir()));
        }
        if (all.size() == 1) return all.getFirst();
        if (all.isEmpty()) throw new CliException("no profile in " + h.dir() + "; create one with: crb profile create");
        throw new CliException(all.size() + " profiles in " + h.dir() + "; choose one with --profile (crb profile list)");
    }

    static String message(ProfileException e) {
        return message(e, Locale.ENGLISH);
    }

    /** The reason in {@code locale} (the commands with {@code --lang} speak the clerk's language throughout). */
    static String message(ProfileException e, Locale locale) {
        ResourceBundle b = cn.crb.ui.resources.UiResources.bundle(locale); // no fallback to the machine's locale
        String key = "error." + e.reason().name();
        String text = b.containsKey(key) ? b.getString(key) : e.reason().name();
        if (e.argument() != null) text = text.replace("{0}", e.argument());
        return text;
    }

    static void print(PrintWriter out, ProfileSummary p) {
        out.println("person:      " + p.displayName() + " (" + p.personId() + ")");
        out.println("institution: " + (p.institution() == null ? "-" : p.institution()));
        out.println("roles:       " + String.join(", ", p.roles()));
        out.println("key id:      " + p.keyId());
        out.println("platform:    " + p.platformUrl() + " (key " + p.platformKeyId() + ")");
        out.println("profile id:  " + p.id());
    }

    @Command(name = "create", description = "Create a profile: new SM2 key, enrol with the platform, encrypted database.")
    static final class Create implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).") Path home;
        @Option(names = "--platform", required = true, description = "Platform base URL, e.g. http://127.0.0.1:8080") String platform;
        @Option(names = "--enrol", description = "Single-use enrolment code from the platform (visible to other users in the "
                + "process list: prefer --enrol-file or $CRB_ENROLMENT_CODE).") String code;
        @Option(names = "--enrol-file", description = "File whose first line is the enrolment code.") Path codeFile;
        @Option(names = "--pin", description = "A pin of the platform's TLS certificate, sha256/<base64> (primary and backup; "
                + "default $CRB_PLATFORM_PINS or platform.properties in the home).") java.util.List<String> pins;
        @Option(names = "--passphrase-file", description = "File whose first line is the new passphrase (else $CRB_PASSPHRASE).") Path passphraseFile;
        @Option(names = "--device-name", description = "Name of this workstation as the platform shows it.") String deviceName;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String enrolment = enrolmentCode();
            char[] pass = PassphraseSource.read(passphraseFile);
            try (var http = transport(home, platform, pins)) {
                ProfileService service = new ProfileService(home(home), http, Clock.systemUTC());
                try (ProfileSession s = service.create(platform, enrolment, pass, null, deviceName(), step -> { })) {
                    PrintWriter out = spec.commandLine().getOut();
                    out.println("profile created");
                    print(out, s.summary());
                    if (pins != null && !pins.isEmpty() && cn.crb.app.profile.PlatformSettings.remember(home(home), platform, pins)) {
                        out.println("pins:        kept in " + home(home).dir().resolve(cn.crb.app.profile.PlatformSettings.FILE) + " for later commands");
                    }
                }
                return 0;
            } catch (java.io.IOException e) {
                throw new CliException("the profile was created, but the pins could not be kept: " + e.getMessage()
                        + "; give them with --pin or $CRB_PLATFORM_PINS", e);
            } catch (ProfileException e) {
                throw new CliException(message(e), e);
            } finally {
                Passphrases.wipe(pass);
            }
        }

        /** The enrolment code: --enrol, else the first line of --enrol-file, else $CRB_ENROLMENT_CODE. */
        private String enrolmentCode() {
            if (code != null && !code.isBlank()) return code.strip();
            if (codeFile != null) {
                try {
                    String line = Files.readString(codeFile, java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
                    if (line.isEmpty()) throw new CliException("the enrolment code file " + codeFile + " is empty");
                    return line;
                } catch (java.io.IOException e) {
                    throw new CliException("cannot read the enrolment code file " + codeFile + ": " + e.getMessage());
                }
            }
            String env = System.getenv("CRB_ENROLMENT_CODE");
            if (env != null && !env.isBlank()) return env.strip();
            throw new CliException("an enrolment code is needed: give --enrol-file FILE, set CRB_ENROLMENT_CODE, or --enrol CODE");
        }

        private String deviceName() {
            if (deviceName != null) return deviceName;
            try {
                return "crb@" + InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "crb workstation";
            }
        }
    }

    @Command(name = "show", description = "Show a profile: person, roles, key id, platform (no passphrase needed).")
    static final class Show implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).") Path home;
        @Option(names = "--profile", description = "Profile id or person id (default: the only profile).") String profile;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ProfileSummary p = choose(new ProfileService(home(home), null, Clock.systemUTC()), profile);
            print(spec.commandLine().getOut(), p);
            return 0;
        }
    }

    @Command(name = "list", description = "List the profiles in the workstation home.")
    static final class ListProfiles implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).") Path home;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            for (ProfileSummary p : new ProfileService(home(home), null, Clock.systemUTC()).list()) {
                spec.commandLine().getOut().println(p.id() + "\t" + p.displayName() + "\t" + String.join(",", p.roles()));
            }
            return 0;
        }
    }
}
