package com.xentracker.collector.probe;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of choosing a probe for a session without treating "cannot observe here" as an error: the probe when
 * there is one, and the availability to show and report in either case. See
 * {@link ForegroundProbes#selectForCurrentSession()}.
 *
 * @param probe        the open probe; present exactly when {@code availability.canObserve()}. The receiver owns it
 *                     and closes it
 * @param availability the availability at selection time; a probe's own {@link ForegroundProbe#availability()} is
 *                     the live value (a macOS permission may be granted while the agent runs)
 */
public record ProbeSelection(Optional<ForegroundProbe> probe, CaptureAvailability availability) {

    public ProbeSelection {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(availability, "availability");
        if (probe.isPresent() != availability.canObserve()) {
            throw new IllegalArgumentException("a probe is present exactly when capture is possible: "
                    + availability.state() + " with " + (probe.isPresent() ? "a probe" : "no probe"));
        }
    }

    /** An open probe, with its current availability. */
    public static ProbeSelection of(ForegroundProbe probe) {
        Objects.requireNonNull(probe, "probe");
        return new ProbeSelection(Optional.of(probe), probe.availability());
    }

    /** No probe; {@code availability} says why. */
    public static ProbeSelection unavailable(CaptureAvailability availability) {
        return new ProbeSelection(Optional.empty(), availability);
    }
}
