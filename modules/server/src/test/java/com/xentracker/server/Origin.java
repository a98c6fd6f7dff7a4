package com.xentracker.server;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a date-sensitive test starts its server's clock, and the time zone of the organizations it makes: the
 * calendar's edges, where "a month ago", "last month" and "the organization's local month" disagree. Tests of
 * partitions and retention run once per origin, each on a server of its own (jobs and partitions act on the whole
 * database, and the clock moves by months).
 *
 * <p>More origins can be given for one run, e.g. a day a test failed on:
 * {@code -Dxt.test.origins=2026-12-03T10:00:00Z@Europe/Berlin,2027-03-28T00:59:00Z@Europe/London}.
 *
 * @param name    what is special about it, for the test report
 * @param instant where the clock starts
 * @param zone    the organizations' time zone
 */
record Origin(String name, Instant instant, ZoneId zone) {

    static final String EXTRA_PROPERTY = "xt.test.origins";

    Origin {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instant, "instant");
        Objects.requireNonNull(zone, "zone");
    }

    static Origin of(String name, String instant, String zone) {
        return new Origin(name, Instant.parse(instant), ZoneId.of(zone));
    }

    /** The calendar's edges, and whatever {@value #EXTRA_PROPERTY} adds. */
    static List<Origin> calendarEdges() {
        List<Origin> origins = new ArrayList<>(List.of(
                of("the 1st of a month, just after midnight UTC, in Berlin", "2026-03-01T00:30:00Z",
                        "Europe/Berlin"),
                of("the 15th of a month, in UTC", "2026-07-15T12:00:00Z", "UTC"),
                of("the last day of February, in Pago Pago (UTC-11)", "2026-02-28T23:30:00Z", "Pacific/Pago_Pago"),
                of("the last day of a 31-day month, a day before New York leaves summer time", "2026-10-31T23:30:00Z",
                        "America/New_York"),
                of("the year's last half hour in UTC, already the next year in Kiritimati (UTC+14)",
                        "2026-12-31T23:30:00Z", "Pacific/Kiritimati")));
        String extra = System.getProperty(EXTRA_PROPERTY, "").strip();
        if (!extra.isEmpty()) {
            for (String origin : extra.split(",")) {
                String[] parts = origin.strip().split("@", 2);
                origins.add(of("given by " + EXTRA_PROPERTY, parts[0], parts.length > 1 ? parts[1] : "UTC"));
            }
        }
        return origins;
    }

    @Override
    public String toString() {
        return instant + " " + zone + ": " + name;
    }
}
