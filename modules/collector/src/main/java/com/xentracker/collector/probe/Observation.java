package com.xentracker.collector.probe;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One look at the desktop.
 *
 * @param foreground the window with the focus; empty when nothing identifiable has it (the bare desktop), and always
 *                   empty when the session is locked
 * @param idle       time since the last keyboard or mouse input in the session (also while locked)
 * @param locked     the session is locked or its screen saver is on: nobody is using an application, whatever
 *                   window had the focus before. On X11 the X server's screen saver is on; on Windows the input
 *                   desktop is not the user's, no window has the focus, or the lock screen has it; on macOS the
 *                   session is locked or not on the console (fast user switching)
 */
public record Observation(Optional<ForegroundWindow> foreground, Duration idle, boolean locked) {

    public Observation {
        Objects.requireNonNull(foreground, "foreground");
        Objects.requireNonNull(idle, "idle");
        if (idle.isNegative()) {
            throw new IllegalArgumentException("idle time is negative: " + idle);
        }
        if (locked && foreground.isPresent()) {
            // the window under a lock screen is not in use; reporting it would invite counting locked time as app time
            throw new IllegalArgumentException("a locked session has no foreground window");
        }
    }

    /** An unlocked session. */
    public Observation(Optional<ForegroundWindow> foreground, Duration idle) {
        this(foreground, idle, false);
    }

    /** An unlocked session. */
    public static Observation of(Optional<ForegroundWindow> foreground, Duration idle) {
        return new Observation(foreground, idle, false);
    }

    /** A locked session (no foreground window), idle for {@code idle}. */
    public static Observation ofLockedSession(Duration idle) {
        return new Observation(Optional.empty(), idle, true);
    }
}
