package com.xentracker.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.ConfigLayers;
import com.xentracker.collector.buffer.BufferReader;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.EnrollingServerExtension;
import com.xentracker.collector.enrollment.EnrollmentAttempts;
import com.xentracker.testing.https.Ports;
import com.xentracker.transport.pki.Pem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as an installer leaves a machine: only the system configuration names the server, its CA and a token.
 * The real command line in its own JVM (as the desktop session starts it), without a display: it enrolls without a
 * prompt and runs; or, while it cannot, it keeps trying and {@code status} says why.
 */
class SilentEnrollmentCommandTest {

    @RegisterExtension
    final EnrollingServerExtension server = new EnrollingServerExtension();

    @TempDir
    Path dir;

    /** The JVM ends a run stopped by SIGTERM with 128 + 15, after its shutdown hooks finished. */
    private static final int SIGTERM_EXIT = 143;

    private Process agent;

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly();
            agent.waitFor();
        }
    }

    private Path systemFile(String serverUrl) throws Exception {
        Path ca = Files.writeString(dir.resolve("server-ca.pem"), Pem.encode(server.ca().certificate()));
        Files.writeString(dir.resolve("enrollment.token"), server.issueToken() + "\n");
        return Files.writeString(dir.resolve("agent.conf"), """
                # as the package's postinst writes it
                server-url = %s
                server-ca-file = %s
                enrollment-token-file = enrollment.token
                data-dir = %s/%%u
                upload-interval = 1s
                """.formatted(serverUrl, ca, dir.resolve("data")));
    }

    private Path dataDir() {
        return dir.resolve("data").resolve(System.getProperty("user.name"));
    }

    private Process start(Path systemFile) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", System.getProperty("jdk.module.path"),
                "-m", "com.xentracker.collector/com.xentracker.collector.cli.AgentMain",
                "run", "--browser-endpoint-port", "0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile());
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        builder.environment().keySet().removeIf(name -> name.startsWith(ConfigLayers.ENVIRONMENT_PREFIX));
        builder.environment().put(ConfigLayers.SYSTEM_FILE_VARIABLE, systemFile.toString());
        builder.environment().put(ConfigLayers.USER_FILE_VARIABLE, "none");
        return builder.start();
    }

    /**
     * A whole JVM that creates a key pair and makes a TLS connection: seconds on a quiet machine, more on a loaded
     * one (the suite runs beside other builds on two cores), hence a patient deadline.
     */
    private void waitUntil(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !agent.isAlive() && !condition.getAsBoolean()) {
                throw new AssertionError("timed out waiting for " + what + (agent.isAlive() ? "" : " (the agent"
                        + " exited with " + agent.exitValue() + ")") + "; agent log:\n"
                        + Files.readString(dir.resolve("agent.log")));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    @Test
    void theFirstStartEnrollsFromTheSystemFileWithoutAPromptAndReportsToTheServer() throws Exception {
        agent = start(systemFile(server.baseUri().toString()));

        waitUntil(() -> EnrolledDevice.load(dataDir()).isPresent(), "the agent to enroll");
        EnrolledDevice device = EnrolledDevice.load(dataDir()).orElseThrow();
        assertThat(server.devices()).containsExactly(device.deviceId());
        // no display here: it runs without recording and tells the server so with a state-only batch
        waitUntil(() -> server.stored().stream().anyMatch(batch -> batch.deviceId().equals(device.deviceId())),
                "the first batch");
        waitUntil(() -> running(dataDir()), "the agent to note that it runs");

        agent.destroy(); // SIGTERM, as a session's end or the package's prerm sends it
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(SIGTERM_EXIT);
        assertThat(Files.readString(dir.resolve("agent.log"))).contains("enrolled without a prompt")
                .contains("agent stopped")
                .doesNotContain(Files.readString(dir.resolve("enrollment.token")).strip());
        assertThat(EnrollmentAttempts.read(dataDir())).isEmpty();
    }

    @Test
    void whileTheServerCannotBeReachedItKeepsTryingStatusSaysWhyAndAStopEndsTheWait() throws Exception {
        Path systemFile = systemFile(Ports.closedHttpsPort().toString());
        agent = start(systemFile);

        waitUntil(() -> EnrollmentAttempts.read(dataDir()).isPresent(), "the first failed attempt");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AgentMain.execute(new ConfigLayers(Optional.empty(), Optional.of(systemFile), Map.of()),
                AgentMain.INSTALLED_COMMAND, new PrintWriter(out, true), new PrintWriter(err, true), "status");

        assertThat(code).isEqualTo(ExitCodes.ENROLLMENT);
        assertThat(out.toString()).contains("Enrollment:    NOT ENROLLED YET")
                .containsPattern("Attempts: +\\d+ failed since").contains("cannot reach the server")
                .contains("Next attempt:");
        assertThat(agent.isAlive()).isTrue();

        agent.destroy();
        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).as("stops while waiting for its next attempt").isTrue();
        assertThat(agent.exitValue()).isEqualTo(SIGTERM_EXIT);
        assertThat(server.devices()).isEmpty();
    }

    private static boolean running(Path dataDir) {
        try (BufferReader reader = BufferReader.open(dataDir.resolve("buffer.db")).orElseThrow()) {
            return reader.agentStatus().process().isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
