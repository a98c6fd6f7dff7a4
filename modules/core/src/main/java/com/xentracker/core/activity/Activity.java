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
 * @param page        when the application is a browser whose extension reports to the agent: the active tab's page
 *                    (domain, and URL when the policy collects URLs); empty otherwise. Part of the activity, so a
 *                    change of site starts a new span by the same heartbeat rule as a change of application.
 */
public record Activity(ActivityState state, String application, String executable, Optional<String> title,
        Optional<WebPage> page) {

    public Activity {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(page, "page");
        if (page.isPresent() && state != ActivityState.ACTIVE) {
            throw new IllegalArgumentException("only active time has a web page, not " + state);
        }
    }

    /** An activity without a web page. */
    public Activity(ActivityState state, String application, String executable, Optional<String> title) {
        this(state, application, executable, title, Optional.empty());
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
        return title.isEmpty() ? this : new Activity(state, application, executable, Optional.empty(), page);
    }

    /** The same activity on this web page (the foreground browser's active tab). */
    public Activity withPage(WebPage page) {
        return new Activity(state, application, executable, title, Optional.of(page));
    }

    /** The same activity without a web page. */
    public Activity withoutPage() {
        return page.isEmpty() ? this : new Activity(state, application, executable, title, Optional.empty());
    }
}
