package com.xentracker.core.activity;

import java.util.Objects;
import java.time.Instant;

/**
 * A stretch of time whose activity was recorded but lost on the device. Uploaded like a span so that the server can
 * show the loss instead of hiding it.
 */
public record Gap(Instant from, Instant to, GapReason reason) {
    public Gap {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("gap ends (" + to + ") before it starts (" + from + ")");
        }
    }

    public static Gap of(Instant from, Instant to, GapReason reason) {
        return new Gap(from, to, reason);
    }
}
