package cn.crb.app.ui;

import cn.crb.app.ui.onboarding.OnboardingViewModel;
import cn.crb.sim.PlatformSim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The built-in demo: the reference platform ({@code platform-sim}) in this process, on loopback, with its seeded world,
 * its data kept in the workstation home so that a demo profile keeps working across restarts (same port, same data).
 */
public final class DemoPlatform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoPlatform.class);
    private final PlatformSim sim;

    private DemoPlatform(PlatformSim sim) { this.sim = sim; }

    public static DemoPlatform start(Path dataDir, int preferredPort) throws IOException {
        Files.createDirectories(dataDir);
        Path portFile = dataDir.resolve("port");
        int port = preferredPort;
        if (Files.exists(portFile)) {
            try {
                port = Integer.parseInt(Files.readString(portFile, StandardCharsets.UTF_8).trim());
            } catch (NumberFormatException e) {
                port = preferredPort;
            }
        }
        PlatformSim sim;
        try {
            sim = PlatformSim.start(new PlatformSim.Options(port, dataDir, true, List.of()));
        } catch (BindException e) {
            LOG.warn("demo platform port {} is taken; using a free one", port);
            sim = PlatformSim.start(new PlatformSim.Options(0, dataDir, true, List.of()));
        } catch (IOException e) {
            if (e.getCause() instanceof BindException) {
                sim = PlatformSim.start(new PlatformSim.Options(0, dataDir, true, List.of()));
            } else {
                throw e;
            }
        }
        Files.writeString(portFile, Integer.toString(sim.baseUrl().getPort()), StandardCharsets.UTF_8);
        LOG.info("demo platform at {}", sim.baseUrl());
        return new DemoPlatform(sim);
    }

    public String url() { return sim.baseUrl().toString(); }

    public List<OnboardingViewModel.DemoChoice> choices(java.util.function.Function<List<String>, String> roleNames) {
        return sim.demoPeople().stream()
                .map(p -> new OnboardingViewModel.DemoChoice(p.displayName() + " — " + roleNames.apply(p.roles())
                        + (p.institution() == null ? "" : " · " + p.institution()), p.enrolmentCode()))
                .toList();
    }

    @Override
    public void close() {
        sim.close();
    }
}
