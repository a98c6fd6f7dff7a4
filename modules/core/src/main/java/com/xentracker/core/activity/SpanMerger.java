package com.xentracker.core.activity;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns samples into spans by the heartbeat rule, robust against the clock problems of real laptops.
 *
 * <p><b>Heartbeat rule.</b> A sample with the same activity as the open span that arrives within the pulse time of
 * the span's end extends the span. A sample with another activity within the pulse time closes the open span at the
 * new sample (the change happened somewhere in between; the interval is attributed to what was seen before) and
 * opens a new one. A sample later than the pulse time (a stopped or stalled agent) closes the open span at its last
 * sample, so a span never stretches across a gap. Pulse time = max(1.5 × poll interval, poll interval + 1 s).
 *
 * <p><b>Clock jumps.</b> When both the previous and the new sample carry a {@linkplain Sample#monotonicNanos()
 * monotonic reading}, elapsed time is measured on the monotonic clock, and a sample whose wall-clock advance differs
 * from its monotonic advance by more than the pulse slack (pulse time − poll interval) is a jump: the system clock
 * was set forward or back, or the device was suspended (Linux's monotonic clock stands still during suspend while
 * the wall clock runs on). A jump closes the open span at its last sample and opens a new span at the new sample,
 * so no span ever covers time that was not observed. Every second is counted by its monotonic length; after the
 * clock is set back, later spans may therefore lie earlier on the wall clock than spans recorded before the change
 * (each span's own bounds and duration stay true). Without monotonic readings the wall clock is all there is: a jump
 * forward is a gap (above), and a sample earlier than the last one is out of order (below).
 *
 * <p><b>Out-of-order samples</b> (a monotonic reading not after the last accepted one, or, without readings, a wall
 * time before it) are ignored and counted in {@link #outOfOrderSamples()}; nothing is counted twice. The last
 * accepted reading is remembered across {@link #close()}, so a stale sample cannot reopen time already closed.
 *
 * <p><b>Checkpoints.</b> With {@link #withCheckpoints} (the agent uses {@link #CHECKPOINT}, 5 minutes) a span of one
 * activity is closed after that long and continues in a new, contiguous span, so that long stretches in one window
 * reach the server while they last.
 *
 * <p><b>Days.</b> A span never crosses local midnight in the merger's time zone: a span reaching past midnight is
 * split there, and the part before midnight is closed. Midnight is the start of the local day as the zone's rules
 * define it, so days of 23 or 25 hours (DST) and days that start at 01:00 (zones that switch at midnight) are handled.
 *
 * <p>Pure and not thread-safe: one merger per sampling thread. It never reads a clock itself.
 */
public final class SpanMerger {

    /**
     * The agent's checkpoint ({@link #withCheckpoints}): the longest a span stays open before it is closed and the
     * same activity continues in a new span that starts where it ended. Only closed spans are uploaded, so without
     * it an afternoon in one window would reach the server only when the window changes; with it, within this plus
     * the upload interval. The spans are contiguous, so totals are unchanged.
     */
    public static final Duration CHECKPOINT = Duration.ofMinutes(5);

    private final Duration pollInterval;
    private final Duration pulseTime;
    private final long pulseNanos;
    /** A wall/monotonic disagreement up to this much between two samples is tolerated (NTP slewing, jitter). */
    private final long jumpToleranceNanos;
    private final ZoneId zone;
    private final Optional<Duration> checkpoint;

    private Span open; // never crosses a local midnight
    private Instant openDayEnd; // the first local midnight after open.start()
    private Instant lastAt; // wall time of the last accepted sample; equals open.end() while a span is open
    private long lastMonotonic;
    private boolean lastHasMonotonic;
    private long outOfOrderSamples;
    private long clockJumps;

    private SpanMerger(Duration pollInterval, ZoneId zone, Optional<Duration> checkpoint) {
        this.pollInterval = pollInterval;
        this.pulseTime = pulseTime(pollInterval);
        this.pulseNanos = saturatedNanos(pulseTime);
        this.jumpToleranceNanos = saturatedNanos(pulseTime.minus(pollInterval));
        this.zone = zone;
        this.checkpoint = checkpoint;
    }

    /**
     * A new merger like this one (same poll interval and zone, no state) that closes a span of one activity after
     * {@code checkpoint} and continues in a new, contiguous span.
     */
    public SpanMerger withCheckpoints(Duration checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (checkpoint.compareTo(pulseTime) <= 0) {
            throw new IllegalArgumentException("a checkpoint is longer than the pulse time " + pulseTime);
        }
        return new SpanMerger(pollInterval, zone, Optional.of(checkpoint));
    }

    /** A merger for a probe polled every {@code pollInterval} whose days end at midnight UTC. */
    public static SpanMerger create(Duration pollInterval) {
        return create(pollInterval, ZoneOffset.UTC);
    }

    /** A merger for a probe polled every {@code pollInterval}; spans are split at midnight in {@code zone}. */
    public static SpanMerger create(Duration pollInterval, ZoneId zone) {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(zone, "zone");
        if (pollInterval.isZero() || pollInterval.isNegative()) {
            throw new IllegalArgumentException("poll interval must be positive, got " + pollInterval);
        }
        return new SpanMerger(pollInterval, zone, Optional.empty());
    }

    /** Pulse time for a poll interval: max(1.5 × poll, poll + 1 s). */
    public static Duration pulseTime(Duration pollInterval) {
        Duration oneAndAHalf = pollInterval.plus(pollInterval.dividedBy(2));
        Duration plusOneSecond = pollInterval.plusSeconds(1);
        return oneAndAHalf.compareTo(plusOneSecond) >= 0 ? oneAndAHalf : plusOneSecond;
    }

    /** The zone whose midnights split spans. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * Takes one sample.
     *
     * @return the spans this sample closed, oldest first (usually none or one; more when a midnight split a span)
     */
    public List<Span> accept(Sample sample) {
        Objects.requireNonNull(sample, "sample");
        Instant at = sample.at();
        boolean continuous = true;
        if (lastAt != null) {
            if (lastHasMonotonic && sample.monotonicNanos().isPresent()) {
                long elapsed = sample.monotonicNanos().getAsLong() - lastMonotonic; // nanoTime differences never overflow
                if (elapsed <= 0) {
                    outOfOrderSamples++;
                    return List.of();
                }
                long wallElapsed = nanosBetween(lastAt, at);
                boolean jumped = wallElapsed < 0 || Math.abs(saturatedMinus(wallElapsed, elapsed)) > jumpToleranceNanos;
                if (jumped) {
                    clockJumps++;
                }
                continuous = !jumped && elapsed <= pulseNanos;
            } else {
                if (at.isBefore(lastAt)) {
                    outOfOrderSamples++;
                    return List.of();
                }
                continuous = !at.isAfter(lastAt.plus(pulseTime));
            }
        }
        lastAt = at;
        lastHasMonotonic = sample.monotonicNanos().isPresent();
        lastMonotonic = sample.monotonicNanos().orElse(0);

        if (open == null) {
            openAt(at, sample.activity());
            return List.of();
        }
        List<Span> closed = new ArrayList<>(2);
        if (!continuous) {
            closed.add(open); // at its last sample: the time in between was not observed
            openAt(at, sample.activity());
        } else if (open.activity().equals(sample.activity())) {
            extendTo(at, closed);
            if (checkpoint.isPresent() && !open.end().isBefore(open.start().plus(checkpoint.get()))) {
                // long enough: close it here and go on in a new span of the same activity, contiguous with it
                closed.add(open);
                openAt(at, sample.activity());
            }
        } else {
            extendTo(at, closed); // the old activity up to the new sample, split at midnight if need be
            closed.add(open);
            openAt(at, sample.activity());
        }
        return closed;
    }

    /** The span still being extended, if any. */
    public Optional<Span> openSpan() {
        return Optional.ofNullable(open);
    }

    /**
     * Closes and returns the open span, ending at its last sample (on shutdown, or when nothing may be recorded for
     * a while). The next accepted sample opens a new span.
     */
    public Optional<Span> close() {
        Optional<Span> last = Optional.ofNullable(open);
        open = null;
        openDayEnd = null;
        return last;
    }

    /** Samples ignored because they were not newer than the last accepted one. */
    public long outOfOrderSamples() {
        return outOfOrderSamples;
    }

    /** Wall-clock jumps (clock changes, suspend/resume) seen between consecutive samples with monotonic readings. */
    public long clockJumps() {
        return clockJumps;
    }

    /** Extends the open span to {@code at}, closing the parts before each local midnight on the way into {@code closed}. */
    private void extendTo(Instant at, List<Span> closed) {
        while (at.isAfter(openDayEnd)) {
            closed.add(Span.of(open.start(), openDayEnd, open.activity()));
            open = Span.of(openDayEnd, openDayEnd, open.activity());
            openDayEnd = nextMidnight(openDayEnd);
        }
        open = open.endingAt(at);
    }

    private void openAt(Instant at, Activity activity) {
        open = Span.of(at, at, activity);
        openDayEnd = nextMidnight(at);
    }

    /** The start of the local day after the one {@code instant} falls on; DST-safe (atStartOfDay, not 00:00). */
    private Instant nextMidnight(Instant instant) {
        return instant.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }

    private static long nanosBetween(Instant from, Instant to) {
        return saturatedNanos(Duration.between(from, to));
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) { // more than 292 years: any clock that far off is a jump anyway
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long saturatedMinus(long a, long b) {
        long difference = a - b;
        // overflow iff the operands have different signs and the result's sign differs from a's
        if (((a ^ b) & (a ^ difference)) < 0) {
            return a < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE; // MIN + 1 so that Math.abs stays positive
        }
        return difference == Long.MIN_VALUE ? Long.MIN_VALUE + 1 : difference;
    }
}
