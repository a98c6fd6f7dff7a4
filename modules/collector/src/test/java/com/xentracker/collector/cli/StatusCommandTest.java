package com.xentracker.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.enrollment.EnrolledDevice;
import com.xentracker.collector.enrollment.TestEnrollments;
import com.xentracker.collector.policy.PolicyCache;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.transport.wire.CaptureState;
import com.xentracker.transport.wire.ErrorCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} in-process, on a real enrollment and a real buffer file that a writer keeps open. */
class StatusCommandTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
    private static final Activity XTERM = Activity.active("xterm", "/usr/bin/xterm", Optional.empty());
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private EnrolledDevice device;

    @BeforeEach
    void enroll() {
        device = TestEnrollments.store(dir, URI.create("https://tracker.example:8443"));
    }

    @Test
    void beforeTheAgentFirstRanStatusShowsTheEnrollmentAndAnEmptyBacklog() {
        assertThat(status()).isEqualTo(ExitCodes.OK);

        assertThat(out.toString())
                .contains("Server:        https://tracker.example:8443")
                .contains("Organization:  Acme Test (" + device.organizationId() + ")")
                .contains("Device id:     " + device.deviceId())
                .contains("Agent:         has not run yet")
                .contains("Policy:        the built-in defaults (nothing received from the server yet)")
                .contains("window titles off (never stored)")
                .contains("Backlog:       none (nothing recorded yet)")
                .contains("Last upload:   never");
    }

    @Test
    void statusSaysPlainlyThatTheDeviceWasRevokedAndHowToEnrollItAgain() {
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.append(List.of(Span.of(T0, T0.plusSeconds(5), XTERM)));
            agent.noteUploadFailure(T0.plusSeconds(20), "STOPPED", Optional.of(ErrorCode.DEVICE_REVOKED),
                    "the organization revoked this device (device-revoked); uploads are stopped, nothing is deleted"
                            + " from the buffer.");

            assertThat(status()).isEqualTo(ExitCodes.OK);
        }

        assertThat(out.toString())
                .contains("Enrollment:    REVOKED: the organization revoked this device")
                .contains("xentracker-agent enroll --replace --token-file FILE --data-dir " + dir)
                .contains("Backlog:       1 span")
                .contains("UPLOADS STOPPED: the organization revoked this device")
                .contains("`enroll --replace` sends it under a new identity");
    }

    @Test
    void aStopNotedByAnOlderAgentWithoutItsCodeStillPointsToReEnrollment() {
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.noteUploadFailure(T0.plusSeconds(20), "STOPPED", "the organization revoked this device"
                    + " (device-revoked); uploads are stopped, nothing is deleted from the buffer.");

            assertThat(status()).isEqualTo(ExitCodes.OK);
        }

        assertThat(out.toString())
                .contains("Enrollment:    REVOKED OR DELETED: the server no longer accepts this device")
                .contains("enroll --replace --token-file FILE")
                .contains("UPLOADS STOPPED: the server no longer accepts this device (revoked or deleted)")
                .contains("the organization revoked this device (device-revoked)");
    }

    @Test
    void aDeviceWhoseUploadsWorkDoesNotMentionReEnrollment() {
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.noteUploadFailure(T0.plusSeconds(20), "SERVER_UNREACHABLE", "cannot reach the server");

            assertThat(status()).isEqualTo(ExitCodes.OK);
        }

        assertThat(out.toString()).doesNotContain("Enrollment:").doesNotContain("--replace");
    }

    @Test
    void statusShowsTheBacklogTheLastUploadAndTheLastErrorWhileTheAgentHoldsTheBuffer() {
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.append(List.of(Span.of(T0, T0.plusSeconds(5), XTERM)));
            agent.acknowledge(agent.nextBatch(10).orElseThrow().sequence(), T0.plusSeconds(10));
            agent.append(List.of(Span.of(T0.plusSeconds(5), T0.plusSeconds(9), XTERM),
                    Span.of(T0.plusSeconds(9), T0.plusSeconds(12), XTERM)));
            agent.noteUploadFailure(T0.plusSeconds(20), "SERVER_UNREACHABLE",
                    "cannot reach the server: Connection refused");

            assertThat(status()).isEqualTo(ExitCodes.OK);
        }

        assertThat(out.toString())
                .contains("Backlog:       2 spans (about 82 bytes) waiting, the oldest from "
                        + LOCAL.format(T0.plusSeconds(5)))
                .contains("Last upload:   " + LOCAL.format(T0.plusSeconds(10)))
                .contains("Last error:    " + LOCAL.format(T0.plusSeconds(20)))
                .contains("the server could not be reached (unsent spans wait in the buffer")
                .contains("cannot reach the server: Connection refused")
                .containsPattern("Buffer file:   \\d+ KiB in use of 512 MiB");
    }

    @Test
    void statusSaysWhetherTheBrowserEndpointListensAndWhenTheExtensionLastReported() {
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.noteAgentStarted(ProcessHandle.current().pid(), T0); // this JVM plays the running agent
            agent.noteBrowserEndpoint(true, "listening on 127.0.0.1:47291", T0);
            assertThat(status()).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).contains("Browser:       extension endpoint listening on 127.0.0.1:47291;"
                    + " no report from a browser extension since " + LOCAL.format(T0));

            agent.noteBrowserReport(T0.plusSeconds(30));
            out.getBuffer().setLength(0);
            assertThat(status()).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).contains("the browser extension last reported "
                    + LOCAL.format(T0.plusSeconds(30)));

            agent.noteBrowserEndpoint(false, "not listening: cannot listen on 127.0.0.1:47291 for the browser"
                    + " extension: Address already in use", T0.plusSeconds(60));
            out.getBuffer().setLength(0);
            assertThat(status()).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).contains("Browser:       web pages are NOT recorded: the endpoint for the"
                    + " browser extension is not listening: cannot listen on 127.0.0.1:47291");

            agent.noteAgentStopped(T0.plusSeconds(90));
            out.getBuffer().setLength(0);
            assertThat(status()).isEqualTo(ExitCodes.OK);
            assertThat(out.toString()).contains("Browser:       the endpoint for the browser extension is not"
                    + " listening: the agent is not running");
        }
    }

    @Test
    void statusSummarisesTheOrganizationsPolicyAsCachedOnTheDevice() {
        PolicyCache.open(dir).offer(new CollectionPolicy(3, true, List.of(RedactionRule.of("\\d{4,}", "#")),
                Set.of("keepass"), Optional.empty(), true, Duration.ofMinutes(5), false, false));
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.notePolicy(3, T0);
        }

        assertThat(status()).isEqualTo(ExitCodes.OK);

        assertThat(out.toString())
                .contains("Policy:        organization policy version 3, confirmed by the server " + LOCAL.format(T0))
                .contains("window titles ON (stored and uploaded, after 1 redaction rule(s)); 1 application(s)"
                        + " recorded only as excluded time")
                .contains("idle after 5 min without input; no working hours set; private time allowed");
    }

    @Test
    void theOrganizationsVersion0ReadsAsItsDefaultsNotAsNothingReceived() {
        PolicyCache.open(dir).offer(CollectionPolicy.defaults());
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.notePolicy(0, T0);
        }

        assertThat(status()).isEqualTo(ExitCodes.OK);

        assertThat(out.toString()).contains("Policy:        the organization's defaults (policy version 0: the"
                + " organization has not changed them), confirmed by the server " + LOCAL.format(T0))
                .doesNotContain("built-in defaults");
    }

    @Test
    void statusSaysInPlainWordsWhyNothingIsRecorded() {
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.noteCapture(CaptureState.WAYLAND_UNSUPPORTED, "this is a Wayland session without XWayland", T0);
        }

        assertThat(status()).isEqualTo(ExitCodes.OK);

        assertThat(out.toString())
                .contains("Capture:       NOT RECORDING: this is a Wayland session, where foreground tracking is"
                        + " unavailable (since " + LOCAL.format(T0) + ")")
                .contains("this is a Wayland session without XWayland");
    }

    @Test
    void statusTellsARunningAgentFromAStoppedAndAKilledOne() throws Exception {
        try (SpanBuffer agent = SpanBuffer.open(dir.resolve("buffer.db"))) {
            agent.noteAgentStarted(ProcessHandle.current().pid(), T0); // this JVM: alive
            agent.noteCapture(CaptureState.RECORDING, "", T0);
            status();
            assertThat(out.toString()).contains("Agent:         running since " + LOCAL.format(T0))
                    .contains("Capture:       recording");

            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            agent.noteAgentStarted(gone.pid(), T0);
            status();
            assertThat(out.toString()).contains("not running: it ended without a clean stop (pid " + gone.pid());

            agent.noteAgentStopped(T0.plusSeconds(60));
            status();
            assertThat(out.toString()).contains("Agent:         not running (stopped "
                    + LOCAL.format(T0.plusSeconds(60)))
                    // what it observed is history once it stopped: never "recording" beside "not running"
                    .contains("Capture:       none while stopped (when it stopped: recording")
                    .doesNotContain("Capture:       recording");
        }
    }

    private int status() {
        out.getBuffer().setLength(0);
        int code = AgentMain.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "status", "--data-dir", dir.toString());
        System.out.println("status -> " + code + "\nstdout:\n" + out + "\nstderr:\n" + err);
        return code;
    }
}
