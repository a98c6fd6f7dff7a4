package com.xentracker.testing.clock;

import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * For code that must run on the real clock (a real agent process, or an in-process agent that continues its
 * buffer): a time zone in which it is about noon right now. The agent splits spans at its zone's midnights; in this
 * zone a run of less than ten hours meets none, and, the offset being fixed, no daylight-saving change either, on
 * whatever day and at whatever time the test runs.
 */
public final class FarFromMidnight {

    private FarFromMidnight() {
    }

    /** The whole-hour offset at which it is now between 12:00 and 12:59 (from −11:00 to +12:00). */
    public static ZoneOffset zone() {
        return ZoneOffset.ofHours(12 - LocalTime.now(ZoneOffset.UTC).getHour());
    }

    /** The real clock, in {@link #zone()}. */
    public static Clock clock() {
        return Clock.system(zone());
    }

    /** The option that makes {@code zone} a child JVM's default zone, e.g. {@code -Duser.timezone=GMT+05:00}. */
    public static String jvmOption(ZoneOffset zone) {
        return "-Duser.timezone=GMT" + (zone.getTotalSeconds() == 0 ? "" : zone.getId());
    }
}
