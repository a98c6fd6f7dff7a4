package com.xentracker.server.device;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a device's agent still held unsent when it made the newest batch the server stored: how far behind the
 * server's view of the device is.
 *
 * @param unsentSpans    spans recorded on the device and not yet stored here
 * @param oldestUnsentAt the start of the oldest of them, by the device's clock; empty when there are none
 */
public record DeviceBacklog(long unsentSpans, Optional<Instant> oldestUnsentAt) {

    public DeviceBacklog {
        Objects.requireNonNull(oldestUnsentAt, "oldestUnsentAt");
        if (unsentSpans < 0) {
            throw new IllegalArgumentException("unsentSpans must not be negative, got " + unsentSpans);
        }
    }

    /** Whether nothing waits. */
    public boolean caughtUp() {
        return unsentSpans == 0;
    }
}
