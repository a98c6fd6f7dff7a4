package com.xentracker.portal.page;

/** Names the portal gives to what the server stores without one. */
public final class Labels {

    /**
     * What the desktop itself is called: time with input but no window in focus (the agent records it with an empty
     * application name). Every page that lists applications shows it by this name.
     */
    public static final String DESKTOP = "Desktop (no window in focus)";

    private Labels() {
    }

    /** An application's name as pages show it: {@link #DESKTOP} for the empty name. */
    public static String application(String name) {
        return name == null || name.isBlank() ? DESKTOP : name;
    }

    /** A site as pages show it: "—" outside a browser. */
    public static String domain(String domain) {
        return domain == null || domain.isBlank() ? "—" : domain;
    }
}
