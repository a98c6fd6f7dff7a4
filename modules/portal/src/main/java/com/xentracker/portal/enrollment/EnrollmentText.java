package com.xentracker.portal.enrollment;

import com.xentracker.server.device.EnrollmentToken;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the enrollment page words tokens: their state in plain words, and times for people. */
final class EnrollmentText {

    /** Times are shown in UTC, as on the devices page. */
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("d MMM uuuu, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private EnrollmentText() {
    }

    /** "Usable", "Expired", "Revoked", "Used up". */
    static String state(EnrollmentToken.State state) {
        // No default branch: a new state must get its words here before the portal compiles.
        return switch (state) {
            case USABLE -> "Usable";
            case EXPIRED -> "Expired";
            case REVOKED -> "Revoked";
            case USED_UP -> "Used up";
        };
    }

    /** The CSS class of a state: {@code usable}, {@code expired}, {@code revoked}, {@code used-up}. */
    static String stateClass(EnrollmentToken.State state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** E.g. "6 Dec 2026, 10:15 UTC". */
    static String when(Instant instant) {
        return WHEN.format(instant);
    }

    /** "1 device", "100 devices". */
    static String devices(int count) {
        return count == 1 ? "1 device" : count + " devices";
    }
}
