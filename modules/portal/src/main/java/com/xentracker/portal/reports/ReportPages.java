package com.xentracker.portal.reports;

import com.xentracker.portal.chart.BarChart;
import com.xentracker.portal.chart.Durations;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.usage.CategoryRanking;
import com.xentracker.server.usage.CategoryTotal;
import com.xentracker.server.usage.Coverage;
import com.xentracker.server.usage.Dimension;
import com.xentracker.server.usage.PersonUsage;
import com.xentracker.server.usage.Ranking;
import com.xentracker.server.usage.UsageQueries;
import com.xentracker.server.usage.Users;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ranked reports: {@code GET /reports/applications}, {@code /reports/sites} and {@code /reports/categories}
 * (filters as the overview's), each a bar chart of the first {@value #CHARTED} and a table of all (up to the server's
 * limit), every row linking to who used it for accounts that may see individuals; and {@code GET /reports/users
 * ?of=application|site|category&name=…}: who that was, each person linking to their own applications. One call to the
 * server per page, which scopes and audit-logs it.
 */
public final class ReportPages {

    /** How many rows the chart draws; the table lists them all. */
    static final int CHARTED = 15;

    private enum Report {
        APPLICATIONS("Applications", "Application", PortalPaths.REPORTS_APPLICATIONS, Dimension.APPLICATION),
        SITES("Sites", "Site", PortalPaths.REPORTS_SITES, Dimension.SITE),
        CATEGORIES("Categories", "Category", PortalPaths.REPORTS_CATEGORIES, Dimension.CATEGORY);

        final String title;
        final String what;
        final String path;
        final Dimension dimension;

        Report(String title, String what, String path, Dimension dimension) {
            this.title = title;
            this.what = what;
            this.path = path;
            this.dimension = dimension;
        }
    }

    private final UsageQueries usage;
    private final PortalSessions sessions;

    private ReportPages(UsageQueries usage, PortalSessions sessions) {
        this.usage = usage;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        ReportPages pages = new ReportPages(services.usage(), sessions);
        for (Report report : Report.values()) {
            routes.get(report.path, ctx -> pages.show(ctx, report));
        }
        routes.get(PortalPaths.REPORTS_USERS, pages::users);
    }

