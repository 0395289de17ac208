package cn.crb.app.cli;

import cn.crb.app.print.NoticeService;
import cn.crb.app.profile.ProfileException;
import cn.crb.app.profile.ProfileService;
import cn.crb.app.profile.ProfileSession;
import cn.crb.app.profile.ProfileSummary;
import cn.crb.domain.crypto.Passphrases;
import cn.crb.sync.HttpTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/** {@code crb notice}: the printable PDF of a signed decision (决定书), or with {@code --minutes} of a closed arbitration (仲裁记录). */
@Command(name = "notice", description = "Write the decision notice of a case's signed decision as PDF (--minutes: the minutes of its closed arbitration).")
final class NoticeCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).") Path home;
    @Option(names = "--profile", description = "Profile id or person id (default: the only profile).") String profile;
    @Option(names = "--passphrase-file", description = "File whose first line is the passphrase (else $CRB_PASSPHRASE).") Path passphraseFile;
    @Option(names = "--case", required = true, description = "Case id.") String caseId;
    @Option(names = "--out", required = true, description = "PDF file to write (replaced whole).") Path out;
    @Option(names = "--minutes", description = "The arbitration minutes instead of the decision notice.") boolean minutes;
    @Option(names = "--lang", defaultValue = "zh", description = "Language of the document: zh (default) or en.") String lang;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!lang.equals("zh") && !lang.equals("en")) throw new CliException("--lang must be zh or en, not " + lang);
        char[] pass = PassphraseSource.read(passphraseFile);
        try (HttpTransport http = ProfileCommand.transport(home)) {
            ProfileService service = new ProfileService(ProfileCommand.home(home), http, Clock.systemUTC());
            ProfileSummary p = ProfileCommand.choose(service, profile);
            pass = PassphraseSource.matching(service, p.id(), pass, passphraseFile); // a file read as an older version read it
            try (ProfileSession session = service.unlock(p.id(), pass)) {
                NoticeService notices = new NoticeService(session, Clock.systemUTC());
                Locale locale = lang.equals("en") ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE;
                NoticeService.Printed printed = minutes ? notices.arbitrationMinutes(caseId, locale, out) : notices.decisionNotice(caseId, locale, out);
                spec.commandLine().getOut().println("wrote " + printed.file() + " (" + printed.pages() + (printed.pages() == 1 ? " page" : " pages")
                        + ", SM3 " + printed.envelopeSm3() + ")");
                return 0;
            }
        } catch (ProfileException e) {
            throw new CliException(ProfileCommand.message(e), e);
        } finally {
            Passphrases.wipe(pass);
        }
    }
}
