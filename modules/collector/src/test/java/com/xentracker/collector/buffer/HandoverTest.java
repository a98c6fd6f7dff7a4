package com.xentracker.collector.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.transport.wire.ErrorCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handing the buffer from one device identity to the next (re-enrollment), in the real SQLite file. */
class HandoverTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
    private static final UUID OLD = UUID.randomUUID();
    private static final UUID NEW = UUID.randomUUID();

    @TempDir
    Path dir;

    private final AtomicInteger seals = new AtomicInteger();

    private byte[] seal(PendingBatch batch) {
        return ("sealed " + batch.sequence() + " #" + seals.incrementAndGet()).getBytes();
    }

    @Test
    void aNewBufferIsBoundToItsDeviceWithoutAHandoverAndStaysBound() {
        Path file = dir.resolve("buffer.db");
        try (SpanBuffer buffer = SpanBuffer.open(file)) {
            assertThat(buffer.boundDevice()).isEmpty();

            assertThat(buffer.bindTo(OLD)).isEmpty();
            assertThat(buffer.bindTo(OLD)).isEmpty();
        }
        try (SpanBuffer reopened = SpanBuffer.open(file)) {
            assertThat(reopened.boundDevice()).contains(OLD);
        }
    }

    @Test
    void aBufferOfAnEarlierVersionKeepsItsPendingBatchWhenItIsFirstBound() {
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            buffer.append(spans(0, 3));
            SealedBatch pending = buffer.nextSealedBatch(10, this::seal).orElseThrow();

            assertThat(buffer.bindTo(OLD)).as("the device enrolled now cut it").isEmpty();

            assertThat(buffer.nextSealedBatch(10, this::seal)).contains(pending);
        }
    }

    @Test
    void aHandoverWithdrawsTheOldDevicesBatchesAndQueuesTheirSpansAndGapsInOrderUnderSequenceOne() {
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            buffer.bindTo(OLD);
            buffer.append(spans(0, 9));
            buffer.nextSealedBatch(3, this::seal);
            buffer.acknowledge(1, T0.plusSeconds(100)); // spans 0..2: sent history
            buffer.nextSealedBatch(3, this::seal);
            buffer.reject(2, ErrorCode.BAD_SIGNATURE.code(), T0.plusSeconds(110)); // spans 3..5: a gap now
            SealedBatch pending = buffer.nextSealedBatch(3, this::seal).orElseThrow(); // the gap and spans 6..8
            buffer.append(spans(9, 11)); // never cut
            buffer.noteUploadFailure(T0.plusSeconds(120), "STOPPED", Optional.of(ErrorCode.DEVICE_REVOKED),
                    "the organization revoked this device");
            Gap rejected = Gap.of(T0.plusSeconds(9), T0.plusSeconds(18), GapReason.UPLOAD_REJECTED);
            assertThat(pending.sequence()).isEqualTo(3);
            assertThat(pending.batch().gaps()).containsExactly(rejected);

            Optional<Handover> handover = buffer.bindTo(NEW);

            assertThat(handover).contains(new Handover(OLD, NEW, 1, 3, 1));
            assertThat(buffer.boundDevice()).contains(NEW);
            Backlog backlog = buffer.backlog();
            assertThat(backlog.pendingBatches()).as("the old sealed batch is gone").isZero();
            assertThat(backlog.nextSequence()).isEqualTo(1);
            assertThat(buffer.oldestUnsent(100)).isEqualTo(spans(6, 11));
            assertThat(buffer.agentStatus().lastError()).as("the old identity's error").isEmpty();
            assertThat(buffer.bindTo(NEW)).as("done once").isEmpty();

            SealedBatch first = buffer.nextSealedBatch(100, this::seal).orElseThrow();

            assertThat(first.sequence()).isEqualTo(1);
            assertThat(first.batch().gaps()).containsExactly(rejected);
            assertThat(first.batch().spans()).isEqualTo(spans(6, 11));
            assertThat(first.sealed()).as("sealed anew, for the new device").isNotEqualTo(pending.sealed());
            RecordedPeriod shown = buffer.recorded(T0, T0.plusSeconds(3600));
            assertThat(shown.spans()).extracting(RecordedSpan::span).isEqualTo(
                    concat(spans(0, 3), spans(6, 11)));
            assertThat(shown.spans().subList(0, 3)).allSatisfy(span -> assertThat(span.delivery().sent()).isTrue());
            assertThat(shown.spans().subList(3, 8)).allSatisfy(span -> assertThat(span.delivery().sent()).isFalse());
        }
        assertThat(foreignKeyViolations()).isZero();
    }

    @Test
    void aSecondHandoverKeepsTheHistoryOfBothEarlierIdentities() {
        UUID third = UUID.randomUUID();
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            buffer.bindTo(OLD);
            buffer.append(spans(0, 4));
            buffer.nextSealedBatch(2, this::seal);
            buffer.acknowledge(1, T0.plusSeconds(100));
            buffer.nextSealedBatch(2, this::seal);
            buffer.acknowledge(2, T0.plusSeconds(101));
            buffer.bindTo(NEW);
            buffer.append(spans(4, 6));
            buffer.nextSealedBatch(2, this::seal);
            buffer.acknowledge(1, T0.plusSeconds(102));
            buffer.append(spans(6, 7));

            assertThat(buffer.bindTo(third)).contains(new Handover(NEW, third, 0, 0, 0));

            assertThat(buffer.oldestUnsent(100)).isEqualTo(spans(6, 7));
            assertThat(buffer.nextSealedBatch(10, this::seal).orElseThrow().sequence()).isEqualTo(1);
            assertThat(buffer.recorded(T0, T0.plusSeconds(3600)).spans()).hasSize(7)
                    .filteredOn(span -> span.delivery().sent()).hasSize(6);
        }
        assertThat(foreignKeyViolations()).isZero();
    }

    private int foreignKeyViolations() {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("buffer.db"));
                Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("PRAGMA foreign_key_check")) {
            int violations = 0;
            while (rows.next()) {
                violations++;
            }
            return violations;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Span> concat(List<Span> first, List<Span> second) {
        List<Span> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<Span> spans(int from, int to) {
        List<Span> spans = new ArrayList<>();
        for (int i = from; i < to; i++) {
            spans.add(Span.of(T0.plusSeconds(3L * i), T0.plusSeconds(3L * i + 3),
                    Activity.active("xterm", "/usr/bin/xterm", Optional.empty())));
        }
        return spans;
    }
}
