package com.xentracker.portal;

import static com.xentracker.portal.Portal.EMAIL;
import static com.xentracker.portal.Portal.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.portal.TestServices.RecordingAuditLog.Entry;
import com.xentracker.portal.TestServices.StoredUsage.Query;
import com.xentracker.server.account.Account;
import com.xentracker.server.usage.ApplicationUsage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PortalFixture.class)
class DashboardTest {

    @Test
    void dashboardWithoutASessionRedirectsToLogin(Portal portal) {
        HttpResponse<String> noCookie = portal.get("/dashboard");
        HttpResponse<String> unknownSession = portal.get("/dashboard", "xt_session=made-up");

        assertThat(noCookie.statusCode()).isEqualTo(303);
        assertThat(noCookie.headers().firstValue("Location")).hasValue("/login");
        assertThat(unknownSession.statusCode()).isEqualTo(303);
        assertThat(unknownSession.headers().firstValue("Location")).hasValue("/login");
        assertThat(portal.services.usage.queries).isEmpty();
        assertThat(portal.services.audit.entries).isEmpty();
    }

    @Test
    void rootRedirectsToTheDashboard(Portal portal) {
        HttpResponse<String> response = portal.get("/");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/dashboard");
    }

    @Test
    void dashboardShowsTodaysUsageByApplicationOfTheAccountsOrganization(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        portal.services.usage.put(account.organizationId(),
                new ApplicationUsage("LibreOffice Writer", Duration.ofSeconds(3725), 3),
                new ApplicationUsage("Firefox", Duration.ofMillis(65_900), 1));
        Account stranger = portal.services.accounts.add("eve@example.org", "another long password");
        portal.services.usage.put(stranger.organizationId(), new ApplicationUsage("Secret Tool", Duration.ofHours(2), 9));
        String session = portal.signIn(EMAIL, PASSWORD);

        HttpResponse<String> response = portal.get("/dashboard", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("<td class=\"application\">LibreOffice Writer</td>")
                .contains("<td class=\"num active\" data-seconds=\"3725\">1h 02m 05s</td>")
                .contains("<td class=\"num devices\">3</td>")
                .contains("<td class=\"application\">Firefox</td>")
                .contains("<td class=\"num active\" data-seconds=\"65\">0h 01m 05s</td>")
                .contains("Sun 29 Nov 2026", "UTC", "server's clock")
                .contains(EMAIL)
                .doesNotContain("Secret Tool");
        assertThat(response.body().indexOf("LibreOffice Writer")).isLessThan(response.body().indexOf("Firefox"));
        assertThat(portal.services.usage.queries).containsExactly(new Query(account.organizationId(),
                Instant.parse("2026-11-29T00:00:00Z"), Instant.parse("2026-11-30T00:00:00Z")));
    }

    @Test
    void lastSevenDaysCoversSevenWholeUtcDaysEndingToday(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        String session = portal.signIn(EMAIL, PASSWORD);

        HttpResponse<String> response = portal.get("/dashboard?period=last-7-days", session);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("Mon 23 Nov 2026 – Sun 29 Nov 2026")
                .contains("<a href=\"/dashboard?period=last-7-days\" aria-current=\"page\">Last 7 days</a>")
                .contains("<a href=\"/dashboard?period=today\">Today</a>")
                .contains("No usage recorded in this period.");
        assertThat(portal.services.usage.queries).containsExactly(new Query(account.organizationId(),
                Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-30T00:00:00Z")));
    }

    @Test
    void lastThirtyAndNinetyDaysCoverWholeUtcDaysEndingToday(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        String session = portal.signIn(EMAIL, PASSWORD);

        HttpResponse<String> thirty = portal.get("/dashboard?period=last-30-days", session);
        HttpResponse<String> ninety = portal.get("/dashboard?period=last-90-days", session);

        assertThat(thirty.statusCode()).isEqualTo(200);
        assertThat(thirty.body())
                .contains("Sat 31 Oct 2026 – Sun 29 Nov 2026")
                .contains("<a href=\"/dashboard?period=last-30-days\" aria-current=\"page\">Last 30 days</a>")
                .contains("<a href=\"/dashboard?period=last-90-days\">Last 90 days</a>");
        assertThat(ninety.statusCode()).isEqualTo(200);
        assertThat(ninety.body()).contains("Tue 1 Sep 2026 – Sun 29 Nov 2026");
        assertThat(portal.services.usage.queries).containsExactly(
                new Query(account.organizationId(), Instant.parse("2026-10-31T00:00:00Z"),
                        Instant.parse("2026-11-30T00:00:00Z")),
                new Query(account.organizationId(), Instant.parse("2026-09-01T00:00:00Z"),
                        Instant.parse("2026-11-30T00:00:00Z")));
    }

    @Test
    void unknownPeriodIsABadRequest(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);
        String session = portal.signIn(EMAIL, PASSWORD);

        HttpResponse<String> response = portal.get("/dashboard?period=forever", session);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Unknown period.");
        assertThat(portal.services.usage.queries).isEmpty();
    }

    @Test
    void dashboardEscapesApplicationNames(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        portal.services.usage.put(account.organizationId(),
                new ApplicationUsage("<script>alert('x')</script>", Duration.ofMinutes(1), 1),
                new ApplicationUsage("\"><img src=x onerror=alert(1)>", Duration.ofMinutes(1), 1));
        String session = portal.signIn(EMAIL, PASSWORD);

        String body = portal.get("/dashboard", session).body();

        assertThat(body)
                .contains("<td class=\"application\">&lt;script&gt;alert('x')&lt;/script&gt;</td>")
                .contains("<td class=\"application\">\"&gt;&lt;img src=x onerror=alert(1)&gt;</td>")
                .doesNotContain("<script", "<img");
    }

    @Test
    void everyDashboardViewIsAuditLogged(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        String session = portal.signIn(EMAIL, PASSWORD);

        portal.get("/dashboard", session);
        portal.get("/dashboard?period=last-7-days", session);

        assertThat(portal.services.audit.entries).containsExactly(
                new Entry(account.organizationId(), account.id(), "sign-in", "portal"),
                new Entry(account.organizationId(), account.id(), "view-dashboard",
                        "usage-by-application 2026-11-29T00:00:00Z/2026-11-30T00:00:00Z"),
                new Entry(account.organizationId(), account.id(), "view-dashboard",
                        "usage-by-application 2026-11-23T00:00:00Z/2026-11-30T00:00:00Z"));
    }

    @Test
    void dashboardIsNotShownWhenTheAuditLogCannotRecordTheView(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        portal.services.usage.put(account.organizationId(), new ApplicationUsage("Firefox", Duration.ofMinutes(5), 1));
        String session = portal.signIn(EMAIL, PASSWORD);
        portal.services.audit.failing = true;

        HttpResponse<String> response = portal.get("/dashboard", session);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("Firefox");
    }

    @Test
    void signedInPagesCarrySecurityHeadersAndAreNeverStored(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);
        String session = portal.signIn(EMAIL, PASSWORD);

        HttpResponse<String> response = portal.get("/dashboard", session);

        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).startsWith("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void pagesUseOnlyTheSameOriginStylesheetAndNoInlineScriptOrStyle(Portal portal) {
        String login = portal.get("/login").body();
        HttpResponse<String> css = portal.get("/portal.css");

        assertThat(login).contains("<link rel=\"stylesheet\" href=\"/portal.css\">")
                .doesNotContain("<script", "<style", "style=\"");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(css.body()).contains("table.usage");
    }
}
