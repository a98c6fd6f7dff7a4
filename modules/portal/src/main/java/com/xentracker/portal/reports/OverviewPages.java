package com.xentracker.portal.reports;

import com.xentracker.portal.chart.BarChart;
import com.xentracker.portal.chart.Durations;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.access.Action;
import com.xentracker.server.usage.Coverage;
import com.xentracker.server.usage.DayTotal;
import com.xentracker.server.usage.Dimension;
import com.xentracker.server.usage.Overview;
import com.xentracker.server.usage.Productivity;
import com.xentracker.server.usage.SilentDevices;
import com.xentracker.server.usage.UsageQueries;
import com.xentracker.server.usage.UsageTotal;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /overview[?period=…&from=…&to=…&group=…&person=…]}: active time per day (bar chart), its split by
 * productivity, the top applications and sites, and the devices that stopped reporting — of the organization, a
 * viewer's groups, one group (a team view) or one person. One call to the server, which scopes it to the actor and
 * audit-logs the view. {@code GET /dashboard}, the page's old address, redirects here with its query.
 */
public final class OverviewPages {

    private static final DateTimeFormatter LAST_SEEN = DateTimeFormatter.ofPattern("EEE d MMM uuuu, HH:mm",
            Locale.ENGLISH);

    private final UsageQueries usage;
    private final Clock clock;
    private final PortalSessions sessions;

    private OverviewPages(UsageQueries usage, Clock clock, PortalSessions sessions) {
        this.usage = usage;
        this.clock = clock;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        OverviewPages pages = new OverviewPages(services.usage(), services.clock(), sessions);
        routes.get(PortalPaths.OVERVIEW, pages::show);
        routes.get(PortalPaths.DASHBOARD, ctx -> Pages.redirect(ctx, ctx.queryString() == null
                ? PortalPaths.OVERVIEW : PortalPaths.OVERVIEW + "?" + ctx.queryString()));
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        ReportRequest request = ReportRequest.of(ctx);
        // The server resolves the period in the organization's zone, scopes it to the actor and audit-logs the view.
        Overview overview = usage.overview(signedIn.get().actor(), request.filter());
        Coverage coverage = overview.coverage();
        String heading = coverage.person().map(person -> "Overview: " + person.displayName())
                .or(() -> coverage.group().map(team -> "Team view: " + team.name()))
                .orElse("Overview");
        Optional<String> subheading = coverage.group().filter(team -> coverage.person().isEmpty())
                .map(team -> team.size() + " people; team views show groups of at least " + team.minimum() + ".")
                .or(() -> coverage.wholeOrganization() ? Optional.empty()
                        : Optional.of("The people of the groups you were given."));
        boolean anything = !overview.total().isZero();
        Duration total = overview.total();
        Pages.render(ctx, HttpStatus.OK, "overview.jte", new OverviewPage(
                signedIn.get().frame(heading, Section.OVERVIEW),
                Filters.of(PortalPaths.OVERVIEW, request, coverage),
                heading, subheading,
                Withheld.reason(coverage),
                coverage.withheld() || anything ? Optional.empty() : Optional.of(emptyState(overview)),
                DurationFormat.format(total),
                DurationFormat.format(total.dividedBy(coverage.days().days())),
                anything ? Optional.of(perDay(overview)) : Optional.empty(),
                overview.days().stream().filter(day -> !day.length().equals(Duration.ofHours(24)))
                        .map(day -> Labels.clockChange(day.day(), day.length(), coverage.zone())).toList(),
                anything ? Optional.of(productivity(overview)) : Optional.empty(),
                productivityRows(overview),
                rows(overview.topApplications(), Dimension.APPLICATION, total, request, coverage),
                rows(overview.topSites(), Dimension.SITE, total, request, coverage),
                request.href(PortalPaths.REPORTS_APPLICATIONS), request.href(PortalPaths.REPORTS_SITES),
                request.href(PortalPaths.REPORTS_CATEGORIES),
                overview.silentDevices().map(silent -> silent(silent, coverage.zone(), signedIn.get()))));
    }

    /** What an empty overview says: always that nothing was recorded, then why and what to do next. */
    private static String emptyState(Overview overview) {
        Coverage coverage = overview.coverage();
        String nothing = "No usage recorded in this period. ";
        if (overview.silentDevices().filter(silent -> silent.enrolled() == 0).isPresent()) {
            return nothing + "No device is enrolled yet: issue an enrollment token on the Enrollment page and install"
                    + " the agent with it on the computers to be tracked.";
        }
        if (!coverage.wholeOrganization() && coverage.teams().isEmpty()) {
            return nothing + "You have not been given any group yet: an owner gives viewers their groups on the"
                    + " Groups page.";
        }
        if (coverage.person().isPresent()) {
            return nothing + "This person's devices were off, idle, outside working hours or paused, or have not"
                    + " reported yet.";
        }
        return nothing + "The devices were off, idle, outside working hours or paused, or have not reported yet."
                + " Try a longer period.";
    }

