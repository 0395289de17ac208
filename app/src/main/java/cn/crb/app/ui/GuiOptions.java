package cn.crb.app.ui;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options of the graphical workstation ({@code ./run-workstation -- --help}). */
@Command(name = "crb-workstation", mixinStandardHelpOptions = true,
        description = "Credit-bank reviewer workstation. With no platform configured it starts the built-in demo platform on loopback.")
public final class GuiOptions {
    @Option(names = "--home", description = "Workstation home (default $CRB_HOME or ~/.crb-workstation).")
    public Path home;

    @Option(names = "--platform", description = "Platform base URL (default $CRB_PLATFORM, or url= in platform.properties in the home; none = built-in demo platform).")
    public String platform;

    @Option(names = "--pin", description = "A pin of the platform's TLS certificate, sha256/<base64> (give the primary and a backup; "
            + "default $CRB_PLATFORM_PINS or platform.properties in the home).")
    public java.util.List<String> pins;

    @Option(names = "--lang", description = "zh (default) or en.")
    public String lang;

    @Option(names = "--demo-port", description = "Port of the built-in demo platform (default 47180, or any free one).")
    public int demoPort = 47180;

    @Option(names = "--debug", description = "Verbose logging on the console.")
    public boolean debug;
}
