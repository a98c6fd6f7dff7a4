package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.organization.Organization;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard against the real server: what it shows, for whom, and that the server audits each view. */
class DashboardTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    /** 09:00 UTC on the fixture's day, Sunday 29 November 2026. */
    private static final Instant NINE = Instant.parse("2026-11-29T09:00:00Z");

    private final Portal portal = server.portal();

    private static Span active(String application, int fromMinute, int toMinute) {
        return Span.of(NINE.plus(Duration.ofMinutes(fromMinute)), NINE.plus(Duration.ofMinutes(toMinute)),
                Activity.active(application, "/usr/bin/" + application, Optional.empty()));
    }

    private String signedIn(Organization organization, Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    @Test
    void dashboardWithoutASessionRedirectsToLogin() {
        HttpResponse<String> noCookie = portal.get("/dashboard");
        HttpResponse<String> unknownSession = portal.get("/dashboard", "xt_session=made-up");

        assertThat(noCookie.statusCode()).isEqualTo(303);
        assertThat(noCookie.headers().firstValue("Location")).hasValue("/login");
        assertThat(unknownSession.statusCode()).isEqualTo(303);
        assertThat(unknownSession.headers().firstValue("Location")).hasValue("/login");
    }

    @Test
    void rootRedirectsToTheDashboard() {
        HttpResponse<String> response = portal.get("/");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/dashboard");
    }

    @Test
    void dashboardShowsTodaysUsageByApplicationOfTheAccountsOrganizationOnly() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "laptop", "ada", List.of(active("writer", 0, 62), active("firefox", 62, 63)));
        Organization stranger = server.newOrganization();
        server.deviceWith(stranger, "other", "eve", List.of(active("secret-tool", 0, 120)));
        String session = signedIn(organization, Role.AUDITOR);

        HttpResponse<String> response = portal.get("/dashboard", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("<td class=\"application\">writer</td>")
                .contains("<td class=\"num active\" data-seconds=\"3720\">1h 02m 00s</td>")
                .contains("<td class=\"num devices\">1</td>")
                .contains("<td class=\"application\">firefox</td>")
                .contains("Sun 29 Nov 2026")
                .doesNotContain("secret-tool");
        assertThat(response.body().indexOf("writer")).isLessThan(response.body().indexOf("firefox"));
    }

    @Test
    void lastSevenDaysCoversSevenWholeDaysEndingToday() {
        String session = signedIn(server.newOrganization(), Role.ADMIN);

        HttpResponse<String> response = portal.get("/dashboard?period=last-7-days", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("Mon 23 Nov 2026 – Sun 29 Nov 2026")
                .contains("<a href=\"/dashboard?period=last-7-days\" aria-current=\"page\">Last 7 days</a>")
                .contains("<a href=\"/dashboard?period=today\">Today</a>")
                .contains("No usage recorded in this period.");
    }

    @Test
    void lastThirtyAndNinetyDaysCoverWholeDaysEndingToday() {
        String session = signedIn(server.newOrganization(), Role.OWNER);

        HttpResponse<String> thirty = portal.get("/dashboard?period=last-30-days", session);
        HttpResponse<String> ninety = portal.get("/dashboard?period=last-90-days", session);

        assertThat(thirty.statusCode()).isEqualTo(200);
        assertThat(thirty.body())
                .contains("Sat 31 Oct 2026 – Sun 29 Nov 2026")
                .contains("<a href=\"/dashboard?period=last-30-days\" aria-current=\"page\">Last 30 days</a>")
                .contains("<a href=\"/dashboard?period=last-90-days\">Last 90 days</a>");
        assertThat(ninety.statusCode()).isEqualTo(200);
        assertThat(ninety.body()).contains("Tue 1 Sep 2026 – Sun 29 Nov 2026");
    }

    @Test
    void unknownPeriodIsABadRequestAndAsksTheServerNothing() {
        Organization organization = server.newOrganization();
        String session = signedIn(organization, Role.OWNER);

        HttpResponse<String> response = portal.get("/dashboard?period=forever", session);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Unknown period.");
        assertThat(server.audit(organization, "view-usage")).isEmpty();
    }

    @Test
    void dashboardEscapesApplicationNames() {
        Organization organization = server.newOrganization();
        server.deviceWith(organization, "laptop", "ada", List.of(active("<script>alert('x')</script>", 0, 1),
                active("\"><img src=x onerror=alert(1)>", 1, 2)));
        String session = signedIn(organization, Role.OWNER);

        String body = portal.get("/dashboard", session).body();

        assertThat(body)
                .contains("<td class=\"application\">&lt;script&gt;alert('x')&lt;/script&gt;</td>")
                .contains("<td class=\"application\">\"&gt;&lt;img src=x onerror=alert(1)&gt;</td>")
                .doesNotContain("<script", "<img");
    }

    @Test
    void everyDashboardViewIsAuditLoggedByTheServerWithTheAccountAsActor() {
        Organization organization = server.newOrganization();
        Account account = server.account(organization, Role.AUDITOR);
        String session = portal.signIn(account.email(), PASSWORD);

        portal.get("/dashboard", session);
        portal.get("/dashboard?period=last-7-days", session);

        assertThat(server.audit(organization, "view-usage"))
                .extracting(entry -> entry.actorAccount().orElseThrow(), entry -> entry.subject().text())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(account.id(),
                                "usage by application 2026-11-23T00:00:00Z/2026-11-30T00:00:00Z"),
                        org.assertj.core.groups.Tuple.tuple(account.id(),
                                "usage by application 2026-11-29T00:00:00Z/2026-11-30T00:00:00Z"));
        assertThat(server.audit(organization, "view-usage")).extracting(AuditEntry::sequence)
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void signedInPagesCarrySecurityHeadersAndAreNeverStored() {
        String session = signedIn(server.newOrganization(), Role.VIEWER);

        HttpResponse<String> response = portal.get("/dashboard", session);

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
        assertThat(css.body()).contains("table.usage");
    }

    @Test
    void theNavigationOffersOnlyWhatTheRoleReaches() {
        Organization organization = server.newOrganization();

        String viewer = portal.get("/dashboard", signedIn(organization, Role.VIEWER)).body();
        String owner = portal.get("/dashboard", signedIn(organization, Role.OWNER)).body();

        assertThat(viewer).contains("href=\"/dashboard\"").doesNotContain("href=\"/devices\"", "href=\"/people\"");
        assertThat(owner).contains("href=\"/dashboard\"", "href=\"/devices\"", "href=\"/people\"");
    }
}
