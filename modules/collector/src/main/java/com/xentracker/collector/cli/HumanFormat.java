package com.xentracker.collector.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times, durations and sizes as the employee-facing commands print them: local time, plain units. */
final class HumanFormat {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private final ZoneId zone;
    private final Instant now;

    HumanFormat(ZoneId zone, Instant now) {
        this.zone = zone;
        this.now = now;
    }

    ZoneId zone() {
        return zone;
    }

    Instant now() {
        return now;
    }

    /** {@code 2025-03-10 09:00:00 (3 min 2 s ago)}. */
    String whenAgo(Instant then) {
        return dateTime(then) + " (" + ago(then) + ")";
    }

    String dateTime(Instant instant) {
        return DATE_TIME.format(instant.atZone(zone));
    }

    /** The time of day, with the date when it is not {@code day}. */
    String timeOn(LocalDate day, Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        return local.toLocalDate().equals(day) ? TIME.format(local) : DATE_TIME.format(local);
    }

    String ago(Instant then) {
        Duration age = Duration.between(then, now);
        if (age.isNegative()) {
            return "in the future: check the clock";
        }
        return duration(age) + " ago";
    }

    /** {@code 2 h 05 min}, {@code 3 min 02 s}, {@code 5 min}, {@code 4 s}, {@code 2 d 3 h}. */
    static String duration(Duration duration) {
        if (duration.toDays() > 0) {
            return duration.toDays() + " d" + (duration.toHoursPart() == 0 ? "" : " " + duration.toHoursPart() + " h");
        }
        if (duration.toHours() > 0) {
            return duration.toMinutesPart() == 0 ? duration.toHours() + " h"
                    : String.format(Locale.ROOT, "%d h %02d min", duration.toHours(), duration.toMinutesPart());
        }
        if (duration.toMinutes() > 0) {
            return duration.toSecondsPart() == 0 ? duration.toMinutes() + " min"
                    : String.format(Locale.ROOT, "%d min %02d s", duration.toMinutes(), duration.toSecondsPart());
        }
        return duration.toSeconds() + " s";
    }

    /** {@code 512 MiB}, {@code 1.5 KiB}, {@code 300 bytes}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value)) + " " + units[unit];
    }
}
