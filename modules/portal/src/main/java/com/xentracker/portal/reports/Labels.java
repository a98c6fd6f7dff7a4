package com.xentracker.portal.reports;

import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.Dimension;
import com.xentracker.server.usage.Productivity;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the reports name days, periods, productivity and the nameless rows, in one place. */
final class Labels {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter SHORT_DAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_OF_MONTH = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    private Labels() {
    }

    static String day(LocalDate day) {
        return DAY.format(day);
    }

    /** A chart's day label: the weekday for a week or less, the date for longer periods. */
    static String chartDay(LocalDate day, DayRange days) {
        return days.days() <= 7 ? SHORT_DAY.format(day) : DAY_OF_MONTH.format(day);
    }

    /** {@code Sun 29 Nov 2026} or {@code Mon 23 Nov 2026 – Sun 29 Nov 2026}. */
    static String days(DayRange days) {
        return days.first().equals(days.last()) ? day(days.first())
                : day(days.first()) + " – " + day(days.last());
    }

    /** What a day's length says when it is not 24 hours. */
    static String dayLength(Duration length) {
        long hours = length.toHours();
        return hours == 24 && length.toMinutesPart() == 0 ? ""
                : DurationFormat.hoursAndMinutes(length) + " day (clocks changed)";
    }

    /** Why the day is not 24 hours long, for the note under a chart. */
    static String clockChange(LocalDate day, Duration length, ZoneId zone) {
        String change = length.compareTo(Duration.ofHours(24)) > 0 ? "the clocks went back" : "the clocks went forward";
        return day(day) + " had " + DurationFormat.hoursAndMinutes(length) + " in " + zone.getId() + ": " + change
                + ".";
    }

    /** A row's name: the nameless application is the desktop itself, the nameless category no category. */
    static String name(Dimension dimension, String name) {
        if (!name.isEmpty()) {
            return name;
        }
        return switch (dimension) {
            case APPLICATION -> com.xentracker.portal.page.Labels.DESKTOP;
            case CATEGORY -> "Uncategorised";
            case SITE -> "(no site)";
        };
    }

    static String productivity(Productivity productivity) {
        return switch (productivity) {
            case PRODUCTIVE -> "Productive";
            case NEUTRAL -> "Neutral";
            case UNPRODUCTIVE -> "Unproductive";
            case UNCATEGORISED -> "Uncategorised";
        };
    }

    /** The CSS class of a productivity class's bars and badges. */
    static String productivityStyle(Productivity productivity) {
        return productivity.name().toLowerCase(Locale.ROOT);
    }

    /** {@code application}, {@code site}, {@code category}: as query parameters and headings use them. */
    static String dimension(Dimension dimension) {
        return switch (dimension) {
            case APPLICATION -> "application";
            case SITE -> "site";
            case CATEGORY -> "category";
        };
    }

    /** A share of a total, as people read it: {@code 42 %}, {@code < 1 %}. */
    static String share(Duration part, Duration total) {
        if (total.isZero()) {
            return "–";
        }
        double percent = 100.0 * part.toMillis() / total.toMillis();
        return percent > 0 && percent < 1 ? "< 1 %" : Math.round(percent) + " %";
    }
}
