package com.xentracker.collector.probe;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether, and how fully, this session's foreground activity can be observed, as data: the agent shows it in
 * {@code status}, logs it once and reports it to the server, so that "the agent recorded nothing" is never
 * confused with "nobody used the device".
 *
 * @param state       available, limited (some facts missing, e.g. window titles) or unavailable
 * @param reason      the stable, machine-readable cause; present exactly when the state is not
 *                    {@link State#AVAILABLE}. Its {@code name()} is what the server sees
 * @param explanation one or two plain sentences for the person at the device: what is wrong and what to do
 */
public record CaptureAvailability(State state, Optional<Reason> reason, String explanation) {

    /** How much of the activity can be observed. */
    public enum State {
        /** Foreground application, window title, idle time and lock state. */
        AVAILABLE,
        /** Foreground application, idle time and lock state, but not everything (see the reason). */
        LIMITED,
        /** Nothing: the agent cannot tell what happens on this device. */
        UNAVAILABLE
    }

    /**
     * Why capture is not fully available. The names are stable: they are sent to the server. Each name of
     * {@link com.xentracker.collector.ProbeUnavailableException.Reason} exists here too.
     */
    public enum Reason {
        /**
         * No graphical session: Linux without {@code DISPLAY}, a Windows service (session 0), a macOS process outside
         * the user's GUI login session (launch daemon, SSH).
         */
        NO_DISPLAY,
        /** A Wayland session: Wayland does not let one application see another application's windows. */
        WAYLAND_SESSION,
        /** {@code DISPLAY} is set but the X server does not accept the connection. */
        DISPLAY_UNREACHABLE,
        /** A native library (libX11, libXss, user32, CoreGraphics …) or an X extension the probe needs is missing. */
        MISSING_LIBRARY_OR_EXTENSION,
        /** An operating system without a probe. */
        UNSUPPORTED_OPERATING_SYSTEM,
        /**
         * macOS has granted neither Accessibility nor Screen Recording permission: applications, idle time and the
         * lock state are observed, window titles are not ({@link State#LIMITED}).
         */
        WINDOW_TITLE_PERMISSION_MISSING
    }

    public CaptureAvailability {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(explanation, "explanation");
        if (explanation.isBlank()) {
            throw new IllegalArgumentException("explanation is blank");
        }
        if ((state == State.AVAILABLE) != reason.isEmpty()) {
            throw new IllegalArgumentException("a reason is required exactly when capture is not fully available: "
                    + state + " with reason " + reason);
        }
    }

    /** Everything is observed; {@code explanation} says what and where (e.g. "X11 display :0"). */
    public static CaptureAvailability available(String explanation) {
        return new CaptureAvailability(State.AVAILABLE, Optional.empty(), explanation);
    }

    /** Observed, but without what {@code reason} names. */
    public static CaptureAvailability limited(Reason reason, String explanation) {
        return new CaptureAvailability(State.LIMITED, Optional.of(Objects.requireNonNull(reason, "reason")),
                explanation);
    }

    /** Not observed at all. */
    public static CaptureAvailability unavailable(Reason reason, String explanation) {
        return new CaptureAvailability(State.UNAVAILABLE, Optional.of(Objects.requireNonNull(reason, "reason")),
                explanation);
    }

    /** True unless {@link State#UNAVAILABLE}: there is a probe to sample. */
    public boolean canObserve() {
        return state != State.UNAVAILABLE;
    }
}
