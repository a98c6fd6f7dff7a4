package com.xentracker.core.activity;

import java.util.Objects;
import java.util.Optional;

/**
 * What the person was doing at one moment: the state and, when active, the foreground application.
 *
 * @param state       active, idle, locked or unknown
 * @param application the application's name (e.g. {@code xterm}); empty string when there is none
 * @param executable  the application's executable path when known; empty string otherwise
 * @param title       the window title, only when the organization's policy collects titles
 */
public record Activity(ActivityState state, String application, String executable, Optional<String> title) {

    public Activity {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(title, "title");
    }

    /** An active foreground application. */
    public static Activity active(String application, String executable, Optional<String> title) {
        return new Activity(ActivityState.ACTIVE, application, executable, title);
    }

    /** A state without an application (idle, locked, unknown). */
    public static Activity of(ActivityState state) {
        return new Activity(state, "", "", Optional.empty());
    }

    /** The same activity with the title removed, as collected when the policy does not allow titles. */
    public Activity withoutTitle() {
        return title.isEmpty() ? this : new Activity(state, application, executable, Optional.empty());
    }
}
