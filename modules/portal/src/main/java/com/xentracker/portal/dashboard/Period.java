package com.xentracker.portal.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The periods the dashboard offers, as whole calendar days ending with today. Days are UTC days by the server's
 * clock until organizations have a time zone of their own.
 */
enum Period {
    TODAY("today", "Today", 1),
    LAST_7_DAYS("last-7-days", "Last 7 days", 7),
    // the server answers these from per-day summaries (goal: p95 ≤ 100 ms on 1,000 people × 90 days)
    LAST_30_DAYS("last-30-days", "Last 30 days", 30),
    LAST_90_DAYS("last-90-days", "Last 90 days", 90);

    static final ZoneOffset ZONE = ZoneOffset.UTC;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM uuuu", Locale.ENGLISH);

    private final String parameter;
    private final String label;
    private final int days;

    Period(String parameter, String label, int days) {
        this.parameter = parameter;
        this.label = label;
        this.days = days;
    }

    /** The value of the {@code period} query parameter; absent means today. */
    static Optional<Period> fromParameter(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of(TODAY);
        }
        return Arrays.stream(values()).filter(period -> period.parameter.equals(value)).findFirst();
    }

    String parameter() {
        return parameter;
    }

    String label() {
        return label;
    }

    /** The period as it stands at {@code clock}'s now. */
    Range range(Clock clock) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZONE);
        return new Range(today.minusDays(days - 1L), today);
    }

    /** Whole days {@code first} to {@code last}, both included. */
    record Range(LocalDate first, LocalDate last) {

        /** Start of the first day. */
        Instant from() {
            return first.atStartOfDay(ZONE).toInstant();
        }

        /** Start of the day after the last: the query's range is half-open. */
        Instant to() {
            return last.plusDays(1).atStartOfDay(ZONE).toInstant();
        }

        String label() {
            return first.equals(last) ? DAY.format(first) : DAY.format(first) + " – " + DAY.format(last);
        }
    }
}
