package com.xentracker.portal.devices;

import com.xentracker.transport.wire.CaptureState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the devices page words what agents report: capture states in plain words, and times for people. */
final class DeviceText {

    /** Times are shown in UTC until organizations have a time zone of their own, as on the dashboard. */
    static final ZoneOffset ZONE = ZoneOffset.UTC;

    private static final DateTimeFormatter EXACT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'", Locale.ENGLISH).withZone(ZONE);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH).withZone(ZONE);

    /** How a state should look: recording, nothing wrong (private time, no report yet) or worth a look. */
    enum Tone {
        RECORDING, NEUTRAL, NOT_RECORDING;

        /** The CSS class name. */
        String cssClass() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private DeviceText() {
    }

    /** The state as an administrator should read it; a device that cannot record says so and why. */
    static String captureState(CaptureState state) {
        // No default branch: a new state must get its own words here before the portal compiles.
        return switch (state) {
            case RECORDING -> "Recording";
            case NO_DISPLAY -> "Not recording: no graphical session";
            case WAYLAND_UNSUPPORTED -> "Not recording: Wayland session — foreground tracking unavailable";
            case PERMISSION_MISSING -> "Not recording: a permission is missing (e.g. macOS Accessibility)";
            case UNSUPPORTED_OS -> "Not recording: operating system not supported";
            case PAUSED -> "Private time";
            case OUTSIDE_WORKING_HOURS -> "Outside working hours";
            case UNKNOWN -> "No report yet";
        };
    }

    static Tone tone(CaptureState state) {
        return switch (state) {
            case RECORDING -> Tone.RECORDING;
            case PAUSED, OUTSIDE_WORKING_HOURS, UNKNOWN -> Tone.NEUTRAL;
            case NO_DISPLAY, WAYLAND_UNSUPPORTED, PERMISSION_MISSING, UNSUPPORTED_OS -> Tone.NOT_RECORDING;
        };
    }

    /** From here on a device's clock shifts its times in reports visibly (spans are kept in the device's time). */
    static final Duration CLOCK_OFF = Duration.ofMinutes(1);

    /**
     * The device's clock against the server's, rounded down: "in time" within a few seconds (network delay),
     * else "40 s ahead", "3 min behind", "2 h ahead", "5 days behind".
     */
    static String clock(Duration skew) {
        Duration size = skew.abs();
        if (size.compareTo(Duration.ofSeconds(5)) < 0) {
            return "in time";
        }
        String direction = skew.isNegative() ? " behind" : " ahead";
        if (size.compareTo(Duration.ofMinutes(1)) < 0) {
            return size.toSeconds() + " s" + direction;
        }
        if (size.compareTo(Duration.ofHours(1)) < 0) {
            return size.toMinutes() + " min" + direction;
        }
        if (size.compareTo(Duration.ofDays(1)) < 0) {
            return size.toHours() + " h" + direction;
        }
        return size.toDays() + (size.toDays() == 1 ? " day" : " days") + direction;
    }

    static boolean clockIsOff(Duration skew) {
        return skew.abs().compareTo(CLOCK_OFF) >= 0;
    }

    /**
     * How long ago {@code then} was at {@code now}, rounded down: "just now", "3 min ago", "2 h ago", "5 days ago".
     * A time after {@code now} (another node's clock a little ahead) reads as "just now".
     */
    static String ago(Instant then, Instant now) {
        Duration elapsed = Duration.between(then, now);
        if (elapsed.compareTo(Duration.ofMinutes(1)) < 0) {
            return "just now";
        }
        if (elapsed.compareTo(Duration.ofHours(1)) < 0) {
            return elapsed.toMinutes() + " min ago";
        }
        if (elapsed.compareTo(Duration.ofDays(1)) < 0) {
            return elapsed.toHours() + " h ago";
        }
        long days = elapsed.toDays();
        return days == 1 ? "1 day ago" : days + " days ago";
    }

    /** The day, e.g. "29 Nov 2026" (UTC). */
    static String day(Instant instant) {
        return DAY.format(instant);
    }

    /** The exact time to the second, e.g. "2026-11-29 10:12:30 UTC". */
    static String exact(Instant instant) {
        return EXACT.format(instant);
    }

    /** For the {@code datetime} attribute of {@code <time>}: ISO 8601 in UTC, e.g. "2026-11-29T10:12:30Z". */
    static String machine(Instant instant) {
        return instant.toString();
    }

    /** Policy version 0 is the agent's built-in defaults, which an administrator may not know by number. */
    static String policy(long version) {
        return version == 0 ? "0 (built-in defaults)" : Long.toString(version);
    }
}
