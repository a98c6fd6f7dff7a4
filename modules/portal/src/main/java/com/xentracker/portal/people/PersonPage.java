package com.xentracker.portal.people;

import com.xentracker.portal.chart.DayBars;
import com.xentracker.portal.chart.DayTimeline;
import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code person.jte}: one person's day (timeline), period (totals per day, top applications and sites),
 * devices, and the forms the signed-in account may use.
 *
 * @param login        the OS login ingest made the person for; empty for people administrators created
 * @param day          the day shown and how to move from it
 * @param timeline     the day's chart; empty when nothing was recorded on it
 * @param spans        the same spans (and gaps) as the chart, as a table
 * @param hasTitles    whether any span carries a window title (only where the policy collected them)
 * @param hasUrls      whether any span carries a full URL (only where the policy collected them)
 * @param truncated    whether the day had more spans than the page shows
 * @param periodChart  active time per day of the period
 * @param renameError  what was wrong with a name just typed (shown beside its field); empty otherwise
 * @param renameValue  the name in the rename field (as typed after a mistake)
 * @param ownView      whether a self-service account looks at its own page (no links to other pages, no forms)
 * @param dayForm      where the "go to day" form goes (this page's own address)
 * @param canInviteSelf whether the form that gives the person a self-service account is shown
 */
public record PersonPage(Frame frame, String id, String name, String login, List<String> groups, Day day,
        Optional<DayTimeline> timeline, List<Legend> legend, List<SpanRow> spans, boolean hasTitles,
        boolean hasUrls, boolean truncated, Period period, DayBars periodChart, List<DayRow> periodDays,
        List<TotalRow> applications, List<TotalRow> sites, List<DeviceRow> devices, boolean canRename,
        boolean canMerge, boolean canDelete, String renameError, String renameValue, String csrfToken,
        boolean ownView, String dayForm, boolean canInviteSelf) {

    public PersonPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(periodChart, "periodChart");
        groups = List.copyOf(groups);
        legend = List.copyOf(legend);
        spans = List.copyOf(spans);
        periodDays = List.copyOf(periodDays);
        applications = List.copyOf(applications);
        sites = List.copyOf(sites);
        devices = List.copyOf(devices);
    }

    /** Whether any form is shown. */
    public boolean canChange() {
        return canRename || canMerge || canDelete || canInviteSelf;
    }

    /**
     * The day shown.
     *
     * @param iso      {@code 2026-09-27}
     * @param label    "Sunday 27 September 2026"
     * @param note     why it is not 24 hours long, or empty
     * @param zone     the organization's time zone, e.g. {@code Pacific/Auckland}
     * @param previous link to the day before; {@code next} to the day after (empty for today), {@code today} to today
     *                 (empty when this is today)
     */
    public record Day(String iso, String label, String note, String zone, String previous, String next,
            String today) {
    }

    /** A colour of the timeline and what it means. */
    public record Legend(String cssClass, String label) {
    }

    /**
     * One span or gap of the day, as the chart draws it.
     *
     * @param kind    what the chart shows it as ("Productive", "Private", "Lost (gap)")
     * @param what    the application and site, the state, or why the time was lost; nothing more for private time
     * @param title   the window title where collected, else empty
     * @param url     the full URL where collected, else empty
     */
    public record SpanRow(String device, String from, String to, String duration, String kind, String cssClass,
            String what, String category, String title, String url) {
    }

    /**
     * The period: its days, its total and the links to other lengths.
     *
     * @param label "21 Sep – 27 Sep 2026 (7 days)"
     * @param days  how many days it has
     */
    public record Period(String label, int days, String active, List<Link> lengths) {

        public Period {
            lengths = List.copyOf(lengths);
        }
    }

    /** A link in a row of choices. */
    public record Link(String label, String href, boolean current) {
    }

    /** One day's totals in the period's table. */
    public record DayRow(String day, String href, String active, String idle, String locked, String note) {
    }

    /**
     * An application or site and its active time.
     *
     * @param barWidth the width of its bar in a 100-unit-wide SVG (its share of the first row's time)
     */
    public record TotalRow(String name, String active, long seconds, double barWidth) {
    }

    /** One of the person's devices. */
    public record DeviceRow(String id, String hostname, String osUser, String operatingSystem, String agentVersion,
            String capture, String lastSeen, String lastSeenExact, boolean revoked) {
    }
}
