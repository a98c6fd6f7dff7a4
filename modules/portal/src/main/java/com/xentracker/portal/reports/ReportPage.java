package com.xentracker.portal.reports;

import com.xentracker.portal.chart.BarChart;
import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Optional;

/**
 * Model of {@code report.jte}: applications, sites or categories, ranked, with a bar chart of the first ones and a
 * table of all.
 *
 * @param tabs      the three reports, keeping the filters
 * @param what      "Application", "Site" or "Category": the table's first column
 * @param categories whether rows carry a productivity rating
 * @param withheld  why there are no figures, or empty
 * @param empty     what the page says when there is nothing, or empty
 * @param more      how many were left out after the table's limit
 */
public record ReportPage(Frame frame, String heading, List<Filters.Link> tabs, Filters filters, String what,
        boolean categories, Optional<String> withheld, Optional<String> empty, Optional<BarChart> chart,
        List<ReportRow> rows, String total, int more, boolean whoUsedIt) {

    public ReportPage {
        tabs = List.copyOf(tabs);
        rows = List.copyOf(rows);
    }
}
