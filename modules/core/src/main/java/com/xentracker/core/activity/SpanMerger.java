package com.xentracker.core.activity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns samples into spans by the heartbeat rule.
 *
 * <p>A sample with the same activity as the open span that arrives within the pulse time of the span's end
 * extends the span. A sample with another activity within the pulse time closes the open span at the new sample
 * (the change happened somewhere in between; we attribute the interval to what was seen before) and opens a new
 * one. A sample later than the pulse time (suspend, a stopped agent, a clock jump forward) closes the open span at
 * its last sample, so a span never stretches across a gap. A sample earlier than the open span's end (the clock
 * was set back) is ignored, so nothing is counted twice.
 *
 * <p>Pulse time = max(1.5 × poll interval, poll interval + 1 s). Not thread-safe: one merger per sampling thread.
 */
public final class SpanMerger {

    private final Duration pulseTime;
    private Span open;

    private SpanMerger(Duration pulseTime) {
        this.pulseTime = pulseTime;
    }

    /** A merger for a probe polled every {@code pollInterval}. */
    public static SpanMerger create(Duration pollInterval) {
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isZero() || pollInterval.isNegative()) {
            throw new IllegalArgumentException("poll interval must be positive, got " + pollInterval);
        }
        return new SpanMerger(pulseTime(pollInterval));
    }

    /** Pulse time for a poll interval: max(1.5 × poll, poll + 1 s). */
    public static Duration pulseTime(Duration pollInterval) {
        Duration oneAndAHalf = pollInterval.plus(pollInterval.dividedBy(2));
        Duration plusOneSecond = pollInterval.plusSeconds(1);
        return oneAndAHalf.compareTo(plusOneSecond) >= 0 ? oneAndAHalf : plusOneSecond;
    }

    /**
     * Takes one sample.
     *
     * @return the spans this sample closed (zero or one), in order
     */
    public List<Span> accept(Sample sample) {
        Objects.requireNonNull(sample, "sample");
        List<Span> closed = new ArrayList<>(1);
        Instant at = sample.at();
        if (open == null) {
            open = Span.of(at, at, sample.activity());
            return closed;
        }
        if (at.isBefore(open.end())) {
            return closed; // clock went back: never count the same time twice
        }
        boolean withinPulse = !at.isAfter(open.end().plus(pulseTime));
        if (withinPulse && open.activity().equals(sample.activity())) {
            open = open.endingAt(at);
        } else if (withinPulse) {
            closed.add(open.endingAt(at));
            open = Span.of(at, at, sample.activity());
        } else {
            closed.add(open);
            open = Span.of(at, at, sample.activity());
        }
        return closed;
    }

    /** The span still being extended, if any. */
    public Optional<Span> openSpan() {
        return Optional.ofNullable(open);
    }

    /** Closes and returns the open span (on shutdown); afterwards the merger starts afresh. */
    public Optional<Span> close() {
        Optional<Span> last = Optional.ofNullable(open);
        open = null;
        return last;
    }
}
