package com.xentracker.transport.wire;

/**
 * Whether the agent can record the foreground at the moment, and if not, why. Sent with every batch so that
 * administrators see a device that records nothing, and the reason, instead of a silent hole.
 *
 * <p>A name this version does not know (sent by a newer agent) is read as {@link #UNKNOWN}: a device's status line
 * must never make a whole batch unreadable.
 */
public enum CaptureState {
    /** The probe works and the agent records. */
    RECORDING,
    /** There is no graphical session (no {@code DISPLAY}, a service account, a headless server). */
    NO_DISPLAY,
    /** A Wayland session: foreground tracking is unavailable there; the agent records nothing rather than garbage. */
    WAYLAND_UNSUPPORTED,
    /** The operating system withholds a permission the probe needs (e.g. macOS Accessibility). */
    PERMISSION_MISSING,
    /** The agent has no probe for this operating system. */
    UNSUPPORTED_OS,
    /** The employee started private time. */
    PAUSED,
    /** The policy's working hours do not include now, so nothing is collected. */
    OUTSIDE_WORKING_HOURS,
    /** Not reported (an older agent) or not known to this version. */
    UNKNOWN
}
