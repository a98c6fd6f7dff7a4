package com.xentracker.collector;

import com.xentracker.collector.probe.CaptureAvailability;
import java.util.Objects;

/**
 * No foreground probe can run in this session; {@link #availability()} says why as data (the reason the server sees
 * and a sentence for the person at the device), the message says it in words.
 */
public final class ProbeUnavailableException extends CollectorException {

    /**
     * Why there is no probe. Each constant has a namesake in {@link CaptureAvailability.Reason}, the fuller list that
     * {@link #availability()} uses.
     */
    public enum Reason {
        /** No graphical session: Linux without {@code DISPLAY}, a Windows service, macOS outside the GUI login. */
        NO_DISPLAY,
        /** A Wayland session (also with XWayland's {@code DISPLAY}): Wayland hides other applications' windows. */
        WAYLAND_SESSION,
        /** {@code DISPLAY} is set but the X server does not accept the connection. */
        DISPLAY_UNREACHABLE,
        /** A native library (libX11, libXss, user32, CoreGraphics …) or an X extension the probe needs is missing. */
        MISSING_LIBRARY_OR_EXTENSION,
        /** An operating system without a probe. */
        UNSUPPORTED_OPERATING_SYSTEM
    }

    private final Reason reason;
    private final CaptureAvailability availability;

    public ProbeUnavailableException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ProbeUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.availability = CaptureAvailability.unavailable(CaptureAvailability.Reason.valueOf(reason.name()), message);
    }

    /**
     * From an availability whose state is {@link CaptureAvailability.State#UNAVAILABLE}; its explanation becomes the
     * message.
     *
     * @throws IllegalArgumentException when {@code availability} is not unavailable
     */
    public ProbeUnavailableException(CaptureAvailability availability) {
        this(availability, null);
    }

    /** As {@link #ProbeUnavailableException(CaptureAvailability)}, with the failure that revealed it. */
    public ProbeUnavailableException(CaptureAvailability availability, Throwable cause) {
        super(Objects.requireNonNull(availability, "availability").explanation(), cause);
        if (availability.canObserve()) {
            throw new IllegalArgumentException("capture is " + availability.state() + ", not unavailable");
        }
        this.availability = availability;
        this.reason = legacyReason(availability.reason().orElseThrow());
    }

    private static Reason legacyReason(CaptureAvailability.Reason reason) {
        try {
            return Reason.valueOf(reason.name());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(reason + " limits capture, it does not make it unavailable", e);
        }
    }

    public Reason reason() {
        return reason;
    }

    /** The same cause as data: {@link CaptureAvailability.State#UNAVAILABLE}, the reason and the explanation. */
    public CaptureAvailability availability() {
        return availability;
    }
}
