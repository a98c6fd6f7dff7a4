package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.device.EnrollmentToken;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.transport.ServerRejectedRequestException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Enrollment page against the real server: owners and administrators issue a token that is shown once with the
 * agent commands and revoke tokens; auditors see the list only; viewers nothing. The server decides every request.
 */
class EnrollmentPageTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final Pattern SHOWN_TOKEN = Pattern.compile("<code class=\"token\" data-token-id=\"([0-9a-f-]{36})\">"
            + "([A-Za-z0-9_-]{43})</code>");

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("d MMM uuuu, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final Portal portal = server.portal();

    private String signedIn(Organization organization, Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    private static Map<String, String> form(String csrf, String name, String days, String maxDevices) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", csrf);
        form.put("name", name);
        form.put("days", days);
        form.put("maxDevices", maxDevices);
        return form;
    }

    /** Issues a token through the page's form; the answer as it comes. */
    private HttpResponse<String> issue(String session, String name, String days, String maxDevices) {
        String csrf = Portal.csrfIn(portal.get("/enrollment", session).body());
        return portal.post("/enrollment/issue", form(csrf, name, days, maxDevices), session);
    }

    private List<EnrollmentToken> tokens(Organization organization) {
        return server.services().enrollmentTokens().list(server.operator(organization));
    }

    private static String row(String page, String tokenId) {
        Matcher matcher = Pattern.compile("<tr data-token=\"" + tokenId + "\".*?</tr>", Pattern.DOTALL).matcher(page);
        assertThat(matcher.find()).as("a row of %s in%n%s", tokenId, page).isTrue();
        return matcher.group();
    }

    @Test
    void anIssuedTokenIsShownOnceWithTheAgentCommandsAndEnrollsItsDevices() {
        Organization organization = server.newOrganization();
        String session = signedIn(organization, Role.ADMIN);
        Instant now = server.clock().instant();

        HttpResponse<String> issued = issue(session, "Berlin laptops", "30", "2");

        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(issued.headers().firstValue("Cache-Control")).hasValue("no-store");
        Matcher shown = SHOWN_TOKEN.matcher(issued.body());
        assertThat(shown.find()).as(issued.body()).isTrue();
        String tokenId = shown.group(1);
        String token = shown.group(2);
        String serverUrl = "https://" + server.server().baseUri().getAuthority();
        assertThat(issued.body())
                .contains("The token “Berlin laptops” enrolls up to 2 devices")
                .contains("until <time datetime=\"" + now.plus(Duration.ofDays(30)) + "\">"
                        + WHEN.format(now.plus(Duration.ofDays(30))) + "</time>")
                .contains("shown only this once")
                .contains("xentracker-agent enroll --server " + serverUrl
                        + " --server-ca ca.pem --token-file enrollment.token")
                .contains("xentracker-agent enroll --server " + serverUrl
                        + " --server-ca ca.pem --token-env XT_ENROLLMENT_TOKEN")
                .contains("enroll --replace");
        assertThat(issued.body().split(token, -1)).as("the token appears once on the page").hasSize(2);

        TestAgent.enroll(server.server(), token, "berlin-1", "ada");
        String list = portal.get("/enrollment", session).body();
        assertThat(list).doesNotContain(token);
        assertThat(row(list, tokenId))
                .contains("<td class=\"token-name\">Berlin laptops</td>")
                .contains("<td class=\"num uses\">1 / 2</td>")
                .contains("<span class=\"state usable\">Usable</span>")
                .contains(">you</td>")
                .contains("<time datetime=\"" + now + "\">" + WHEN.format(now) + "</time>")
                .contains("action=\"/enrollment/revoke\"");
        TestAgent.enroll(server.server(), token, "berlin-2", "bob");
        assertThat(row(portal.get("/enrollment", session).body(), tokenId))
                .contains("<td class=\"num uses\">2 / 2</td>")
                .contains("<span class=\"state used-up\">Used up</span>")
                .doesNotContain("action=\"/enrollment/revoke\"");
        assertThat(catchThrowableOfType(ServerRejectedRequestException.class,
                () -> TestAgent.enroll(server.server(), token, "berlin-3", "eve")).code())
                .isEqualTo("enrollment-token-exhausted");
        assertThat(server.audit(organization, "issue-enrollment-token")).singleElement()
                .satisfies(entry -> assertThat(entry.subject().text()).doesNotContain(token));
    }

    @Test
    void aRevokedTokenEnrollsNothingAndIsListedAsRevoked() {
        Organization organization = server.newOrganization();
        String session = signedIn(organization, Role.OWNER);
        IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(server.operator(organization),
                "kiosks", Duration.ofDays(1), 10);
        String page = portal.get("/enrollment", session).body();
        assertThat(row(page, token.id().toString())).contains(">host operator</td>");

        HttpResponse<String> revoked = portal.post("/enrollment/revoke",
                Map.of("csrf", Portal.csrfIn(page), "tokenId", token.id().toString()), session);

        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(revoked.headers().firstValue("Location")).hasValue("/enrollment");
        assertThat(row(portal.get("/enrollment", session).body(), token.id().toString()))
                .contains("<span class=\"state revoked\">Revoked</span>")
                .doesNotContain("<button");
        assertThat(catchThrowableOfType(ServerRejectedRequestException.class,
                () -> TestAgent.enroll(server.server(), token.token(), "kiosk", "kiosk")).code())
                .isEqualTo("enrollment-token-revoked");
        assertThat(server.audit(organization, "revoke-enrollment-token")).singleElement()
                .satisfies(entry -> assertThat(entry.outcome()).isEqualTo(Outcome.SUCCESS));
    }

    @Test
    void anExpiredTokenIsListedAsExpiredWithoutARevokeButton() {
        Organization organization = server.newOrganization();
        IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(server.operator(organization),
                "", Duration.ofHours(1), 1);
        String session = signedIn(organization, Role.ADMIN);
        String usable = row(portal.get("/enrollment", session).body(), token.id().toString());

        server.clock().advance(Duration.ofHours(1));

        assertThat(usable).contains("Usable", "<td class=\"token-name\">—</td>");
        assertThat(row(portal.get("/enrollment", session).body(), token.id().toString()))
                .contains("<span class=\"state expired\">Expired</span>")
                .doesNotContain("<button");
    }

    @Test
    void auditorsSeeTheListReadOnlyAndTheServerRefusesTheirIssueAndRevoke() {
        Organization organization = server.newOrganization();
        IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(server.operator(organization),
                "laptops", Duration.ofDays(1), 5);
        String session = signedIn(organization, Role.AUDITOR);

        HttpResponse<String> page = portal.get("/enrollment", session);
        String csrf = Portal.csrfIn(page.body()); // the sign-out form's: the session's token
        HttpResponse<String> issue = portal.post("/enrollment/issue", form(csrf, "mine", "7", "1"), session);
        HttpResponse<String> revoke = portal.post("/enrollment/revoke",
                Map.of("csrf", csrf, "tokenId", token.id().toString()), session);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("laptops", "<a href=\"/enrollment\" aria-current=\"page\">Enrollment</a>")
                .doesNotContain("action=\"/enrollment/issue\"", "action=\"/enrollment/revoke\"");
        assertThat(issue.statusCode()).isEqualTo(403);
        assertThat(issue.body()).contains("does not allow issue-enrollment-token");
        assertThat(revoke.statusCode()).isEqualTo(403);
        assertThat(tokens(organization)).singleElement()
                .satisfies(t -> assertThat(t.revokedAt()).as("still usable").isEmpty());
        assertThat(server.audit(organization, "issue-enrollment-token")).extracting(AuditEntry::outcome)
                .as("newest first: the auditor's refused, the operator's").containsExactly(Outcome.DENIED,
                        Outcome.SUCCESS);
    }

    @Test
    void viewersAreRefusedThePageAndDoNotSeeItInTheNavigation() {
        Organization organization = server.newOrganization();
        server.services().enrollmentTokens().issue(server.operator(organization), "secret plans", Duration.ofDays(1),
                1);
        String session = signedIn(organization, Role.VIEWER);

        HttpResponse<String> page = portal.get("/enrollment", session);

        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).doesNotContain("secret plans", "href=\"/enrollment\"")
                .contains("does not allow view-enrollment-tokens");
        assertThat(server.audit(organization, "view-enrollment-tokens")).singleElement()
                .satisfies(entry -> assertThat(entry.outcome()).isEqualTo(Outcome.DENIED));
    }

    @Test
    void theIssueFormIsCheckedAndNeedsTheSessionsCsrfToken() {
        Organization organization = server.newOrganization();
        String session = signedIn(organization, Role.OWNER);
        String csrf = Portal.csrfIn(portal.get("/enrollment", session).body());

        HttpResponse<String> noCsrf = portal.post("/enrollment/issue", form("forged", "x", "7", "1"), session);
        Map<String, HttpResponse<String>> wrong = new LinkedHashMap<>();
        wrong.put("0 days", portal.post("/enrollment/issue", form(csrf, "x", "0", "1"), session));
        wrong.put("366 days", portal.post("/enrollment/issue", form(csrf, "x", "366", "1"), session));
        wrong.put("days abc", portal.post("/enrollment/issue", form(csrf, "x", "abc", "1"), session));
        wrong.put("0 devices", portal.post("/enrollment/issue", form(csrf, "x", "7", "0"), session));
        wrong.put("too many", portal.post("/enrollment/issue", form(csrf, "x", "7", "1000001"), session));
        wrong.put("long name", portal.post("/enrollment/issue", form(csrf, "x".repeat(101), "7", "1"), session));
        HttpResponse<String> control = portal.post("/enrollment/issue", form(csrf, "tab\tname", "7", "1"), session);
        HttpResponse<String> noToken = portal.post("/enrollment/revoke", Map.of("csrf", csrf, "tokenId", "x"),
                session);

        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(noCsrf.body()).contains("The form has expired");
        wrong.forEach((what, response) -> assertThat(response.statusCode()).as(what).isEqualTo(400));
        assertThat(wrong.get("0 days").body()).contains("a whole number of days from 1 to 365");
        assertThat(wrong.get("0 devices").body()).contains("a whole number from 1 to 1000000");
        assertThat(wrong.get("long name").body()).contains("at most 100 characters");
        assertThat(control.statusCode()).isEqualTo(400);
        assertThat(control.body()).contains("must not contain control characters");
        assertThat(noToken.statusCode()).isEqualTo(400);
        assertThat(tokens(organization)).as("nothing issued").isEmpty();
        assertThat(portal.get("/enrollment", session).body()).contains("No enrollment tokens yet.");
    }

    @Test
    void aTokensNameIsEscapedOnTheListAndOnTheIssuedPage() {
        Organization organization = server.newOrganization();
        String session = signedIn(organization, Role.OWNER);

        String issued = issue(session, "<script>alert(1)</script>", "1", "1").body();
        String list = portal.get("/enrollment", session).body();

        assertThat(issued).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
        assertThat(list).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
    }

    @Test
    void anotherAccountsTokenSaysSoAndTheNavigationOffersEnrollmentToOwnersAdministratorsAndAuditors() {
        Organization organization = server.newOrganization();
        Account admin = server.account(organization, Role.ADMIN);
        var adminSignedIn = (com.xentracker.server.account.SignIn.SignedIn) server.services().signIn()
                .withPassword(admin.email(), PASSWORD.toCharArray(), "127.0.0.1");
        IssuedEnrollmentToken byAdmin = server.services().enrollmentTokens().issue(adminSignedIn.actor(),
                "by the admin", Duration.ofDays(1), 1);
        String owner = signedIn(organization, Role.OWNER);

        String page = portal.get("/enrollment", owner).body();

        assertThat(row(page, byAdmin.id().toString()))
                .contains("title=\"" + admin.id() + "\">another account</td>");
        for (Role role : List.of(Role.OWNER, Role.ADMIN, Role.AUDITOR)) {
            assertThat(portal.get("/overview", signedIn(organization, role)).body()).as(role.name())
                    .contains("<a href=\"/enrollment\">Enrollment</a>");
        }
        assertThat(portal.get("/overview", signedIn(organization, Role.VIEWER)).body())
                .doesNotContain("href=\"/enrollment\"");
    }
}
