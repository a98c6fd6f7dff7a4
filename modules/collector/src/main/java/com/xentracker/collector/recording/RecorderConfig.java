package com.xentracker.collector.recording;

import com.xentracker.collector.policy.LocalLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * How the recorder samples, and what this device refuses on its own.
 *
 * @param pollInterval        time between two observations
 * @param idleThreshold       superseded by the organization's policy ({@code CollectionPolicy.idleThreshold()}),
 *                            which decides when a person is idle; kept so that existing configuration files still
 *                            load, and the recorder warns when it differs from the policy's
 * @param collectWindowTitles false to never store window titles on this device; true to store them where the
 *                            organization's policy collects titles. It cannot turn titles on against the policy
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

    /** Defaults: poll every second; titles as the organization's policy says. */
    public static RecorderConfig defaults() {
        return new RecorderConfig(DEFAULT_POLL_INTERVAL, DEFAULT_IDLE_THRESHOLD, true);
    }

    /** The local settings that restrict collection beyond the organization's policy. */
    public LocalLimits localLimits() {
        return new LocalLimits(collectWindowTitles);
    }
}
