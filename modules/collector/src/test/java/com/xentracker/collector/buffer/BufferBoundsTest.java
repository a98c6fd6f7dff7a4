package com.xentracker.collector.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.testing.clock.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A buffer capped small, on a real SQLite file: drops the oldest unsent spans and records the gap. */
class BufferBoundsTest {

    private static final Instant T0 = Instant.parse("2025-03-10T09:00:00Z");
    private static final long CAP = 128 * 1024;

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at(T0);

    @Test
    void aBufferCappedSmallDropsTheOldestUnsentSpansAndRecordsOneGapCoveringThem() {
        List<Span> spans = consecutiveSpans(T0, 6_000);
        try (SpanBuffer buffer = open(new BufferConfig(CAP, Duration.ofDays(90), Duration.ofDays(7)))) {
            appendInChunks(buffer, spans);

            Backlog backlog = buffer.backlog();
            assertThat(backlog.usedBytes()).isLessThanOrEqualTo(CAP);
            List<Span> kept = buffer.oldestUnsent(10_000);
            List<Gap> gaps = buffer.unsentGaps();
            System.out.printf("kept %d of %d spans, %d gaps, %d bytes in use%n", kept.size(), spans.size(),
                    gaps.size(), backlog.usedBytes());

            assertThat(kept).as("the newest spans survive, in order, with no hole")
                    .isNotEmpty().hasSizeLessThan(spans.size())
                    .containsExactlyElementsOf(spans.subList(spans.size() - kept.size(), spans.size()));
            assertThat(gaps).as("one gap: from the oldest span to where what is kept begins, though dropped in steps")
                    .containsExactly(Gap.of(spans.get(0).start(), kept.get(0).start(), GapReason.BUFFER_FULL));
            assertThat(backlog.unsentGaps()).isEqualTo(1);
        }
    }

    @Test
    void theGapsTravelInTheNextBatchAheadOfTheSpansThatFollowThem() {
        List<Span> spans = consecutiveSpans(T0, 6_000);
        try (SpanBuffer buffer = open(new BufferConfig(CAP, Duration.ofDays(90), Duration.ofDays(7)))) {
            appendInChunks(buffer, spans);
            List<Gap> gaps = buffer.unsentGaps();
            List<Span> kept = buffer.oldestUnsent(10_000);

            PendingBatch batch = buffer.nextBatch(100).orElseThrow();

            assertThat(batch.gaps()).containsExactlyElementsOf(gaps);
            assertThat(batch.spans()).containsExactlyElementsOf(kept.subList(0, 100));
            buffer.acknowledge(batch.sequence(), clock.instant());
            assertThat(buffer.unsentGaps()).isEmpty();
            assertThat(buffer.nextBatch(100).orElseThrow().gaps()).isEmpty();
        }
    }

    @Test
    void spansAlreadyAssignedToABatchAreNeverDropped() {
        List<Span> first = consecutiveSpans(T0, 200);
        List<Span> flood = consecutiveSpans(first.get(199).end(), 6_000);
        try (SpanBuffer buffer = open(new BufferConfig(CAP, Duration.ofDays(90), Duration.ofDays(7)))) {
            buffer.append(first);
            PendingBatch assigned = buffer.nextBatch(200).orElseThrow(); // its upload keeps failing

            appendInChunks(buffer, flood);

            assertThat(buffer.unsentGaps()).isNotEmpty();
            assertThat(buffer.nextBatch(200)).as("the same batch, whole").contains(assigned);
            assertThat(buffer.oldestUnsent(200)).containsExactlyElementsOf(first);
            assertThat(buffer.unsentGaps().get(0).from()).as("the drop starts after the batch")
                    .isEqualTo(flood.get(0).start());
        }
    }

