package com.xentracker.portal.devices;

import com.xentracker.server.device.DeviceBacklog;
import com.xentracker.server.device.DeviceLosses;
import com.xentracker.transport.wire.CaptureState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * How the devices page words what agents report: capture states, backlogs and losses in plain words, and times for
 * people in the organization's time zone.
 */
final class DeviceText {

    private static final DateTimeFormatter EXACT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss zzz", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

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

    /** The day in the organization's zone, e.g. "29 Nov 2026". */
    static String day(Instant instant, ZoneId zone) {
        return DAY.format(instant.atZone(zone));
    }

    /** The exact time to the second in the organization's zone, e.g. "2026-11-29 10:12:30 CET". */
    static String exact(Instant instant, ZoneId zone) {
        return EXACT.format(instant.atZone(zone));
    }

    /** Day and minute in the organization's zone, e.g. "28 Nov 14:05". */
    static String dayTime(Instant instant, ZoneId zone) {
        return DAY_TIME.format(instant.atZone(zone));
    }

    /**
     * What the agent still had to send when it last reported, in a few words: "Caught up", "2,400 spans waiting",
     * or "Not reported" for an agent too old to say.
     */
    static String backlog(Optional<DeviceBacklog> backlog) {
        if (backlog.isEmpty()) {
            return "Not reported";
        }
        long spans = backlog.get().unsentSpans();
        return spans == 0 ? "Caught up"
                : String.format(Locale.ENGLISH, "%,d %s waiting", spans, spans == 1 ? "span" : "spans");
    }

    /** Since when the backlog waits: "the oldest from 28 Nov 14:05 (20 h ago)", or empty. */
    static String backlogDetail(Optional<DeviceBacklog> backlog, Instant now, ZoneId zone) {
        return backlog.flatMap(DeviceBacklog::oldestUnsentAt)
                .map(oldest -> "the oldest from " + dayTime(oldest, zone) + " (" + ago(oldest, now) + ")")
                .orElse("");
    }

    /** From here on a backlog is worth a look: the device's data in reports is this far behind. */
    static final Duration BACKLOG_OLD = Duration.ofHours(4);

    static Tone backlogTone(Optional<DeviceBacklog> backlog, Instant now) {
        if (backlog.isEmpty()) {
            return Tone.NEUTRAL;
        }
        if (backlog.get().caughtUp()) {
            return Tone.RECORDING;
        }
        boolean old = backlog.get().oldestUnsentAt()
                .filter(oldest -> Duration.between(oldest, now).compareTo(BACKLOG_OLD) >= 0).isPresent();
        return old ? Tone.NOT_RECORDING : Tone.NEUTRAL;
    }

    /** What is known to be lost, in a few words: "None", "2 gaps, 1 h 09 min", "5 batches missing", or both. */
    static String losses(DeviceLosses losses) {
        if (losses.isNone()) {
            return "None";
        }
        StringBuilder text = new StringBuilder();
        if (losses.gaps() > 0) {
            text.append(losses.gaps()).append(losses.gaps() == 1 ? " gap, " : " gaps, ")
                    .append(duration(losses.gapTime()));
        }
        if (losses.sequenceHoles() > 0) {
            text.append(text.isEmpty() ? "" : "; ").append(losses.missingBatches())
                    .append(losses.missingBatches() == 1 ? " batch missing" : " batches missing");
        }
        return text.toString();
    }

    /** Where: "the latest gap until 28 Nov 14:05", "in 2 holes of the batch sequence", both, or empty. */
    static String lossesDetail(DeviceLosses losses, ZoneId zone) {
        StringBuilder text = new StringBuilder();
        losses.lastGapEnd().ifPresent(end -> text.append("the latest gap until ").append(dayTime(end, zone)));
        if (losses.sequenceHoles() > 0) {
            text.append(text.isEmpty() ? "" : "; ").append("in ").append(losses.sequenceHoles())
                    .append(losses.sequenceHoles() == 1 ? " hole" : " holes").append(" of the batch sequence");
        }
        return text.toString();
    }

    /** "1 h 09 min", "45 min", "30 s". */
    static String duration(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        return minutes < 60 ? minutes + " min" : String.format(Locale.ROOT, "%d h %02d min", minutes / 60,
                minutes % 60);
    }

    /** "no contact for more than 24 h" ("… 2 days" from 48 hours). */
    static String silentAfter(Duration after) {
        long hours = after.toHours();
        return "no contact for more than " + (hours >= 48 && hours % 24 == 0 ? hours / 24 + " days" : hours + " h");
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