    private static BarChart perDay(Overview overview) {
        Coverage coverage = overview.coverage();
        List<BarChart.Bar> bars = new ArrayList<>();
        DayTotal most = overview.days().get(0);
        for (DayTotal day : overview.days()) {
            bars.add(new BarChart.Bar(Labels.chartDay(day.day(), coverage.days()), day.active(), "",
                    Labels.dayLength(day.length())));
            if (day.active().compareTo(most.active()) > 0) {
                most = day;
            }
        }
        String description = "Bar chart of the active time on each of the " + coverage.days().days() + " days from "
                + Labels.day(coverage.days().first()) + " to " + Labels.day(coverage.days().last()) + " ("
                + coverage.zone().getId() + "): " + Durations.spoken(overview.total()) + " in all, most on "
                + Labels.day(most.day()) + " (" + Durations.spoken(most.active()) + ").";
        return BarChart.columns("per-day", "Active time per day", description,
                "Day (" + coverage.zone().getId() + ")", bars);
    }

    private static BarChart productivity(Overview overview) {
        List<BarChart.Bar> bars = new ArrayList<>();
        StringBuilder description = new StringBuilder("Bar chart of the active time by productivity:");
        for (Productivity productivity : Productivity.values()) {
            Duration time = overview.productivity().get(productivity);
            bars.add(new BarChart.Bar(Labels.productivity(productivity), time,
                    Labels.productivityStyle(productivity), ""));
            description.append(' ').append(Labels.productivity(productivity).toLowerCase(Locale.ROOT)).append(' ')
                    .append(Durations.spoken(time)).append(" (")
                    .append(Labels.share(time, overview.total())).append(')')
                    .append(productivity == Productivity.UNCATEGORISED ? "." : ",");
        }
        String title = overview.coverage().group().isPresent() ? "Productivity, with the group's own ratings"
                : "Productivity";
        return BarChart.rows("productivity", title, description.toString(), "Productivity", bars);
    }

    private static List<ReportRow> productivityRows(Overview overview) {
        List<ReportRow> rows = new ArrayList<>();
        int rank = 1;
        for (Productivity productivity : Productivity.values()) {
            Duration time = overview.productivity().get(productivity);
            rows.add(new ReportRow(rank++, Labels.productivity(productivity), DurationFormat.format(time),
                    time.getSeconds(), Labels.share(time, overview.total()), 0, Optional.empty(),
                    Labels.productivityStyle(productivity), ""));
        }
        return rows;
    }

    /** Ranked rows, each linking to who used it where the account may see individuals. */
    static List<ReportRow> rows(List<UsageTotal> totals, Dimension dimension, Duration total,
            ReportRequest request, Coverage coverage) {
        List<ReportRow> rows = new ArrayList<>();
        int rank = 1;
        for (UsageTotal row : totals) {
            Optional<String> users = coverage.individuals() && coverage.person().isEmpty()
                    ? Optional.of(request.withPerson(Optional.empty()).href(PortalPaths.REPORTS_USERS,
                            "of", Labels.dimension(dimension), "name", row.name()))
                    : Optional.empty();
            rows.add(new ReportRow(rank++, Labels.name(dimension, row.name()), DurationFormat.format(row.active()),
                    row.active().getSeconds(), Labels.share(row.active(), total), row.devices(), users, "", ""));
        }
        return rows;
    }

    private OverviewPage.Silent silent(SilentDevices silent, ZoneId zone, SignedIn signedIn) {
        List<OverviewPage.Device> devices = silent.devices().stream().map(device -> new OverviewPage.Device(
                device.hostname(), LAST_SEEN.format(device.lastSeen().atZone(zone)), device.lastSeen().toString(),
                Durations.spoken(Duration.between(device.lastSeen(), clock.instant())) + " ago")).toList();
        return new OverviewPage.Silent(DurationFormat.hoursAndMinutes(silent.after()), devices,
                silent.enrolled() == 0,
                signedIn.actor().may(Action.VIEW_DEVICES) ? Optional.of(PortalPaths.DEVICES) : Optional.empty(),
                signedIn.actor().may(Action.ISSUE_ENROLLMENT_TOKEN) ? Optional.of(PortalPaths.ENROLLMENT)
                        : Optional.empty());
    }
}
