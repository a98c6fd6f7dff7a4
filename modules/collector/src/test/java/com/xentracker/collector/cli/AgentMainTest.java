package com.xentracker.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.AgentVersion;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.TestEnrollments;
import com.xentracker.testing.https.Ports;
import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.Pem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process; exit codes and messages. */
class AgentMainTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void versionPrintsTheAgentVersion() {
        assertThat(run("version")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).isEqualTo("xentracker-agent " + AgentVersion.current() + System.lineSeparator());
        assertThat(AgentVersion.current()).isNotEqualTo("unknown");
    }

    @Test
    void statusOfAnUnenrolledDeviceSaysSoWithTheEnrollmentExitCode() {
        assertThat(run("status", "--data-dir", dir.toString())).isEqualTo(ExitCodes.ENROLLMENT);
        assertThat(err.toString()).contains("not enrolled");
    }

    @Test
    void runWithoutEnrollmentFailsWithTheEnrollmentExitCode() {
        assertThat(run("run", "--data-dir", dir.toString())).isEqualTo(ExitCodes.ENROLLMENT);
        assertThat(err.toString()).contains("not enrolled").contains("enroll");
    }

    @Test
    void rotateKeyWithoutEnrollmentFailsWithTheEnrollmentExitCode() {
        assertThat(run("rotate-key", "--data-dir", dir.toString())).isEqualTo(ExitCodes.ENROLLMENT);
        assertThat(err.toString()).contains("not enrolled");
    }

    @Test
    void badConfigurationValuesFailWithTheUsageExitCode() throws Exception {
        assertThat(run("run", "--data-dir", dir.toString(), "--poll-interval", "often")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("poll-interval");

        Path config = Files.writeString(dir.resolve("agent.properties"), "pol-interval=1s\n");
        assertThat(run("status", "--config", config.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("unknown configuration key 'pol-interval'");
    }

    @Test
    void enrollingAgainstAnUnreachableServerSaysSoAndStoresNothing() throws Exception {
        // a TLS trust anchor: issued by the real clock, the one TLS checks it against
        Path ca = Files.writeString(dir.resolve("ca.pem"),
                Pem.encode(CertificateAuthority.generate("Acme CA", Clock.systemUTC()).certificate()));
        Path token = Files.writeString(dir.resolve("token"), "one-time-secret-token\n");
        Path dataDir = dir.resolve("agent");

        int code = run("enroll", "--data-dir", dataDir.toString(), "--server", Ports.closedHttpsPort().toString(),
                "--server-ca", ca.toString(), "--token-file", token.toString());

        assertThat(code).isEqualTo(ExitCodes.SERVER_UNREACHABLE);
        assertThat(err.toString()).contains("cannot reach the server").doesNotContain("one-time-secret-token");
        assertThat(EnrolledDevice.load(dataDir)).isEmpty();
    }

    @Test
    void enrollmentNeedsAnHttpsServerAndATokenSource() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"),
                Pem.encode(CertificateAuthority.generate("Acme CA", Clock.systemUTC()).certificate()));
        Path token = Files.writeString(dir.resolve("token"), "t");

        assertThat(run("enroll", "--data-dir", dir.toString(), "--server", "https://tracker.example",
                "--server-ca", ca.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(run("enroll", "--data-dir", dir.toString(), "--server", "http://tracker.example",
                "--server-ca", ca.toString(), "--token-file", token.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("https://");
        assertThat(run("enroll", "--data-dir", dir.toString(), "--server", "https://tracker.example",
                "--server-ca", ca.toString(), "--token-env", "XT_TEST_SURELY_UNSET_VARIABLE"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("XT_TEST_SURELY_UNSET_VARIABLE is not set");
    }

    @Test
    void enrollingAnEnrolledDeviceWithoutReplaceIsRefusedAndNamesReplace() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"),
                Pem.encode(CertificateAuthority.generate("Acme CA", Clock.systemUTC()).certificate()));
        Path token = Files.writeString(dir.resolve("token"), "one-time-secret-token\n");
        Path dataDir = dir.resolve("agent");
        EnrolledDevice enrolled = TestEnrollments.store(dataDir, URI.create("https://tracker.example"));

        // the closed port would answer SERVER_UNREACHABLE: the refusal comes before any server call
        int code = run("enroll", "--data-dir", dataDir.toString(), "--server", Ports.closedHttpsPort().toString(),
                "--server-ca", ca.toString(), "--token-file", token.toString());

        assertThat(code).isEqualTo(ExitCodes.ENROLLMENT);
        assertThat(err.toString()).contains("already enrolled").contains("enroll --replace");
        assertThat(EnrolledDevice.load(dataDir).orElseThrow().deviceId()).isEqualTo(enrolled.deviceId());
    }

    @Test
    void aFirstEnrollmentNeedsTheServerAndItsCa() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t");

        assertThat(run("enroll", "--data-dir", dir.resolve("agent").toString(), "--token-file", token.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--server is required");
    }

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        for (String command : java.util.List.of("enroll", "run", "status", "show", "pause", "resume", "rotate-key",
                "version")) {
            out.getBuffer().setLength(0);

            assertThat(run(command, "--help")).as(command).isEqualTo(ExitCodes.OK);

            assertThat(out.toString()).as(command).startsWith("Usage: xentracker-agent " + command);
        }
        assertThat(err.toString()).doesNotContain("Unknown option");
    }

    @Test
    void aMissingCommandNamesAllOfThem() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("enroll, run, status, show, pause, resume, rotate-key or version");
    }

    @Test
    void statusOfADeviceThatEnrollsByItselfSaysSoInsteadOfFailing() throws Exception {
        Path system = Files.writeString(dir.resolve("agent.conf"), "server-url = https://tracker.example:8443\n"
                + "enrollment-token-file = /nonexistent/token\ndata-dir = " + dir.resolve("agent") + "\n");

        int code = AgentMain.execute(new com.xentracker.collector.ConfigLayers(java.util.Optional.empty(),
                java.util.Optional.of(system), java.util.Map.of()), AgentMain.INSTALLED_COMMAND,
                new PrintWriter(out, true), new PrintWriter(err, true), "status");

        assertThat(code).isEqualTo(ExitCodes.ENROLLMENT);
        assertThat(out.toString()).contains("NOT ENROLLED YET").contains("https://tracker.example:8443")
                .contains("none yet: the agent enrolls without a prompt when it starts")
                .contains("lacks server-ca-file or server-ca");
    }

    @Test
    void suggestedCommandsRepeatOnlyTheOptionsGivenNotTheDataDirectoryTheSystemFileNames() throws Exception {
        // as the package installs it: the system file names a data directory per user
        Path system = Files.writeString(dir.resolve("agent.conf"), "data-dir = " + dir.resolve("%u") + "\n");

        int code = AgentMain.execute(new com.xentracker.collector.ConfigLayers(java.util.Optional.empty(),
                java.util.Optional.of(system), java.util.Map.of()), AgentMain.INSTALLED_COMMAND,
                new PrintWriter(out, true), new PrintWriter(err, true), "status");

        assertThat(code).isEqualTo(ExitCodes.ENROLLMENT);
        assertThat(err.toString()).contains("run `xentracker-agent enroll` with the server")
                .doesNotContain("--data-dir");
    }

    @Test
    void messagesNameTheJavaCommandWhereNoInstalledCommandExists() {
        int code = AgentMain.execute(com.xentracker.collector.ConfigLayers.none(), "java -p mods -m agent",
                new PrintWriter(out, true), new PrintWriter(err, true), "run", "--data-dir", dir.toString());

        assertThat(code).isEqualTo(ExitCodes.ENROLLMENT);
        assertThat(err.toString()).contains("run `java -p mods -m agent enroll` first")
                .doesNotContain("xentracker-agent enroll");
    }

    private int run(String... args) {
        int code = AgentMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        System.out.println(String.join(" ", args) + " -> " + code + "\nstdout: " + out + "\nstderr: " + err);
        return code;
    }
}
