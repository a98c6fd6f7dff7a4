package com.xentracker.core.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SpanMergerTest {

    private static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");
    private static final Activity XTERM = Activity.active("xterm", "/usr/bin/xterm", Optional.empty());
    private static final Activity FIREFOX = Activity.active("firefox", "/usr/lib/firefox/firefox", Optional.empty());
    private static final long SECOND = 1_000_000_000L;

    @Test
    void pulseTimeIsTheLargerOfOneAndAHalfPollsAndPollPlusOneSecond() {
        assertThat(SpanMerger.pulseTime(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(2));
        assertThat(SpanMerger.pulseTime(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(15));
        assertThat(SpanMerger.pulseTime(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aNonPositivePollIntervalIsRejected() {
        assertThatThrownBy(() -> SpanMerger.create(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpanMerger.create(Duration.ofSeconds(-1), ZoneId.of("Europe/Berlin")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSpanCannotEndBeforeItStarts() {
        assertThatThrownBy(() -> Span.of(T0, T0.minusSeconds(1), XTERM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before it starts");
    }

    /** Samples with wall time only, as the bench and older callers feed them. */
    @Nested
    class WallClockOnly {

        private final SpanMerger merger = SpanMerger.create(Duration.ofSeconds(1));
        private final List<Span> closed = new ArrayList<>();

        private void sample(long secondsAfterT0, Activity activity) {
            closed.addAll(merger.accept(Sample.of(T0.plusSeconds(secondsAfterT0), activity)));
        }

        @Test
        void sameActivityWithinPulseTimeExtendsTheOpenSpan() {
            for (int s = 0; s <= 10; s++) {
                sample(s, XTERM);
            }
            assertThat(closed).isEmpty();
            assertThat(merger.openSpan()).contains(Span.of(T0, T0.plusSeconds(10), XTERM));
        }

        @Test
        void aSwitchClosesTheSpanAtTheNewSampleWithoutAGap() {
            sample(0, XTERM);
            sample(1, XTERM);
            sample(2, FIREFOX);
            sample(3, FIREFOX);
            assertThat(closed).containsExactly(Span.of(T0, T0.plusSeconds(2), XTERM));
            assertThat(merger.openSpan()).contains(Span.of(T0.plusSeconds(2), T0.plusSeconds(3), FIREFOX));
        }

        @Test
        void aGapLongerThanPulseTimeClosesTheSpanAtItsLastSample() {
            sample(0, XTERM);
            sample(1, XTERM);
            sample(3600, XTERM); // suspended for an hour
            assertThat(closed).containsExactly(Span.of(T0, T0.plusSeconds(1), XTERM));
            assertThat(merger.openSpan()).contains(Span.of(T0.plusSeconds(3600), T0.plusSeconds(3600), XTERM));
        }

        @Test
        void aClockSetBackNeverCountsTimeTwice() {
            sample(0, XTERM);
            sample(1, XTERM);
            sample(2, XTERM);
            sample(1, FIREFOX); // the clock was set back by a second
            assertThat(closed).isEmpty();
            assertThat(merger.openSpan()).contains(Span.of(T0, T0.plusSeconds(2), XTERM));
            assertThat(merger.outOfOrderSamples()).isEqualTo(1);
        }

        @Test
        void closeReturnsTheOpenSpanOnce() {
            sample(0, XTERM);
            sample(1, XTERM);
            assertThat(merger.close()).contains(Span.of(T0, T0.plusSeconds(1), XTERM));
            assertThat(merger.close()).isEmpty();
        }
    }

    /** Samples that carry a monotonic reading, as the recorder feeds them. */
    @Nested
    class WithMonotonicReadings {

        private final SpanMerger merger = SpanMerger.create(Duration.ofSeconds(1));
        private final List<Span> closed = new ArrayList<>();
        private long monotonic = 7 * SECOND; // an arbitrary origin, as System.nanoTime has

        /** One sample after {@code elapsedNanos} of real time, at wall time T0 + {@code wallSeconds}. */
        private void sample(double wallSeconds, long elapsedNanos, Activity activity) {
            monotonic += elapsedNanos;
            closed.addAll(merger.accept(Sample.of(T0.plusMillis(Math.round(wallSeconds * 1000)), activity, monotonic)));
        }

        @Test
        void steadySamplesExtendOneSpan() {
            for (int s = 0; s <= 5; s++) {
                sample(s, SECOND, XTERM);
            }
            assertThat(closed).isEmpty();
            assertThat(merger.openSpan()).contains(Span.of(T0, T0.plusSeconds(5), XTERM));
            assertThat(merger.clockJumps()).isZero();
        }

        @Test
        void aWallClockJumpForwardClosesTheSpanAtTheLastSampleAndNeverCoversTheJump() {
            sample(0, SECOND, XTERM);
            sample(1, SECOND, XTERM);
            sample(3602, SECOND, XTERM); // the clock was set forward by an hour; one second really passed
            sample(3603, SECOND, XTERM);

            assertThat(closed).containsExactly(Span.of(T0, T0.plusSeconds(1), XTERM));
            assertThat(merger.openSpan()).contains(Span.of(T0.plusSeconds(3602), T0.plusSeconds(3603), XTERM));
            assertThat(merger.clockJumps()).isEqualTo(1);
        }

        @Test
        void aWallClockJumpForwardWithinThePulseTimeIsStillAJump() {
            // without monotonic readings 1.9 s would pass as one slow poll; really only 0.1 s passed
            sample(0, SECOND, XTERM);
            sample(1, SECOND, XTERM);
            sample(2.9, SECOND / 10, XTERM);

            assertThat(closed).containsExactly(Span.of(T0, T0.plusSeconds(1), XTERM));
            assertThat(merger.clockJumps()).isEqualTo(1);
        }

        @Test
        void aWallClockJumpBackClosesTheSpanAndKeepsRecordingTheRealTimeAfterIt() {
            sample(0, SECOND, XTERM);
            sample(1, SECOND, XTERM);
            sample(2, SECOND, XTERM);
            sample(-3597, SECOND, FIREFOX); // set back by an hour; one second really passed
            sample(-3596, SECOND, FIREFOX);

            assertThat(closed).containsExactly(Span.of(T0, T0.plusSeconds(2), XTERM));
            assertThat(merger.openSpan()).contains(
                    Span.of(T0.minusSeconds(3597), T0.minusSeconds(3596), FIREFOX));
            assertThat(merger.outOfOrderSamples()).isZero(); // a set-back clock is not a stale sample
            assertThat(merger.clockJumps()).isEqualTo(1);
        }

        @Test
        void aSmallSetBackWithinThePulseTimeNeverExtendsASpanBackwards() {
            sample(0, SECOND, XTERM);
            sample(1, SECOND, XTERM);
            sample(0.5, SECOND, XTERM); // NTP stepped the clock back 1.5 s

            assertThat(closed).containsExactly(Span.of(T0, T0.plusSeconds(1), XTERM));
            assertThat(merger.openSpan()).contains(Span.of(T0.plusMillis(500), T0.plusMillis(500), XTERM));
            assertThat(merger.clockJumps()).isEqualTo(1);
        }

        @Test
        void suspendAndResumeCloseTheSpanAtTheLastSampleBeforeTheSuspend() {
            // Linux: the monotonic clock stands still while suspended, the wall clock runs on
            sample(0, SECOND, XTERM);
            sample(1, SECOND, XTERM);
            sample(7201, SECOND, XTERM); // resumed two hours later
            assertThat(closed).containsExactly(Span.of(T0, T0.plusSeconds(1), XTERM));
            assertThat(merger.openSpan()).contains(Span.of(T0.plusSeconds(7201), T0.plusSeconds(7201), XTERM));
        }

        @Test
        void aSuspendThatTheMonotonicClockCountsIsAGapNotAJump() {
            // where the monotonic clock includes suspend, both clocks agree that two hours passed
            sample(0, SECOND, XTERM);
            sample(1, SECOND, XTERM);
            sample(7201, 7200 * SECOND, XTERM);
            assertThat(closed).containsExactly(Span.of(T0, T0.plusSeconds(1), XTERM));
            assertThat(merger.clockJumps()).isZero();
        }

        @Test
        void aSlowPollWithinThePulseTimeExtendsAndALongerStallDoesNot() {
            sample(0, SECOND, XTERM);
            sample(1.9, SECOND * 19 / 10, XTERM); // a GC pause: late, but within 2 s pulse time
            assertThat(closed).isEmpty();
            sample(4.5, SECOND * 26 / 10, XTERM); // a stall longer than the pulse time
            assertThat(closed).containsExactly(Span.of(T0, T0.plusMillis(1900), XTERM));
            assertThat(merger.clockJumps()).isZero();
        }

        @Test
        void aWallClockSlewedWithinTheToleranceIsNoJump() {
            sample(0, SECOND, XTERM);
            sample(1.3, SECOND, XTERM); // wall and monotonic disagree by 0.3 s: no reason to split
            assertThat(closed).isEmpty();
            assertThat(merger.clockJumps()).isZero();
            assertThat(merger.openSpan()).contains(Span.of(T0, T0.plusMillis(1300), XTERM));
        }

        @Test
        void outOfOrderSamplesAreIgnoredAndCountedOnce() {
            sample(0, SECOND, XTERM);
            sample(1, SECOND, XTERM);
            sample(2, SECOND, XTERM);
            long latest = monotonic;
            // a stale sample taken before the last one, and one repeated with the same reading
            closed.addAll(merger.accept(Sample.of(T0.plusSeconds(1), FIREFOX, latest - SECOND)));
            closed.addAll(merger.accept(Sample.of(T0.plusSeconds(2), FIREFOX, latest)));
            sample(3, SECOND, XTERM);

            assertThat(closed).isEmpty();
            assertThat(merger.openSpan()).contains(Span.of(T0, T0.plusSeconds(3), XTERM));
            assertThat(merger.outOfOrderSamples()).isEqualTo(2);
        }

        @Test
        void aStaleSampleCannotReopenTimeAfterClose() {
            sample(0, SECOND, XTERM);
            sample(1, SECOND, XTERM);
            long latest = monotonic;
            assertThat(merger.close()).contains(Span.of(T0, T0.plusSeconds(1), XTERM));

            assertThat(merger.accept(Sample.of(T0, FIREFOX, latest - SECOND))).isEmpty();
            assertThat(merger.openSpan()).isEmpty();
            assertThat(merger.outOfOrderSamples()).isEqualTo(1);
        }

        @Test
        void everyObservedSecondIsCountedExactlyOnceAcrossJumpsAndStaleSamples() {
            // 10 s of xterm with a jump forward, a jump back and two stale samples: spans add up to the real time
            // observed between consecutive samples that were not separated by a jump
            sample(0, SECOND, XTERM);
            sample(1, SECOND, XTERM);
            sample(2, SECOND, XTERM);
            sample(500, SECOND, XTERM); // jump forward
            sample(501, SECOND, XTERM);
            closed.addAll(merger.accept(Sample.of(T0.plusSeconds(500), XTERM, monotonic - SECOND)));
            sample(-100, SECOND, XTERM); // jump back
            sample(-99, SECOND, XTERM);
            sample(-98, SECOND, XTERM);
            merger.close().ifPresent(closed::add);

            assertThat(closed.stream().map(Span::duration).reduce(Duration.ZERO, Duration::plus))
                    .isEqualTo(Duration.ofSeconds(2 + 1 + 2));
            assertThat(merger.clockJumps()).isEqualTo(2);
            assertThat(merger.outOfOrderSamples()).isEqualTo(1);
        }
    }

    /** Spans never cross local midnight. */
    @Nested
    class DayBoundaries {

        private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
        private final List<Span> closed = new ArrayList<>();
        private long monotonic;

        private static Instant berlin(String localDateTime) {
            return LocalDateTime.parse(localDateTime).atZone(BERLIN).toInstant();
        }

        private void feed(SpanMerger merger, Instant from, Instant to, Duration poll, Activity activity) {
            for (Instant at = from; !at.isAfter(to); at = at.plus(poll)) {
                monotonic += poll.toNanos();
                closed.addAll(merger.accept(Sample.of(at, activity, monotonic)));
            }
        }

        @Test
        void aSpanIsSplitAtLocalMidnight() {
            SpanMerger merger = SpanMerger.create(Duration.ofSeconds(1), BERLIN);
            feed(merger, berlin("2026-11-29T23:59:58"), berlin("2026-11-30T00:00:02"), Duration.ofSeconds(1), XTERM);

            Instant midnight = berlin("2026-11-30T00:00");
            assertThat(closed).containsExactly(Span.of(berlin("2026-11-29T23:59:58"), midnight, XTERM));
            assertThat(merger.openSpan()).contains(Span.of(midnight, berlin("2026-11-30T00:00:02"), XTERM));
        }

        @Test
        void midnightIsLocalNotUtc() {
            // 23:30 UTC is 00:30 in Berlin: the Berlin day ended at 23:00 UTC
            SpanMerger merger = SpanMerger.create(Duration.ofMinutes(1), BERLIN);
            feed(merger, Instant.parse("2026-11-29T22:50:00Z"), Instant.parse("2026-11-29T23:30:00Z"),
                    Duration.ofMinutes(1), XTERM);

            assertThat(closed).containsExactly(
                    Span.of(Instant.parse("2026-11-29T22:50:00Z"), Instant.parse("2026-11-29T23:00:00Z"), XTERM));
            assertThat(merger.zone()).isEqualTo(BERLIN);
        }

        @Test
        void aSwitchAcrossMidnightClosesBothPartsOfTheOldSpan() {
            SpanMerger merger = SpanMerger.create(Duration.ofSeconds(10), BERLIN);
            feed(merger, berlin("2026-11-29T23:59:40"), berlin("2026-11-29T23:59:55"), Duration.ofSeconds(5), XTERM);
            monotonic += 10 * SECOND;
            closed.addAll(merger.accept(Sample.of(berlin("2026-11-30T00:00:05"), FIREFOX, monotonic)));

            Instant midnight = berlin("2026-11-30T00:00");
            assertThat(closed).containsExactly(
                    Span.of(berlin("2026-11-29T23:59:40"), midnight, XTERM),
                    Span.of(midnight, berlin("2026-11-30T00:00:05"), XTERM));
            assertThat(merger.openSpan()).contains(
                    Span.of(berlin("2026-11-30T00:00:05"), berlin("2026-11-30T00:00:05"), FIREFOX));
        }

        @Test
        void aSpanEndingExactlyAtMidnightIsNotSplit() {
            SpanMerger merger = SpanMerger.create(Duration.ofSeconds(1), BERLIN);
            feed(merger, berlin("2026-11-29T23:59:58"), berlin("2026-11-30T00:00"), Duration.ofSeconds(1), XTERM);

            assertThat(closed).isEmpty();
            assertThat(merger.openSpan()).contains(
                    Span.of(berlin("2026-11-29T23:59:58"), berlin("2026-11-30T00:00"), XTERM));
        }

        @Test
        void theDayClocksSpringForwardHas23HoursAndTheDayTheyFallBack25() {
            SpanMerger merger = SpanMerger.create(Duration.ofMinutes(1), BERLIN);
            feed(merger, berlin("2026-03-28T23:00"), berlin("2026-03-30T00:30"), Duration.ofMinutes(1), XTERM);
            feed(merger, berlin("2026-03-30T00:31"), berlin("2026-03-30T00:31"), Duration.ofMinutes(1), FIREFOX);
            feed(merger, berlin("2026-10-24T23:00"), berlin("2026-10-26T00:30"), Duration.ofMinutes(1), XTERM);
            merger.close().ifPresent(closed::add);

            List<Span> wholeDays = closed.stream()
                    .filter(span -> span.start().atZone(BERLIN).toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                            && span.end().atZone(BERLIN).toLocalTime().equals(java.time.LocalTime.MIDNIGHT))
                    .toList();
            assertThat(wholeDays).extracting(Span::start, Span::duration).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(berlin("2026-03-29T00:00"), Duration.ofHours(23)),
                    org.assertj.core.groups.Tuple.tuple(berlin("2026-10-25T00:00"), Duration.ofHours(25)));
            assertThat(closed).allSatisfy(span -> assertThat(span.end())
                    .isBeforeOrEqualTo(localDay(span.start()).plusDays(1).atStartOfDay(BERLIN).toInstant()));
        }

        @Test
        void aDayThatStartsAtOneInTheMorningIsSplitWhereItStarts() {
            // Chile moved its clocks from Saturday 24:00 to Sunday 01:00: 2024-09-08 has no 00:00 in Santiago
            ZoneId santiago = ZoneId.of("America/Santiago");
            SpanMerger merger = SpanMerger.create(Duration.ofMinutes(1), santiago);
            Instant saturdayLate = LocalDateTime.parse("2024-09-07T23:50").atZone(santiago).toInstant();
            Instant sundayStart = LocalDate.parse("2024-09-08").atStartOfDay(santiago).toInstant();
            feed(merger, saturdayLate, sundayStart.plus(Duration.ofMinutes(5)), Duration.ofMinutes(1), XTERM);

            assertThat(sundayStart.atZone(santiago).toLocalTime()).isEqualTo(java.time.LocalTime.of(1, 0));
            assertThat(closed).containsExactly(Span.of(saturdayLate, sundayStart, XTERM));
            assertThat(closed.get(0).duration()).isEqualTo(Duration.ofMinutes(10));
            assertThat(merger.openSpan().orElseThrow().start()).isEqualTo(sundayStart);
        }

        private static LocalDate localDay(Instant instant) {
            return instant.atZone(BERLIN).toLocalDate();
        }
    }

    @Test
    void aLongStretchOfOneActivityIsClosedEveryFiveMinutesIntoContiguousSpans() {
        SpanMerger merger = SpanMerger.create(Duration.ofSeconds(1)).withCheckpoints(SpanMerger.CHECKPOINT);
        Activity editor = Activity.active("editor", "/usr/bin/editor", java.util.Optional.empty());
        Instant t0 = Instant.parse("2026-11-29T09:00:00Z");
        java.util.List<Span> closed = new java.util.ArrayList<>();
        for (int second = 0; second <= 12 * 60; second++) {
            closed.addAll(merger.accept(Sample.of(t0.plusSeconds(second), editor, second * 1_000_000_000L)));
        }

        assertThat(closed).containsExactly(Span.of(t0, t0.plus(SpanMerger.CHECKPOINT), editor),
                Span.of(t0.plus(SpanMerger.CHECKPOINT), t0.plus(SpanMerger.CHECKPOINT.multipliedBy(2)), editor));
        assertThat(merger.openSpan()).contains(Span.of(t0.plus(SpanMerger.CHECKPOINT.multipliedBy(2)),
                t0.plusSeconds(12 * 60), editor));
        assertThatThrownBy(() -> merger.withCheckpoints(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
