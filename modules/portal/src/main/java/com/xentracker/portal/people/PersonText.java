package com.xentracker.portal.people;

import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.GapReason;
import com.xentracker.portal.chart.DayTimeline;
import com.xentracker.portal.page.Labels;
import com.xentracker.server.people.PersonActivity.TimelineSpan;
import com.xentracker.server.usage.Productivity;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How a person's page words days, durations and what a span was. */
final class PersonText {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter WEEKDAY = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);
    private static final DateTimeFormatter LONG_DATE = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);

    /** What an application name of {@code ""} means: active time with no application in front (the desktop). */
    static final String DESKTOP = Labels.DESKTOP;

    private PersonText() {
    }

    /** "Sunday 27 September 2026". */
    static String day(LocalDate day) {
        return DAY.format(day);
    }

    /** "27 Sep", for chart axes. */
    static String shortDay(LocalDate day) {
        return SHORT.format(day);
    }

    /** "Sun 27 Sep", for tooltips and tables. */
    static String weekday(LocalDate day) {
        return WEEKDAY.format(day);
    }

    /** "27 Sep 2026". */
    static String date(LocalDate day) {
        return LONG_DATE.format(day);
    }

    /** "1 h 05 min", "45 min", "30 s", "0 s". */
    static String duration(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
    }

    /**
     * Why a day is not 24 hours long: "23-hour day: daylight saving time begins" (empty for a day of 24 hours). A
     * zone whose clocks move by half an hour gets "23 h 30 min day: …".
     */
    static String length(Duration length) {
        Duration day = Duration.ofHours(24);
        if (length.equals(day)) {
            return "";
        }
        String size = length.toMinutesPart() == 0 ? length.toHours() + "-hour day" : duration(length) + " day";
        return size + (length.compareTo(day) < 0 ? ": daylight saving time begins" : ": daylight saving time ends");
    }

    /** An application as people read it; the empty name is the desktop itself. */
    static String application(String name) {
        return name.isEmpty() ? DESKTOP : name;
    }

    /** How the timeline draws a span: by its category's rating when active, neutral or private otherwise. */
    static DayTimeline.Kind kind(TimelineSpan span) {
        if (span.isPrivate()) {
            return DayTimeline.Kind.PRIVATE;
        }
        return switch (span.state()) {
            case ACTIVE -> span.productivity().map(PersonText::kind).orElse(DayTimeline.Kind.UNCATEGORISED);
            case IDLE -> DayTimeline.Kind.IDLE;
            case LOCKED -> DayTimeline.Kind.LOCKED;
            case UNKNOWN -> DayTimeline.Kind.UNKNOWN;
            case EXCLUDED, PAUSED -> DayTimeline.Kind.PRIVATE;
        };
    }

    private static DayTimeline.Kind kind(Productivity productivity) {
        return switch (productivity) {
            case PRODUCTIVE -> DayTimeline.Kind.PRODUCTIVE;
            case NEUTRAL -> DayTimeline.Kind.RATED_NEUTRAL;
            case UNPRODUCTIVE -> DayTimeline.Kind.UNPRODUCTIVE;
            case UNCATEGORISED -> DayTimeline.Kind.UNCATEGORISED;
        };
    }

    /**
     * What the span was, for its tooltip and the table: the application and site of active time, nothing more for
     * private time (only its length is kept), the state otherwise.
     */
    static String what(TimelineSpan span) {
        if (span.isPrivate()) {
            return span.state() == ActivityState.EXCLUDED ? "an excluded application" : "private time";
        }
        return switch (span.state()) {
            case ACTIVE -> application(span.application()) + span.domain().map(domain -> " — " + domain).orElse("");
            case IDLE -> "no input";
            case LOCKED -> "screen locked";
            case UNKNOWN -> "the agent could not tell";
            default -> "";
        };
    }

    static String gap(GapReason reason) {
        return switch (reason) {
            case BUFFER_FULL -> "the agent's buffer was full and dropped this time";
            case BUFFER_EXPIRED -> "unsent data grew too old on the device and was dropped";
            case UPLOAD_REJECTED -> "the server refused a batch for good; the agent dropped it";
        };
    }
}
