package com.xentracker.server.usage;

import com.xentracker.server.InvalidRequestException;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The days a report covers, as a front end asks for them: fixed dates, or days counted back from today. "Today" is the
 * organization's, by the server's clock, decided by the server in the query's own transaction: a front end never
 * needs the organization's time zone (a viewer may not even read the settings) to ask for "yesterday".
 */
public sealed interface Period {

    /** The days of this period, given the organization's current local date. */
    DayRange resolve(LocalDate today);

    static Period today() {
        return new Relative(1, 0);
    }

    static Period yesterday() {
        return new Relative(1, 1);
    }

    /** The last {@code days} days, today included. */
    static Period lastDays(int days) {
        return new Relative(days, 0);
    }

    static Period of(DayRange days) {
        return new Fixed(days);
    }

    /** {@code days} days ending {@code daysBeforeToday} days before today (0: ending today). */
    record Relative(int days, int daysBeforeToday) implements Period {

        public Relative {
            if (days < 1 || days > DayRange.MAX_DAYS) {
                throw new InvalidRequestException("a period has 1 to " + DayRange.MAX_DAYS + " days");
            }
            if (daysBeforeToday < 0 || daysBeforeToday > DayRange.MAX_DAYS) {
                throw new InvalidRequestException("a period ends at most " + DayRange.MAX_DAYS + " days ago");
            }
        }

        @Override
        public DayRange resolve(LocalDate today) {
            LocalDate last = today.minusDays(daysBeforeToday);
            return DayRange.of(last.minusDays(days - 1L), last);
        }

        /** As a refused request's audit entry names it: {@code 7 days ending 0 days ago}. */
        @Override
        public String toString() {
            return days + " days ending " + daysBeforeToday + " days ago";
        }
    }

    /** The same dates whatever day it is. */
    record Fixed(DayRange days) implements Period {

        public Fixed {
            Objects.requireNonNull(days, "days");
        }

        @Override
        public DayRange resolve(LocalDate today) {
            return days;
        }

        @Override
        public String toString() {
            return days.toString();
        }
    }
}
