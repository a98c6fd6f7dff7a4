package com.xentracker.collector.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.SpanBufferException;
import com.xentracker.collector.buffer.AgentStatus.AgentProcess;
import com.xentracker.collector.buffer.AgentStatus.Capture;
import com.xentracker.collector.buffer.AgentStatus.PolicySeen;
import com.xentracker.collector.buffer.AgentStatus.UploadError;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.transport.wire.CaptureState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-only view used by status and show, next to a live writer, on a real SQLite file. */
class BufferReaderTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
    private static final Activity XTERM = Activity.active("xterm", "/usr/bin/xterm", Optional.empty());

    @TempDir
    Path dir;

    @Test
    void thereIsNothingToReadBeforeTheAgentFirstWrote() {
        assertThat(BufferReader.open(dir.resolve("buffer.db"))).isEmpty();
        assertThat(dir.resolve("buffer.db")).doesNotExist();
    }

    @Test
    void aReaderSeesEachPollTheWriterCommitsWhileTheWriterKeepsTheFileOpen() {
        Path file = dir.resolve("buffer.db");
        try (SpanBuffer writer = SpanBuffer.open(file);
                BufferReader reader = BufferReader.open(file).orElseThrow()) {
            writer.record(List.of(), Optional.of(Span.of(T0, T0.plusSeconds(1), XTERM)));
            assertThat(reader.openSpan()).contains(Span.of(T0, T0.plusSeconds(1), XTERM));

            Span closed = Span.of(T0, T0.plusSeconds(2), XTERM);
            Span idle = Span.of(T0.plusSeconds(2), T0.plusSeconds(2), Activity.of(ActivityState.IDLE));
            writer.record(List.of(closed), Optional.of(idle));

            RecordedPeriod period = reader.recorded(T0, T0.plusSeconds(60));
            assertThat(period.spans()).containsExactly(new RecordedSpan(closed, false, Delivery.waiting()),
                    new RecordedSpan(idle, true, Delivery.waiting()));
            assertThat(reader.backlog().unsentSpans()).isEqualTo(1);
            writer.append(List.of(Span.of(T0.plusSeconds(3), T0.plusSeconds(4), XTERM)));
            assertThat(reader.backlog().unsentSpans()).isEqualTo(2);
        }
    }

    @Test
    void theReaderOnlyReads() throws Exception {
        Path file = dir.resolve("buffer.db");
        try (SpanBuffer writer = SpanBuffer.open(file)) {
            writer.append(List.of(Span.of(T0, T0.plusSeconds(1), XTERM)));
        }
        byte[] before = Files.readAllBytes(file);
        try (BufferReader reader = BufferReader.open(file).orElseThrow()) {
            reader.backlog();
            reader.recorded(T0, T0.plusSeconds(10));
            reader.agentStatus();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aPeriodHoldsWhatOverlapsIt() {
        Span beforeMidnight = Span.of(T0.minusSeconds(20), T0.minusSeconds(10), XTERM);
        Span acrossMidnight = Span.of(T0.minusSeconds(10), T0.plusSeconds(10), XTERM);
        Span atTheStart = Span.of(T0.plusSeconds(10), T0.plusSeconds(10), Activity.of(ActivityState.IDLE));
        Span afterTheEnd = Span.of(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)).plusSeconds(5), XTERM);
        Path file = dir.resolve("buffer.db");
        try (SpanBuffer writer = SpanBuffer.open(file)) {
            writer.append(List.of(beforeMidnight, acrossMidnight, atTheStart, afterTheEnd));
        }

        try (BufferReader reader = BufferReader.open(file).orElseThrow()) {
            assertThat(reader.recorded(T0, T0.plus(Duration.ofDays(1))).spans()).extracting(RecordedSpan::span)
                    .containsExactly(acrossMidnight, atTheStart);
        }
    }

    @Test
    void whatTheAgentNotesAboutItselfIsReadBack() {
        Path file = dir.resolve("buffer.db");
        MutableClock clock = MutableClock.at(T0);
        try (SpanBuffer writer = SpanBuffer.open(file, BufferConfig.defaults(), clock)) {
            writer.noteAgentStarted(4242, T0);
            writer.noteCapture(CaptureState.RECORDING, "", T0.plusSeconds(1));
            writer.noteCapture(CaptureState.RECORDING, "", T0.plusSeconds(2)); // unchanged: keeps its "since"
            writer.noteUploadFailure(T0.plusSeconds(3), "SERVER_UNREACHABLE", "cannot reach the server: refused");
            writer.notePolicy(7, T0.plusSeconds(4));
            writer.append(List.of(Span.of(T0, T0.plusSeconds(1), XTERM)));
            writer.acknowledge(writer.nextBatch(10).orElseThrow().sequence(), T0.plusSeconds(5));

            try (BufferReader reader = BufferReader.open(file).orElseThrow()) {
                assertThat(reader.agentStatus()).isEqualTo(new AgentStatus(
                        Optional.of(new AgentProcess(4242, T0, Optional.empty())),
                        Optional.of(T0.plusSeconds(5)),
                        Optional.of(new UploadError(T0.plusSeconds(3), "SERVER_UNREACHABLE",
                                "cannot reach the server: refused")),
                        Optional.of(new Capture(CaptureState.RECORDING, "", T0.plusSeconds(1))),
                        Optional.of(new PolicySeen(7, T0.plusSeconds(4)))));
            }
            writer.noteCapture(CaptureState.NO_DISPLAY, "DISPLAY is not set", T0.plusSeconds(6));
            writer.noteAgentStopped(T0.plusSeconds(7));
        }

        try (BufferReader reader = BufferReader.open(file).orElseThrow()) {
            AgentStatus status = reader.agentStatus();
            assertThat(status.capture()).contains(new Capture(CaptureState.NO_DISPLAY, "DISPLAY is not set",
                    T0.plusSeconds(6)));
            assertThat(status.process()).contains(new AgentProcess(4242, T0, Optional.of(T0.plusSeconds(7))));
        }
    }

    @Test
    void aVersion1FileIsMigratedBeforeItIsRead() throws Exception {
        Path file = dir.resolve("buffer.db");
        Span open = Span.of(T0, T0.plusSeconds(4), XTERM);
        SpanBufferTest.writeVersion1File(file, List.of(Span.of(T0.minusSeconds(5), T0, XTERM)), 0, open);

        try (BufferReader reader = BufferReader.open(file).orElseThrow()) {
            assertThat(reader.openSpan()).contains(open);
            assertThat(reader.backlog().unsentSpans()).isEqualTo(1);
        }
        assertThat(SpanBufferTest.userVersion(file)).isEqualTo(SchemaMigration.CURRENT_VERSION);
    }

    @Test
    void aFileFromANewerAgentIsRefused() throws Exception {
        Path file = dir.resolve("buffer.db");
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement statement = connection.createStatement()) {
            statement.executeUpdate("PRAGMA user_version = 99");
        }

        assertThatThrownBy(() -> BufferReader.open(file)).isInstanceOf(SpanBufferException.class)
                .hasMessageContaining("newer");
    }
}