    @Test
    void theSentHistoryIsDeletedBeforeAnyUnsentSpan() {
        List<Span> sent = consecutiveSpans(T0, 1_500);
        List<Span> unsent = consecutiveSpans(sent.get(sent.size() - 1).end(), 700);
        try (SpanBuffer buffer = open(new BufferConfig(CAP, Duration.ofDays(90), Duration.ofDays(7)))) {
            appendInChunks(buffer, sent);
            Optional<PendingBatch> batch;
            while ((batch = buffer.nextBatch(100)).isPresent()) {
                buffer.acknowledge(batch.get().sequence(), clock.instant());
            }
            int historyBefore = buffer.recorded(T0, T0.plus(Duration.ofDays(1))).spans().size();

            appendInChunks(buffer, unsent);

            assertThat(buffer.unsentGaps()).as("nothing unsent was lost").isEmpty();
            assertThat(buffer.oldestUnsent(10_000)).containsExactlyElementsOf(unsent);
            List<RecordedSpan> history = buffer.recorded(T0, T0.plus(Duration.ofDays(1))).spans().stream()
                    .filter(span -> span.delivery().sent()).toList();
            assertThat(history).as("the oldest history went").hasSizeLessThan(historyBefore);
            assertThat(history).extracting(RecordedSpan::span)
                    .containsExactlyElementsOf(sent.subList(sent.size() - history.size(), sent.size()));
            assertThat(buffer.backlog().usedBytes()).isLessThanOrEqualTo(CAP);
        }
    }

    @Test
    void unsentSpansOlderThanTheAgeBoundAreDroppedAndTheGapRecorded() {
        List<Span> old = consecutiveSpans(T0, 10);
        Span straddling = Span.of(T0.plus(Duration.ofDays(1)).minusSeconds(30),
                T0.plus(Duration.ofDays(1)).plusSeconds(30), xterm());
        List<Span> recent = consecutiveSpans(T0.plus(Duration.ofDays(2)), 3);
        try (SpanBuffer buffer = open(new BufferConfig(CAP, Duration.ofDays(1), Duration.ofDays(7)))) {
            buffer.append(old);
            buffer.append(List.of(straddling));
            assertThat(buffer.unsentGaps()).isEmpty();

            clock.advance(Duration.ofDays(2).plusSeconds(5)); // cutoff: T0 + 1 day + 5 s
            buffer.append(recent);

            assertThat(buffer.unsentGaps()).containsExactly(Gap.of(old.get(0).start(), old.get(9).end(),
                    GapReason.BUFFER_EXPIRED));
            assertThat(buffer.oldestUnsent(100)).as("a span that ends after the cutoff is kept")
                    .containsExactly(straddling, recent.get(0), recent.get(1), recent.get(2));
        }
    }

    @Test
    void anAssignedBatchOutlivesTheAgeBound() {
        List<Span> old = consecutiveSpans(T0, 5);
        try (SpanBuffer buffer = open(new BufferConfig(CAP, Duration.ofDays(1), Duration.ofDays(7)))) {
            buffer.append(old);
            PendingBatch assigned = buffer.nextBatch(3).orElseThrow();

            clock.advance(Duration.ofDays(3));
            buffer.append(consecutiveSpans(clock.instant(), 1));

            assertThat(buffer.nextBatch(3)).contains(assigned);
            assertThat(buffer.unsentGaps()).containsExactly(Gap.of(old.get(3).start(), old.get(4).end(),
                    GapReason.BUFFER_EXPIRED));
        }
    }

    private SpanBuffer open(BufferConfig config) {
        return SpanBuffer.open(dir.resolve("buffer.db"), config, clock);
    }

    /** As the recorder would: a poll now and then closing a few spans. */
    private static void appendInChunks(SpanBuffer buffer, List<Span> spans) {
        for (int i = 0; i < spans.size(); i += 100) {
            buffer.append(spans.subList(i, Math.min(spans.size(), i + 100)));
        }
    }

    /** {@code n} spans of 3 s, each starting where the previous ended, alternating between two applications. */
    private static List<Span> consecutiveSpans(Instant start, int n) {
        List<Span> spans = new ArrayList<>();
        Instant at = start;
        for (int i = 0; i < n; i++) {
            Activity activity = i % 2 == 0 ? xterm()
                    : Activity.active("firefox-esr", "/usr/lib/firefox-esr/firefox-esr", Optional.empty());
            spans.add(Span.of(at, at.plusSeconds(3), activity));
            at = at.plusSeconds(3);
        }
        return spans;
    }

    private static Activity xterm() {
        return Activity.active("xterm", "/usr/bin/xterm", Optional.empty());
    }
}
