package com.xentracker.core.activity;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A stretch of time in which the same activity was observed without a gap. {@code end} is never before {@code start}. */
public record Span(Instant start, Instant end, Activity activity) {
    public Span {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(activity, "activity");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("span ends (" + end + ") before it starts (" + start + ")");
        }
    }

    public static Span of(Instant start, Instant end, Activity activity) {
        return new Span(start, end, activity);
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    Span endingAt(Instant newEnd) {
        return new Span(start, newEnd, activity);
    }
}
