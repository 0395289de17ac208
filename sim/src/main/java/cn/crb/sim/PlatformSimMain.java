package cn.crb.sim;

import cn.crb.domain.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * Command line of the reference platform: {@code serve} runs it until killed; {@code admin} talks to a running one.
 * Errors: exit status 2 and one line on standard error (the stack trace only with {@code --debug}).
 */
@Command(name = "platform-sim", mixinStandardHelpOptions = true,
        description = "Reference credit-bank platform for development and tests (not a production server).",
        subcommands = {PlatformSimMain.Serve.class, PlatformSimMain.Admin.class})
public final class PlatformSimMain {

    @Option(names = "--debug", description = "print stack traces of errors", scope = CommandLine.ScopeType.INHERIT)
    boolean debug;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "platform-sim-logback.xml");
        }
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the command line with the given output streams; returns the exit status. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        PlatformSimMain main = new PlatformSimMain();
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> 2);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("platform-sim: " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (main.debug) ex.printStackTrace(err);
            else err.println("platform-sim: " + oneLine(ex));
            err.flush();
            return 2;
        });
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }

    /** {@code serve}: starts the simulator, prints the demo people and the base URL, runs until killed. */
    @Command(name = "serve", description = "Run the reference platform until killed.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--port", defaultValue = "0", description = "TCP port on 127.0.0.1 (0 = any free port)") int port;
        @Option(names = "--data", required = true, description = "data directory (database and platform key)") Path data;
        @Option(names = "--seed", description = "seed a world on first start: demo") String seed;
        @Option(names = "--standards", description = "a standards payload JSON file to publish (repeatable)") List<Path> standards = new ArrayList<>();
        @Option(names = "--tls", description = "serve HTTPS with a self-signed certificate kept in the data directory; prints its pin") boolean tls;

        @Override
        public Integer call() throws Exception {
            if (seed != null && !seed.equals("demo")) throw new IllegalArgumentException("--seed accepts only 'demo'");
            PlatformSim sim = PlatformSim.start(new PlatformSim.Options(port, data, seed != null, standards, tls, true));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                sim.close();
                stopped.countDown();
            }, "platform-sim-shutdown"));
            PrintWriter out = spec.commandLine().getOut();
            for (PlatformSim.DemoPerson p : sim.demoPeople()) {
                out.printf("%-24s %-8s %-10s %s%n", String.join("+", p.roles()), p.displayName(),
                        p.institution() == null ? "-" : p.institution(), p.enrolmentCode());
            }
            out.println("platform key " + sim.platformKeyId());
            sim.tlsPin().ifPresent(pin -> out.println("tls pin " + pin));
            out.println(sim.baseUrl());
            out.flush();
            stopped.await();
            return 0;
        }
    }

    /** {@code admin}: calls the admin endpoints of a running simulator. */
    @Command(name = "admin", description = "Talk to a running simulator's admin endpoints.",
            subcommands = {IssueCode.class, Clock.class, CreateCase.class, Withdraw.class, Objection.class, SetFaults.class})
    static final class Admin {
        @Option(names = "--url", required = true, description = "base URL of the running simulator, e.g. http://127.0.0.1:8765") URI url;

        JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
            return call("POST", path, body);
        }

        JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest req = HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
            HttpResponse<String> res;
            try {
                res = client.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (java.net.ConnectException e) {
                throw new IOException("cannot connect to " + url);
            }
            JsonNode json = res.body().isEmpty() ? Json.object() : Json.parse(res.body());
            if (res.statusCode() >= 300) {
                throw new IOException("HTTP " + res.statusCode() + " " + json.path("code").asText("") + ": " + json.path("detail").asText(res.body()));
            }
            return json;
        }
    }

    /** {@code admin issue-code}: prints a new enrolment code alone on standard output. */
    @Command(name = "issue-code", description = "Issue an enrolment code (for a new person, or --person for an existing one).")
    static final class IssueCode implements Callable<Integer> {
        @ParentCommand Admin admin;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--role", description = "REVIEWER, PANEL_MEMBER, PANEL_CHAIR or CLERK") String role;
        @Option(names = "--institution", description = "institution code") String institution;
        @Option(names = "--name", description = "display name") String name;
        @Option(names = "--person", description = "an existing person id (a further device)") String person;

        @Override
        public Integer call() throws Exception {
            if (role == null && person == null) throw new IllegalArgumentException("--role or --person is required");
            ObjectNode b = Json.object();
            if (person != null) b.put("personId", person);
            if (role != null) b.put("role", role);
            if (institution != null) b.put("institution", institution);
            if (name != null) b.put("name", name);
            spec.commandLine().getOut().println(admin.post("/admin/v1/enrolment-codes", b).path("enrolmentCode").asText());
            return 0;
        }
    }

    /** {@code admin clock}: advances the simulated clock and prints the new time. */
    @Command(name = "clock", description = "Advance the simulated clock by --days days.")
    static final class Clock implements Callable<Integer> {
        @ParentCommand Admin admin;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--days", required = true) long days;

        @Override
        public Integer call() throws Exception {
            ObjectNode b = Json.object();
            b.put("days", days);
            spec.commandLine().getOut().println(admin.post("/admin/v1/clock", b).path("now").asText());
            return 0;
        }
    }

    /** {@code admin create-case}: creates a generated case (or one from a JSON file) and prints its id. */
    @Command(name = "create-case", description = "Create a case (generated at --step, or read from --file) and print its id.")
    static final class CreateCase implements Callable<Integer> {
        @ParentCommand Admin admin;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--step", description = "APPLICATION, REVIEW (default), CONVERSION, PUBLIC_NOTICE, ARCHIVE or INSPECTION") String step;
        @Option(names = "--assign-to", description = "person id of the reviewer (default: the first demo reviewer)") String assignTo;
        @Option(names = "--file", description = "a case JSON document (e.g. examples/cases/C-EX-01.json)") Path file;
        @Option(names = "--count", description = "create this many generated cases in one go (prints one id per line)") Integer count;

        @Override
        public Integer call() throws Exception {
            ObjectNode b = Json.object();
            if (step != null) b.put("step", step);
            if (assignTo != null) b.put("assignTo", assignTo);
            if (file != null) b.set("case", Json.parse(java.nio.file.Files.readAllBytes(file)));
            if (count != null) {
                b.put("count", count);
                admin.post("/admin/v1/cases", b).path("caseIds").forEach(id -> spec.commandLine().getOut().println(id.asText()));
                return 0;
            }
            spec.commandLine().getOut().println(admin.post("/admin/v1/cases", b).path("caseId").asText());
            return 0;
        }
    }

    /** {@code admin withdraw}: withdraws a case. */
    @Command(name = "withdraw", description = "Withdraw (cancel) a case.")
    static final class Withdraw implements Callable<Integer> {
        @ParentCommand Admin admin;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--case", required = true) String caseId;

        @Override
        public Integer call() throws Exception {
            JsonNode c = admin.post("/admin/v1/cases/" + caseId + "/withdraw", Json.object());
            spec.commandLine().getOut().println(c.path("caseId").asText() + " withdrawn");
            return 0;
        }
    }

    /** {@code admin objection}: opens an objection and its arbitration; prints the arbitration id. */
    @Command(name = "objection", description = "Open an objection (and its arbitration) on a case; prints the arbitration id.")
    static final class Objection implements Callable<Integer> {
        @ParentCommand Admin admin;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--case", required = true) String caseId;
        @Option(names = "--grounds") String grounds;

        @Override
        public Integer call() throws Exception {
            ObjectNode b = Json.object();
            if (grounds != null) b.put("grounds", grounds);
            spec.commandLine().getOut().println(admin.post("/admin/v1/cases/" + caseId + "/objection", b).path("arbitration").path("arbitrationId").asText());
            return 0;
        }
    }

    /** {@code admin faults}: sets or clears fault injection; prints the settings. */
    @Command(name = "faults", description = "Inject faults into /api/ requests (or --clear them).")
    static final class SetFaults implements Callable<Integer> {
        @ParentCommand Admin admin;
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--latency-ms", defaultValue = "0") long latencyMs;
        @Option(names = "--fail503", defaultValue = "0", description = "answer the next N requests 503") int fail503;
        @Option(names = "--fail429", defaultValue = "0", description = "answer the next N requests 429") int fail429;
        @Option(names = "--drop", defaultValue = "0", description = "cut the next N responses off mid-body") int drop;
        @Option(names = "--retry-after", defaultValue = "1", description = "Retry-After seconds on 503/429") int retryAfter;
        @Option(names = "--drop-before-response", defaultValue = "0", description = "handle the next N requests, then close the connection without answering") int dropBeforeResponse;
        @Option(names = "--crash-on", defaultValue = "0", description = "crash (the process exits) on the N-th matching request") int crashOn;
        @Option(names = "--crash-path", defaultValue = "", description = "match requests whose 'METHOD /path' starts with this, e.g. 'POST /api/v1/envelopes'") String crashPath;
        @Option(names = "--crash-point", defaultValue = "AFTER_COMMIT", description = "ARRIVAL or AFTER_COMMIT (handled and committed, not answered)") String crashPoint;
        @Option(names = "--clear") boolean clear;

        @Override
        public Integer call() throws Exception {
            JsonNode r;
            if (clear) {
                r = admin.call("DELETE", "/admin/v1/faults", null);
            } else {
                ObjectNode b = Json.object();
                b.put("latencyMs", latencyMs);
                b.put("fail503", fail503);
                b.put("fail429", fail429);
                b.put("dropMidResponse", drop);
                b.put("retryAfterSeconds", retryAfter);
                b.put("dropBeforeResponse", dropBeforeResponse);
                b.put("crashOn", crashOn);
                b.put("crashPath", crashPath);
                b.put("crashPoint", crashPoint);
                r = admin.post("/admin/v1/faults", b);
            }
            spec.commandLine().getOut().println(Json.write(r));
            return 0;
        }
    }
}
