package com.xentracker.collector.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealed-bytes outbox in the real SQLite file: sealed once at cut, kept across reopen, replaced, rejected. */
class OutboxTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");

    @TempDir
    Path dir;

    private final AtomicInteger seals = new AtomicInteger();

    private byte[] seal(PendingBatch batch) {
        return ("sealed " + batch.sequence() + " #" + seals.incrementAndGet()).getBytes();
    }

    @Test
    void aBatchIsSealedOnceWhenCutAndTheSameBytesComeBackAfterAReopen() {
        Path file = dir.resolve("buffer.db");
        try (SpanBuffer buffer = SpanBuffer.open(file)) {
            buffer.append(spans(0, 5));
            SealedBatch first = buffer.nextSealedBatch(3, this::seal).orElseThrow();
            SealedBatch again = buffer.nextSealedBatch(3, this::seal).orElseThrow();

            assertThat(first.sequence()).isEqualTo(1);
            assertThat(first.batch().spans()).isEqualTo(spans(0, 3));
            assertThat(again).isEqualTo(first);
        }
        try (SpanBuffer reopened = SpanBuffer.open(file)) {
            assertThat(reopened.nextSealedBatch(3, this::seal).orElseThrow().sealed())
                    .isEqualTo("sealed 1 #1".getBytes());
            assertThat(seals).hasValue(1);

            reopened.acknowledge(1, T0.plusSeconds(60));
            SealedBatch second = reopened.nextSealedBatch(3, this::seal).orElseThrow();
            assertThat(second.sequence()).isEqualTo(2);
            assertThat(second.batch().spans()).isEqualTo(spans(3, 5));
        }
    }

    @Test
    void aPendingBatchCutWithoutSealedBytesIsSealedOnFirstUseUnderItsSequence() {
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            buffer.append(spans(0, 2));
            PendingBatch cut = buffer.nextBatch(10).orElseThrow(); // as an older agent did

            SealedBatch sealed = buffer.nextSealedBatch(10, this::seal).orElseThrow();

            assertThat(sealed.batch()).isEqualTo(cut);
            assertThat(buffer.nextSealedBatch(10, this::seal).orElseThrow()).isEqualTo(sealed);
        }
    }

    @Test
    void forgottenOrReplacedBytesAreSealedAgainForTheSameBatch() {
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            buffer.append(spans(0, 2));
            SealedBatch first = buffer.nextSealedBatch(10, this::seal).orElseThrow();
            buffer.reseal(first.sequence(), "resealed".getBytes());
            assertThat(buffer.nextSealedBatch(10, this::seal).orElseThrow().sealed()).isEqualTo("resealed".getBytes());

            buffer.forgetSealedBytes();
            SealedBatch after = buffer.nextSealedBatch(10, this::seal).orElseThrow();

            assertThat(after.sequence()).isEqualTo(first.sequence());
            assertThat(after.batch()).isEqualTo(first.batch());
            assertThat(after.sealed()).isEqualTo("sealed 1 #2".getBytes());
        }
    }

    @Test
    void aRejectedBatchBecomesAGapAndTheQueueMovesOn() {
        try (SpanBuffer buffer = SpanBuffer.open(dir.resolve("buffer.db"))) {
            buffer.append(spans(0, 4));
            SealedBatch poisoned = buffer.nextSealedBatch(2, this::seal).orElseThrow();

            buffer.reject(poisoned.sequence(), "bad-signature", T0.plusSeconds(60));

            SealedBatch next = buffer.nextSealedBatch(2, this::seal).orElseThrow();
            assertThat(next.sequence()).isEqualTo(2);
            assertThat(next.batch().gaps()).containsExactly(Gap.of(T0, T0.plusSeconds(20), GapReason.UPLOAD_REJECTED));
            assertThat(next.batch().spans()).isEqualTo(spans(2, 4));
            assertThat(buffer.backlog().unsentSpans()).isEqualTo(2);
            assertThat(buffer.recorded(T0, T0.plusSeconds(20)).spans()).as("the dropped spans are gone").isEmpty();
        }
    }

    private static List<Span> spans(int from, int to) {
        List<Span> spans = new ArrayList<>();
        for (int i = from; i < to; i++) {
            spans.add(Span.of(T0.plusSeconds(10L * i), T0.plusSeconds(10L * i + 10),
                    Activity.active("xterm", "/usr/bin/xterm", Optional.empty())));
        }
        return spans;
    }
}
