package com.xentracker.portal.chart;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Local clock times as charts and their tables write them. */
public final class TimeLabels {

    private static final DateTimeFormatter PLAIN = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter WITH_OFFSET = DateTimeFormatter.ofPattern("HH:mm:ss xxx", Locale.ENGLISH);

    private TimeLabels() {
    }

    /**
     * {@code 09:15:02}; on a day whose UTC offset changes (daylight-saving time begins or ends) with the offset,
     * {@code 02:30:00 +13:00}, because there a clock time alone can mean two moments.
     */
    public static DateTimeFormatter clock(Instant dayStart, Instant dayEnd, ZoneId zone) {
        boolean changes = !zone.getRules().getOffset(dayStart).equals(zone.getRules().getOffset(dayEnd));
        return changes ? WITH_OFFSET : PLAIN;
    }
}
