package com.xentracker.core.activity;

import java.time.Instant;
import java.util.Objects;

/** One observation of the foreground by the agent's probe. */
public record Sample(Instant at, Activity activity) {
    public Sample {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(activity, "activity");
    }

    public static Sample of(Instant at, Activity activity) {
        return new Sample(at, activity);
    }
}
