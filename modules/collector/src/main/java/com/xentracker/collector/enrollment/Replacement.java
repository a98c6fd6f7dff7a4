package com.xentracker.collector.enrollment;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A new identity put in place of the device's enrollment ({@link EnrolledDevice#finishReplacement}).
 *
 * @param device   the enrollment in {@code <data-dir>/device/} now
 * @param previous where the replaced identity (its key included) was kept, {@code device.replaced-<UTC time>/};
 *                 empty when there was none to move (a crash had moved it already, or the device was not enrolled)
 */
public record Replacement(EnrolledDevice device, Optional<Path> previous) {

    public Replacement {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(previous, "previous");
    }
}
