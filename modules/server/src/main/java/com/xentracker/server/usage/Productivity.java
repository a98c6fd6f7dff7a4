package com.xentracker.server.usage;

import java.util.Locale;

/**
 * How active time counts in reports: by the productivity rating of its category (a group's own rating in that group's
 * view), or uncategorised when no category rule matched it (or its category no longer exists).
 */
public enum Productivity {
    PRODUCTIVE, NEUTRAL, UNPRODUCTIVE, UNCATEGORISED;

    /** A rating as the database stores it ({@code categories.productivity}). */
    static Productivity ofRating(String rating) {
        return valueOf(rating.toUpperCase(Locale.ROOT));
    }
}
