package com.xentracker.server.organization;

/**
 * How time in a category counts: reports split active time into productive, neutral and unproductive (and
 * uncategorised, which has no category at all). An organization rates each category; a group may rate it its own
 * way in that group's views.
 */
public enum Productivity {
    PRODUCTIVE, NEUTRAL, UNPRODUCTIVE
}
