package com.xentracker.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.EnrollingServerExtension;
import com.xentracker.collector.upload.DrainResult.Outcome;
import com.xentracker.collector.upload.Uploader;
import com.xentracker.collector.upload.UploaderConfig;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line of a revoked device, end to end against a real HTTPS server: {@code status} says it was revoked
 * and how to enroll it again, {@code enroll} refuses and names {@code --replace}, {@code enroll --replace} re-enrolls.
 */
class EnrollReplaceCommandTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));

    @RegisterExtension
    final EnrollingServerExtension server = new EnrollingServerExtension();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aRevokedDeviceIsToldHowToEnrollAgainAndEnrollReplaceDoesIt() throws IOException {
        Path dataDir = dir.resolve("agent");
        Path ca = Files.writeString(dir.resolve("ca.pem"), Pem.encode(server.ca().certificate()));
        Path firstToken = Files.writeString(dir.resolve("first-token"), server.issueToken());
        assertThat(run("enroll", "--data-dir", dataDir.toString(), "--server", server.baseUri().toString(),
                "--server-ca", ca.toString(), "--token-file", firstToken.toString())).isEqualTo(ExitCodes.OK);
        EnrolledDevice old = EnrolledDevice.load(dataDir).orElseThrow();
        try (SpanBuffer buffer = SpanBuffer.open(dataDir.resolve("buffer.db"))) {
            buffer.bindTo(old.deviceId());
            buffer.append(List.of(Span.of(T0, T0.plusSeconds(5), Activity.active("xterm", "/usr/bin/xterm",
                    Optional.empty()))));
            server.revoke(old.deviceId());
            assertThat(Uploader.create(new UploaderConfig(Duration.ofSeconds(1), 500, 10, Duration.ofMinutes(1)),
                    buffer, old.organizationId(), old.deviceId(),
                    BatchSealer.create(old.deviceKey(), old.organizationCertificate()),
                    ServerClient.create(server.baseUri(), server.ca().certificate(), Duration.ofSeconds(10)),
                    Clock.systemUTC()).drainOnce().outcome()).isEqualTo(Outcome.STOPPED);
        }

        assertThat(run("status", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString())
                .contains("Enrollment:    REVOKED: the organization revoked this device")
                .contains("xentracker-agent enroll --replace --token-file FILE --data-dir " + dataDir);

        Path secondToken = Files.writeString(dir.resolve("second-token"), server.issueToken());
        assertThat(run("enroll", "--data-dir", dataDir.toString(), "--server", server.baseUri().toString(),
                "--server-ca", ca.toString(), "--token-file", secondToken.toString())).isEqualTo(ExitCodes.ENROLLMENT);
        assertThat(err.toString()).contains("already enrolled").contains("enroll --replace");
        assertThat(server.devices()).as("the refused enroll did not use the token").hasSize(1);

        assertThat(run("enroll", "--replace", "--data-dir", dataDir.toString(), "--token-file",
                secondToken.toString())).isEqualTo(ExitCodes.OK);
        EnrolledDevice renewed = EnrolledDevice.load(dataDir).orElseThrow();
        assertThat(renewed.deviceId()).isNotEqualTo(old.deviceId());
        assertThat(out.toString())
                .contains("Enrolled again as device " + renewed.deviceId() + " of Acme.")
                .contains("The previous identity and its key are kept in " + dataDir.resolve("device.replaced-"))
                .contains("1 recorded span(s) waiting for upload will be sent under the new identity")
                .contains("xentracker-agent run --data-dir " + dataDir);

        assertThat(run("status", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString())
                .contains("Device id:     " + renewed.deviceId())
                .contains("Backlog:       1 span")
                .doesNotContain("REVOKED")
                .contains("Last error:    none");
    }

    @Test
    void statusOfAnInterruptedReEnrollmentSaysHowToFinishIt() throws IOException {
        Path dataDir = dir.resolve("agent");
        Files.createDirectories(dataDir.resolve("device.next"));

        assertThat(run("status", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.OK);

        assertThat(out.toString()).contains("a re-enrollment was interrupted")
                .contains("xentracker-agent run --data-dir " + dataDir)
                .contains("xentracker-agent enroll --replace --data-dir " + dataDir).contains("no new token needed");
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        int code = AgentMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        System.out.println(String.join(" ", args) + " -> " + code + "\nstdout: " + out + "\nstderr: " + err);
        return code;
    }
}
