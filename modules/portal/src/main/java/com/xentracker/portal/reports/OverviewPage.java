package com.xentracker.portal.reports;

import com.xentracker.portal.chart.BarChart;
import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Optional;

/**
 * Model of {@code overview.jte}.
 *
 * @param heading       "Overview", or the team's name in a team view
 * @param withheld      why there are no figures (a group below the minimum size), or empty
 * @param empty         what to do when there is no usage at all, or empty
 * @param perDay        active time per day
 * @param clockChanges  the days of the period that were not 24 hours long, said in words
 * @param productivity  active time per productivity class (empty when there was none)
 * @param silent        devices that stopped reporting, for accounts that see devices
 */
public record OverviewPage(Frame frame, Filters filters, String heading, Optional<String> subheading,
        Optional<String> withheld, Optional<String> empty, String total, String averagePerDay,
        Optional<BarChart> perDay, List<String> clockChanges, Optional<BarChart> productivity,
        List<ReportRow> productivityRows, List<ReportRow> applications, List<ReportRow> sites,
        String applicationsHref, String sitesHref, String categoriesHref, Optional<Silent> silent) {

    public OverviewPage {
        clockChanges = List.copyOf(clockChanges);
        productivityRows = List.copyOf(productivityRows);
        applications = List.copyOf(applications);
        sites = List.copyOf(sites);
    }

    /** The devices that stopped reporting. */
    public record Silent(String after, List<Device> devices, boolean noneEnrolled, Optional<String> devicesHref,
            Optional<String> enrollmentHref) {

        public Silent {
            devices = List.copyOf(devices);
        }
    }

    /** One silent device. */
    public record Device(String hostname, String lastSeen, String lastSeenIso, String silentFor) {
    }
}
