package com.xentracker.collector.probe;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One look at the desktop.
 *
 * @param foreground the window with the focus; empty when nothing identifiable has it (the bare desktop)
 * @param idle       time since the last keyboard or mouse input in the session
 */
public record Observation(Optional<ForegroundWindow> foreground, Duration idle) {

    public Observation {
        Objects.requireNonNull(foreground, "foreground");
        Objects.requireNonNull(idle, "idle");
        if (idle.isNegative()) {
            throw new IllegalArgumentException("idle time is negative: " + idle);
        }
    }

    public static Observation of(Optional<ForegroundWindow> foreground, Duration idle) {
        return new Observation(foreground, idle);
    }
}
