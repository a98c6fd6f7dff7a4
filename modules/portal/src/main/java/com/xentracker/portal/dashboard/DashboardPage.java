package com.xentracker.portal.dashboard;

import com.xentracker.portal.page.Frame;
import java.util.List;

/**
 * Model of {@code dashboard.jte}.
 *
 * @param range    the days shown, for people ("Sun 29 Nov 2026")
 * @param timeZone the zone those days are in
 */
public record DashboardPage(Frame frame, List<PeriodLink> periods, String range, String timeZone, List<Row> rows) {

    public DashboardPage {
        periods = List.copyOf(periods);
        rows = List.copyOf(rows);
    }

    /** One entry of the period selector. */
    public record PeriodLink(String label, String href, boolean current) {
    }

    /** One application's usage: formatted for people, and in whole seconds for machines and tests. */
    public record Row(String application, String active, long activeSeconds, long devices) {
    }
}
