package com.xentracker.server.usage;

import java.time.Duration;

/** Time spent in one application across an organization's devices in a period. */
public record ApplicationUsage(String application, Duration active, long devices) {
}
