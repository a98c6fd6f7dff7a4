package com.xentracker.server.usage;

import com.xentracker.server.InvalidRequestException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Whole calendar days of the organization's time zone, {@code first} to {@code last}, both included: what every usage
 * query takes and answers for. Usage is kept per local day, so a range of local dates is exact where an instant range
 * would have to be rounded; what instants a day spans (23, 24 or 25 hours) depends on the zone, see
 * {@link #length(LocalDate, ZoneId)}.
 */
public record DayRange(LocalDate first, LocalDate last) {

    /** The longest range a query answers (a year, with a leap day); longer reports would be unreadable anyway. */
    public static final int MAX_DAYS = 366;

    /** @throws InvalidRequestException when {@code last} is before {@code first} or the range is over a year */
    public DayRange {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (last.isBefore(first)) {
            throw new InvalidRequestException("a period must not end before it starts");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw new InvalidRequestException("a period may be at most " + MAX_DAYS + " days long");
        }
    }

    public static DayRange of(LocalDate first, LocalDate last) {
        return new DayRange(first, last);
    }

    /** One day. */
    public static DayRange day(LocalDate day) {
        return new DayRange(day, day);
    }

    /** How many days the range holds. */
    public int days() {
        return (int) ChronoUnit.DAYS.between(first, last) + 1;
    }

    /** Every day of the range, in order. */
    public List<LocalDate> dates() {
        return Stream.iterate(first, day -> !day.isAfter(last), day -> day.plusDays(1)).toList();
    }

    public boolean contains(LocalDate day) {
        return !day.isBefore(first) && !day.isAfter(last);
    }

    /**
     * How long {@code day} is in {@code zone}: from its start to the next day's start (24 hours, or 23 and 25 on the
     * days daylight-saving time begins and ends; a zone that skips midnight starts the day at its first instant).
     */
    public static Duration length(LocalDate day, ZoneId zone) {
        return Duration.between(day.atStartOfDay(zone), day.plusDays(1).atStartOfDay(zone));
    }

    /** As audit entries and logs name it: {@code 2026-11-23/2026-11-29}. */
    @Override
    public String toString() {
        return first + "/" + last;
    }
}
