package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.organization.Organization;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The overview (which replaced the dashboard) against the real server: organization-local days far from UTC and on
 * daylight-saving days, the charts and their tables, who sees what, empty states, and the server's audit entry of each
 * view.
 */
class OverviewTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    /** 09:00 UTC on the fixture's day, Sunday 29 November 2026. */
    private static final Instant NINE = Instant.parse("2026-11-29T09:00:00Z");
    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

    private final Portal portal = server.portal();

    private static Span active(String application, int fromMinute, int toMinute) {
        return active(application, NINE.plus(Duration.ofMinutes(fromMinute)), NINE.plus(Duration.ofMinutes(toMinute)));
    }

    private static Span active(String application, Instant from, Instant to) {
        return Span.of(from, to, Activity.active(application, "/usr/bin/" + application, Optional.empty()));
    }

    private String signedIn(Organization organization, Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    private static final Pattern TOP_APPLICATION = Pattern.compile(
            "<td class=\"application\">([^<]+)</td>\\s*<td class=\"num active\" data-seconds=\"(\\d+)\">");

    /** The top applications as "name seconds". */
    private static List<String> topApplications(String body) {
        Matcher rows = TOP_APPLICATION.matcher(body);
        List<String> found = new ArrayList<>();
        while (rows.find()) {
            found.add(rows.group(1) + " " + rows.group(2));
        }
        return found;
    }

    @Test
    void overviewWithoutASessionRedirectsToLogin() {
        HttpResponse<String> noCookie = portal.get("/overview");
        HttpResponse<String> unknownSession = portal.get("/overview", "xt_session=made-up");

        assertThat(noCookie.statusCode()).isEqualTo(303);
        assertThat(noCookie.headers().firstValue("Location")).hasValue("/login");
        assertThat(unknownSession.statusCode()).isEqualTo(303);
        assertThat(unknownSession.headers().firstValue("Location")).hasValue("/login");
    }

    @Test
    void rootAndTheOldDashboardAddressRedirectToTheOverview() {
        HttpResponse<String> root = portal.get("/");
        HttpResponse<String> dashboard = portal.get("/dashboard?period=last-7-days");

        assertThat(root.statusCode()).isEqualTo(303);
        assertThat(root.headers().firstValue("Location")).hasValue("/overview");
        assertThat(dashboard.statusCode()).isEqualTo(303);
        assertThat(dashboard.headers().firstValue("Location")).hasValue("/overview?period=last-7-days");
    }

    @Test
    void overviewShowsTodaysUsageOfTheAccountsOrganizationOnly() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "laptop", "ada", List.of(active("writer", 0, 62), active("firefox", 62, 63)));
        Organization stranger = server.newOrganization();
        server.deviceWith(stranger, "other", "eve", List.of(active("secret-tool", 0, 120)));
        String session = signedIn(organization, Role.AUDITOR);

        HttpResponse<String> response = portal.get("/overview", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("<td class=\"application\">writer</td>")
                .contains("<td class=\"num active\" data-seconds=\"3720\">1h 02m 00s</td>")
                .contains("<td class=\"num devices\">1</td>")
                .contains("<td class=\"application\">firefox</td>")
                .contains("Sun 29 Nov 2026")
                .contains("<strong>Europe/Berlin</strong>")
                .contains("<strong class=\"total\">1h 03m 00s</strong>")
                .doesNotContain("secret-tool");
        assertThat(topApplications(response.body())).containsExactly("writer 3720", "firefox 60");
    }

    @Test
    void todayIsTheOrganizationsOwnDayFarFromUtc() {
        // 10:15 UTC on the 29th is 23:15 in Auckland (UTC+13): its today began at 11:00 UTC on the 28th
        Organization organization = server.newOrganization(AUCKLAND);
        server.deviceWith(organization, "kiwi", "ada", List.of(
                active("yesterdays-evening", Instant.parse("2026-11-28T10:00:00Z"),
                        Instant.parse("2026-11-28T10:30:00Z")),
                active("after-midnight", Instant.parse("2026-11-28T11:00:00Z"), Instant.parse("2026-11-28T11:20:00Z")),
                active("late-evening", Instant.parse("2026-11-29T10:00:00Z"), Instant.parse("2026-11-29T10:10:00Z"))));
        String session = signedIn(organization, Role.OWNER);

        String today = portal.get("/overview", session).body();
        String yesterday = portal.get("/overview?period=yesterday", session).body();

        assertThat(topApplications(today)).containsExactly("after-midnight 1200", "late-evening 600");
        assertThat(today).contains("Sun 29 Nov 2026 — whole days in <strong>Pacific/Auckland</strong>");
        assertThat(topApplications(yesterday)).containsExactly("yesterdays-evening 1800");
        assertThat(yesterday).contains("Sat 28 Nov 2026 — whole days in <strong>Pacific/Auckland</strong>")
                .contains("<a href=\"/overview?period=yesterday\" aria-current=\"page\">Yesterday</a>");
    }

    @Test
    void aDaylightSavingDayHasTwentyFiveOrTwentyThreeHoursOnThePage() {
        Organization organization = server.newOrganization(LOS_ANGELES);
        TestAgent agent = server.deviceWith(organization, "west", "ada", hourly(LocalDate.of(2026, 11, 1)));
        agent.upload(hourly(LocalDate.of(2026, 3, 8)), Optional.empty(), Optional.empty());
        String session = signedIn(organization, Role.ADMIN);

        String autumn = portal.get("/overview?period=last-30-days", session).body();
        String spring = portal.get("/overview?period=custom&from=2026-03-07&to=2026-03-09", session).body();

        assertThat(autumn).contains("Sat 31 Oct 2026 – Sun 29 Nov 2026")
                .contains("<strong class=\"total\">25h 00m 00s</strong>")
                .contains("<tr><th scope=\"row\">1 Nov</th><td class=\"num\">25 h 00 min <span class=\"note\">"
                        + "(25 h day (clocks changed))</span></td></tr>")
                .contains("Sun 1 Nov 2026 had 25 h in America/Los_Angeles: the clocks went back.")
                .contains("<text class=\"axis-label\"", ">Day (America/Los_Angeles)</text>");
        assertThat(spring).contains("Sat 7 Mar 2026 – Mon 9 Mar 2026")
                .contains("<strong class=\"total\">23h 00m 00s</strong>")
                .contains("<tr><th scope=\"row\">Sun 8 Mar</th><td class=\"num\">23 h 00 min <span class=\"note\">"
                        + "(23 h day (clocks changed))</span></td></tr>")
                .contains("Sun 8 Mar 2026 had 23 h in America/Los_Angeles: the clocks went forward.");
    }

    /** One-hour spans over all 23, 24 or 25 hours of a local day in Los Angeles. */
    private static List<Span> hourly(LocalDate day) {
        List<Span> spans = new ArrayList<>();
        Instant end = day.plusDays(1).atStartOfDay(LOS_ANGELES).toInstant();
        for (Instant hour = day.atStartOfDay(LOS_ANGELES).toInstant(); hour.isBefore(end);
                hour = hour.plus(Duration.ofHours(1))) {
            spans.add(active("night-shift", hour, hour.plus(Duration.ofHours(1))));
        }
        return spans;
    }

    @Test
    void theChartsAreAccessibleSvgWithLabelledAxesAndATableOfTheSameFigures() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "laptop", "ada", List.of(active("writer", 0, 90), Span.of(
                NINE.plus(Duration.ofMinutes(90)), NINE.plus(Duration.ofMinutes(100)), Activity.active("firefox",
                        "/usr/bin/firefox", Optional.empty()).withPage(WebPage.ofDomain("docs.example.org")))));
        String session = signedIn(organization, Role.OWNER);

        String body = portal.get("/overview?period=last-7-days", session).body();

        assertThat(body)
                .contains("<svg class=\"bar-chart columns\" viewBox=\"0 0 640 300\" role=\"img\""
                        + " aria-labelledby=\"per-day-title per-day-desc\"")
                .contains("<title id=\"per-day-title\">Active time per day</title>")
                .contains("<desc id=\"per-day-desc\">Bar chart of the active time on each of the 7 days from Mon 23"
                        + " Nov 2026 to Sun 29 Nov 2026 (Europe/Berlin): 1 h 40 min in all, most on Sun 29 Nov 2026"
                        + " (1 h 40 min).</desc>")
                .contains(">Active time (minutes)</text>")
                .contains("<title>Sun 29 Nov: 1 h 40 min</title>")
                .contains("<tr><th scope=\"row\">Mon 23 Nov</th><td class=\"num\">0 s</td></tr>")
                .contains("<tr><th scope=\"row\">Sun 29 Nov</th><td class=\"num\">1 h 40 min</td></tr>")
                .contains("<title id=\"productivity-title\">Productivity</title>")
                .contains("<td class=\"site\">docs.example.org</td>")
                .doesNotContain("<script", "<style", "style=\"");
        // seven bars, one a day, the last one drawn up to the top of the axis
        assertThat(Pattern.compile("<rect class=\"bar\" ").matcher(body).results().count()).isEqualTo(7);
    }

    @Test
    void devicesThatStoppedReportingAreListedForTheOrganizationsRolesOnly() {
        Organization organization = server.newOrganization();
        // heard of last two days ago, then never again
        server.clock().set(PortalServer.START.minus(Duration.ofDays(2)));
        try {
            server.deviceWith(organization, "quiet-host", "ada", List.of(active("writer", 0, 5)));
        } finally {
            server.clock().set(PortalServer.START);
        }
        server.deviceWith(organization, "busy-host", "bob", List.of(active("writer", 0, 5)));

        String owner = portal.get("/overview", signedIn(organization, Role.OWNER)).body();
        String viewer = portal.get("/overview", signedIn(organization, Role.VIEWER)).body();

        assertThat(owner).contains("Devices that stopped reporting", "Not heard of for more than 24 h",
                "<td class=\"hostname\">quiet-host</td>", "Fri 27 Nov 2026, 11:15").doesNotContain("busy-host");
        assertThat(viewer).doesNotContain("Devices that stopped reporting", "quiet-host");
    }

    @Test
    void anEmptyOverviewSaysWhyAndWhatToDoNext() {
        String session = signedIn(server.newOrganization(), Role.ADMIN);

        HttpResponse<String> response = portal.get("/overview?period=last-7-days", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("Mon 23 Nov 2026 – Sun 29 Nov 2026")
                .contains("<a href=\"/overview?period=last-7-days\" aria-current=\"page\">Last 7 days</a>")
                .contains("<a href=\"/overview\">Today</a>")
                .contains("No usage recorded in this period. No device is enrolled yet: issue an enrollment token")
                .doesNotContain("<svg");
    }

    @Test
    void lastThirtyAndNinetyDaysCoverWholeDaysEndingToday() {
        String session = signedIn(server.newOrganization(), Role.OWNER);

        HttpResponse<String> thirty = portal.get("/overview?period=last-30-days", session);
        HttpResponse<String> ninety = portal.get("/overview?period=last-90-days", session);

        assertThat(thirty.statusCode()).isEqualTo(200);
        assertThat(thirty.body())
                .contains("Sat 31 Oct 2026 – Sun 29 Nov 2026")
                .contains("<a href=\"/overview?period=last-30-days\" aria-current=\"page\">Last 30 days</a>")
                .contains("<a href=\"/overview?period=last-90-days\">Last 90 days</a>");
        assertThat(ninety.statusCode()).isEqualTo(200);
        assertThat(ninety.body()).contains("Tue 1 Sep 2026 – Sun 29 Nov 2026");
    }

    @Test
    void malformedPeriodsAreBadRequestsAndAskTheServerNothing() {
        Organization organization = server.newOrganization();
        String session = signedIn(organization, Role.OWNER);

        HttpResponse<String> unknown = portal.get("/overview?period=forever", session);
        HttpResponse<String> halfCustom = portal.get("/overview?period=custom&from=2026-11-01", session);
        HttpResponse<String> backwards = portal.get("/overview?period=custom&from=2026-11-02&to=2026-11-01", session);
        HttpResponse<String> tooLong = portal.get("/overview?period=custom&from=2024-01-01&to=2026-11-01", session);
        HttpResponse<String> notADay = portal.get("/overview?period=custom&from=yesterday&to=2026-11-01", session);
        HttpResponse<String> notAGroup = portal.get("/overview?group=team-blue", session);

        assertThat(List.of(unknown, halfCustom, backwards, tooLong, notADay, notAGroup))
                .extracting(HttpResponse::statusCode).containsOnly(400);
        assertThat(unknown.body()).contains("Unknown period.");
        assertThat(backwards.body()).contains("A period must not end before it starts.");
        assertThat(tooLong.body()).contains("A period may be at most 366 days long.");
        assertThat(server.audit(organization, "view-usage")).isEmpty();
    }

    @Test
    void overviewEscapesApplicationNames() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "laptop", "ada", List.of(active("<script>alert('x')</script>", 0, 1),
                active("\"><img src=x onerror=alert(1)>", 1, 2)));
        String session = signedIn(organization, Role.OWNER);

        String body = portal.get("/overview", session).body();

        assertThat(body)
                .contains("<td class=\"application\">&lt;script&gt;alert('x')&lt;/script&gt;</td>")
                .contains("<td class=\"application\">\"&gt;&lt;img src=x onerror=alert(1)&gt;</td>")
                .doesNotContain("<script", "<img");
    }

    @Test
    void everyOverviewViewIsAuditLoggedByTheServerWithTheAccountAsActor() {
        Organization organization = server.newOrganization();
        Account account = server.account(organization, Role.AUDITOR);
        String session = portal.signIn(account.email(), PASSWORD);

        portal.get("/overview", session);
        portal.get("/overview?period=last-7-days", session);

        assertThat(server.audit(organization, "view-usage"))
                .extracting(entry -> entry.actorAccount().orElseThrow(), entry -> entry.subject().text())
                .containsExactly(
                        Tuple.tuple(account.id(), "overview 2026-11-23/2026-11-29"),
                        Tuple.tuple(account.id(), "overview 2026-11-29/2026-11-29"));
        assertThat(server.audit(organization, "view-usage")).extracting(AuditEntry::sequence)
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void signedInPagesCarrySecurityHeadersAndAreNeverStored() {
        String session = signedIn(server.newOrganization(), Role.VIEWER);

        HttpResponse<String> response = portal.get("/overview", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).startsWith("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void pagesUseOnlyTheSameOriginStylesheetAndNoInlineScriptOrStyle() {
        String login = portal.get("/login").body();
        HttpResponse<String> css = portal.get("/portal.css");

        assertThat(login).contains("<link rel=\"stylesheet\" href=\"/portal.css\">")
                .doesNotContain("<script", "<style", "style=\"");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(css.body()).contains("table.usage", "svg.bar-chart .bar.productive");
    }

    @Test
    void theNavigationOffersOnlyWhatTheRoleReaches() {
        Organization organization = server.newOrganization();

        String viewer = portal.get("/overview", signedIn(organization, Role.VIEWER)).body();
        String owner = portal.get("/overview", signedIn(organization, Role.OWNER)).body();

        assertThat(viewer).contains("href=\"/overview\"", "href=\"/reports/applications\"", "href=\"/teams\"")
                .doesNotContain("href=\"/devices\"", "href=\"/people\"", "Devices that stopped reporting");
        assertThat(owner).contains("href=\"/overview\"", "href=\"/reports/applications\"", "href=\"/teams\"",
                "href=\"/devices\"", "href=\"/people\"");
    }
}
