package com.xentracker.core.activity;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One observation of the foreground by the agent's probe.
 *
 * @param at             the wall-clock time of the observation (what spans are made of)
 * @param activity       what was observed, after the organization's policy was applied
 * @param monotonicNanos a reading of a monotonic clock taken with {@code at} ({@code System.nanoTime()} of the
 *                       sampling process; only differences between readings of one process mean anything). With
 *                       it, {@link SpanMerger} tells a changed wall clock or a suspended device from elapsed time.
 *                       Empty when the caller has none; the merger then trusts the wall clock alone
 */
public record Sample(Instant at, Activity activity, OptionalLong monotonicNanos) {
    public Sample {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(activity, "activity");
        Objects.requireNonNull(monotonicNanos, "monotonicNanos");
    }

    /** A sample without a monotonic reading. */
    public Sample(Instant at, Activity activity) {
        this(at, activity, OptionalLong.empty());
    }

    /** A sample without a monotonic reading: the merger can then not detect wall-clock jumps within the pulse time. */
    public static Sample of(Instant at, Activity activity) {
        return new Sample(at, activity, OptionalLong.empty());
    }

    /** A sample with the monotonic clock reading ({@code System.nanoTime()}) taken at the same moment as {@code at}. */
    public static Sample of(Instant at, Activity activity, long monotonicNanos) {
        return new Sample(at, activity, OptionalLong.of(monotonicNanos));
    }
}
