package com.xentracker.server.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known to be missing from a device's data: the gaps its agent recorded (its buffer dropped spans, or the
 * server refused a batch for good), kept as long as spans are, and the holes in its batch sequence numbers (batches
 * that never arrived, although later ones did).
 *
 * @param gaps           how many gaps the agent recorded
 * @param gapTime        how much time they cover together
 * @param lastGapEnd     when the latest one ended
 * @param sequenceHoles  how many runs of missing batch numbers there are
 * @param missingBatches how many batch numbers are missing in them
 */
public record DeviceLosses(long gaps, Duration gapTime, Optional<Instant> lastGapEnd, long sequenceHoles,
        long missingBatches) {

    private static final DeviceLosses NONE = new DeviceLosses(0, Duration.ZERO, Optional.empty(), 0, 0);

    public DeviceLosses {
        Objects.requireNonNull(gapTime, "gapTime");
        Objects.requireNonNull(lastGapEnd, "lastGapEnd");
    }

    public static DeviceLosses none() {
        return NONE;
    }

    /** Whether nothing is known to be missing. */
    public boolean isNone() {
        return gaps == 0 && sequenceHoles == 0;
    }
}