    private void show(Context ctx, Report report) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        ReportRequest request = ReportRequest.of(ctx);
        Coverage coverage;
        List<ReportRow> rows;
        Duration total;
        int more;
        // One use case per page: the server scopes it to the actor and audit-logs the view.
        if (report == Report.CATEGORIES) {
            CategoryRanking ranking = usage.categories(signedIn.get().actor(), request.filter());
            coverage = ranking.coverage();
            total = ranking.total();
            more = 0;
            rows = categoryRows(ranking, request);
        } else {
            Ranking ranking = report == Report.APPLICATIONS ? usage.applications(signedIn.get().actor(),
                    request.filter()) : usage.sites(signedIn.get().actor(), request.filter());
            coverage = ranking.coverage();
            total = ranking.total();
            more = ranking.more();
            rows = OverviewPages.rows(ranking.rows(), report.dimension, total, request, coverage);
        }
        String heading = report.title + coverage.person().map(person -> ": " + person.displayName())
                .or(() -> coverage.group().map(team -> ": " + team.name())).orElse("");
        Optional<BarChart> chart = rows.isEmpty() ? Optional.empty() : Optional.of(chart(report, rows, coverage));
        Pages.render(ctx, HttpStatus.OK, "report.jte", new ReportPage(signedIn.get().frame(heading, Section.REPORTS),
                heading, tabs(report, request), Filters.of(report.path, request, coverage), report.what,
                report == Report.CATEGORIES, Withheld.reason(coverage),
                coverage.withheld() || !rows.isEmpty() ? Optional.empty() : Optional.of(empty(report)),
                chart, rows, DurationFormat.format(total), more, coverage.individuals() && coverage.person().isEmpty()));
    }

    private static List<ReportRow> categoryRows(CategoryRanking ranking, ReportRequest request) {
        Coverage coverage = ranking.coverage();
        List<ReportRow> rows = new ArrayList<>();
        int rank = 1;
        for (CategoryTotal row : ranking.rows()) {
            Optional<String> users = coverage.individuals() && coverage.person().isEmpty()
                    ? Optional.of(request.href(PortalPaths.REPORTS_USERS, "of", "category", "name", row.category()))
                    : Optional.empty();
            rows.add(new ReportRow(rank++, Labels.name(Dimension.CATEGORY, row.category()),
                    DurationFormat.format(row.active()), row.active().getSeconds(),
                    Labels.share(row.active(), ranking.total()), row.devices(), users,
                    Labels.productivityStyle(row.productivity()), Labels.productivity(row.productivity())));
        }
        return rows;
    }

    private static List<Filters.Link> tabs(Report current, ReportRequest request) {
        return Arrays.stream(Report.values()).map(report -> new Filters.Link(report.title,
                request.href(report.path), report == current)).toList();
    }

    private static BarChart chart(Report report, List<ReportRow> rows, Coverage coverage) {
        List<ReportRow> charted = rows.subList(0, Math.min(CHARTED, rows.size()));
        List<BarChart.Bar> bars = charted.stream().map(row -> new BarChart.Bar(row.name(),
                Duration.ofSeconds(row.activeSeconds()), row.style(), row.rating())).toList();
        String which = rows.size() > charted.size() ? "the " + charted.size() + " " : "the ";
        String description = "Bar chart of the active time of " + which + report.title.toLowerCase(Locale.ROOT)
                + " used most from " + Labels.day(coverage.days().first()) + " to "
                + Labels.day(coverage.days().last()) + ", longest first: " + String.join(", ", charted.stream()
                        .limit(5).map(row -> row.name() + " " + Durations.spoken(Duration.ofSeconds(
                                row.activeSeconds()))).toList())
                + (charted.size() > 5 ? " and more" : "") + ". The table below lists the same figures and more.";
        return BarChart.rows(report.name().toLowerCase(Locale.ROOT) + "-chart", report.title + " by active time",
                description, report.what, bars);
    }

    private static String empty(Report report) {
        return switch (report) {
            case APPLICATIONS -> "No application was in front in this period. Try a longer period.";
            case SITES -> "No web sites in this period. Sites come from the browser extension: install it beside"
                    + " the agent (and allow full URLs or domains in the collection policy) to see them here.";
            case CATEGORIES -> "No usage in this period. Time falls into categories by the rules an owner or"
                    + " administrator sets under Settings; without rules everything is uncategorised.";
        };
    }

    private void users(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Report report = Arrays.stream(Report.values())
                .filter(r -> Labels.dimension(r.dimension).equals(ctx.queryParam("of"))).findFirst()
                .orElseThrow(() -> PortalException.badRequest("Ask who used an application, a site or a category."));
        String name = Optional.ofNullable(ctx.queryParam("name"))
                .orElseThrow(() -> PortalException.badRequest("Name the " + Labels.dimension(report.dimension)
                        + "."));
        ReportRequest request = ReportRequest.of(ctx).withPerson(Optional.empty());
        // Individual data: the server refuses it to a viewer without individual detail and audit-logs the view.
        Users users = usage.users(signedIn.get().actor(), report.dimension, name, request.filter());
        String shown = Labels.name(report.dimension, name);
        String heading = "Who used " + shown;
        String path = PortalPaths.REPORTS_USERS;
        List<UsersPage.Person> people = users.people().stream().map((PersonUsage person) -> new UsersPage.Person(
                person.person().displayName(), DurationFormat.format(person.active()),
                person.active().getSeconds(), Labels.share(person.active(), users.total()), person.devices(),
                request.withPerson(Optional.of(person.person().id())).withGroup(Optional.empty())
                        .href(PortalPaths.REPORTS_APPLICATIONS))).toList();
        // the period links and the form keep what was asked about; no person filter here (the list is the people)
        Filters filters = Filters.of(path, request, users.coverage(), "of", Labels.dimension(report.dimension),
                "name", name).withoutPeople();
        Pages.render(ctx, HttpStatus.OK, "report-users.jte", new UsersPage(
                signedIn.get().frame(heading, Section.REPORTS), heading, filters,
                Labels.dimension(report.dimension) + " " + shown, request.href(report.path), people,
                DurationFormat.format(users.total()), UsageQueries.USERS_LIMIT));
    }
}
