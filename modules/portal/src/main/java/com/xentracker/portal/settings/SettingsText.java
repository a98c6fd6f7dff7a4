package com.xentracker.portal.settings;

import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.Productivity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the settings pages put numbers, times and the server's enums into words. */
final class SettingsText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

    private SettingsText() {
    }

    /** An instant in the organization's zone, to the minute, with the zone named: "2026-09-14 10:30 Europe/Berlin". */
    static String time(Instant instant, ZoneId zone) {
        return TIME.format(instant.atZone(zone)) + " " + zone.getId();
    }

    static String day(LocalDate day) {
        return DAY.format(day);
    }

    /** Active time as people read it: "2 h 05 min", "35 min", "45 s". */
    static String duration(long millis) {
        Duration duration = Duration.ofMillis(millis);
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        if (hours > 0) {
            return hours + " h " + String.format(Locale.ROOT, "%02d", minutes) + " min";
        }
        if (minutes > 0) {
            return minutes + " min";
        }
        return duration.toSecondsPart() + " s";
    }

    /** A count with thousands separated: "12,345". */
    static String count(long count) {
        return String.format(Locale.ENGLISH, "%,d", count);
    }

    /** A count and its noun: "1 span", "12,345 spans". */
    static String count(long count, String one, String many) {
        return count(count) + " " + (count == 1 ? one : many);
    }

    static String rating(Productivity productivity) {
        return switch (productivity) {
            case PRODUCTIVE -> "Productive";
            case NEUTRAL -> "Neutral";
            case UNPRODUCTIVE -> "Unproductive";
        };
    }

    /** The CSS class of a rating. */
    static String ratingClass(Productivity productivity) {
        return productivity.name().toLowerCase(Locale.ROOT);
    }

    static String kind(CategoryRule.Kind kind) {
        return switch (kind) {
            case APPLICATION -> "Application";
            case DOMAIN -> "Site";
            case TITLE -> "Window title";
        };
    }

    /** What a rule matches, in words: "the site example.com and its subdomains". */
    static String matches(CategoryRule.Kind kind, String pattern, boolean subdomains) {
        return switch (kind) {
            case APPLICATION -> "the application named " + pattern;
            case DOMAIN -> "the site " + pattern + (subdomains ? " and its subdomains" : " only (no subdomains)");
            case TITLE -> "window titles containing " + pattern;
        };
    }
}
