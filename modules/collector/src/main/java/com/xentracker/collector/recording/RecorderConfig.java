package com.xentracker.collector.recording;

import java.time.Duration;
import java.util.Objects;

/**
 * How the recorder samples.
 *
 * @param pollInterval        time between two observations
 * @param idleThreshold       no input for at least this long counts as idle
 * @param collectWindowTitles whether window titles may be stored; off unless the organization's policy allows it
 */
public record RecorderConfig(Duration pollInterval, Duration idleThreshold, boolean collectWindowTitles) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_IDLE_THRESHOLD = Duration.ofMinutes(3);

    public RecorderConfig {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(idleThreshold, "idleThreshold");
        if (pollInterval.compareTo(Duration.ofMillis(100)) < 0 || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("poll-interval must be between 100 ms and 1 min, got " + pollInterval);
        }
        if (idleThreshold.compareTo(pollInterval) < 0) {
            throw new IllegalArgumentException("idle-threshold (" + idleThreshold
                    + ") must not be shorter than poll-interval (" + pollInterval + ")");
        }
    }

    /** Defaults: poll every second, idle after 3 minutes, no titles. */
    public static RecorderConfig defaults() {
        return new RecorderConfig(DEFAULT_POLL_INTERVAL, DEFAULT_IDLE_THRESHOLD, false);
    }
}
