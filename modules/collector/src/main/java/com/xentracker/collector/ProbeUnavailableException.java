package com.xentracker.collector;

import java.util.Objects;

/** No foreground probe can run in this session; {@link #reason()} says why, the message says it in words. */
public final class ProbeUnavailableException extends CollectorException {

    /** Why there is no probe. */
    public enum Reason {
        /** Linux without {@code DISPLAY}: no graphical session (a service or an SSH login). */
        NO_DISPLAY,
        /** A Wayland session without XWayland's {@code DISPLAY}: Wayland hides other applications' windows. */
        WAYLAND_SESSION,
        /** {@code DISPLAY} is set but the X server does not accept the connection. */
        DISPLAY_UNREACHABLE,
        /** A native library (libX11, libXss) or an X extension the probe needs is missing. */
        MISSING_LIBRARY_OR_EXTENSION,
        /** An operating system this agent version does not support yet. */
        UNSUPPORTED_OPERATING_SYSTEM
    }

    private final Reason reason;

    public ProbeUnavailableException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ProbeUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
