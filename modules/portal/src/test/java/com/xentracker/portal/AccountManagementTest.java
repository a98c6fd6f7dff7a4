package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.portal.Portal.SetCookie;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.organization.Organization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The accounts page and the one-time link page end to end over HTTPS against the real server: owners invite and
 * manage, the person sets a password with the link and signs in, auditors read only, administrators and viewers are
 * refused, and every post needs its CSRF token.
 */
class AccountManagementTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final Pattern LINK = Pattern.compile(
            "id=\"link\" class=\"link-field\" type=\"text\" readonly value=\"(https://[^\"]+)\"");
    private static final String NEW_PASSWORD = "a brand new passphrase";

    private final Portal portal = server.portal();

    /** An organization whose owner is signed in to the portal. */
    private record Team(Organization organization, Account owner, String session, String csrf) {
    }

    private Team team() {
        Organization organization = server.newOrganization();
        Account owner = server.account(organization, Role.OWNER);
        String session = portal.signIn(owner.email(), PASSWORD);
        String csrf = Portal.csrfIn(portal.get("/accounts", session).body());
        return new Team(organization, owner, session, csrf);
    }

    private HttpResponse<String> post(Team team, String path, String... fields) {
        Map<String, String> form = new HashMap<>();
        form.put("csrf", team.csrf());
        for (int i = 0; i < fields.length; i += 2) {
            form.put(fields[i], fields[i + 1]);
        }
        return portal.post(path, form, team.session());
    }

    private static URI linkIn(HttpResponse<String> response) {
        Matcher matcher = LINK.matcher(response.body());
        assertThat(matcher.find()).as("a one-time link in %s", response.body()).isTrue();
        return URI.create(matcher.group(1));
    }

    private static String pathOf(URI link) {
        return link.getRawPath() + "?" + link.getRawQuery();
    }

    private static String tokenOf(URI link) {
        return link.getRawQuery().substring("token=".length());
    }

    private Optional<Account> stored(Team team, UUID id) {
        return server.services().accounts().list(server.operator(team.organization())).stream()
                .filter(account -> account.id().equals(id)).findFirst();
    }

    /** Opens the link's page and posts the form on it, as the person who got the link does. */
    private HttpResponse<String> setPassword(URI link, String password, String confirmation) {
        HttpResponse<String> page = portal.get(pathOf(link));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        SetCookie cookie = Portal.setCookie(page, "xt_setup").orElseThrow();
        return portal.post("/account/setup", Map.of("csrf", Portal.csrfIn(page.body()), "token", tokenOf(link),
                "password", password, "confirmPassword", confirmation), cookie.pair());
    }

    @Test
    void anOwnerInvitesSomeoneWhoSetsAPasswordWithTheLinkShownOnceAndSignsIn() {
        Team team = team();
        String email = PortalServer.uniqueEmail("ada");

        HttpResponse<String> invited = post(team, "/accounts/invite", "email", email, "role", "ADMIN");

        assertThat(invited.statusCode()).isEqualTo(200);
        assertThat(invited.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(invited.body()).contains("Invitation for " + email).contains("Shown only now.")
                .contains("Xentracker sends no e-mail").doesNotContain("<script", "<style", "style=\"");
        URI link = linkIn(invited);
        assertThat(link.toString()).startsWith(server.server().baseUri() + "account/setup?token=");
        assertThat(portal.get("/accounts", team.session()).body()).as("the list, afterwards")
                .contains(email).contains("Invited").doesNotContain(tokenOf(link));

        HttpResponse<String> setupPage = portal.get(pathOf(link));
        assertThat(setupPage.statusCode()).isEqualTo(200);
        assertThat(setupPage.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(setupPage.body()).contains("Welcome to Xentracker").contains("value=\"" + email + "\"")
                .contains("name=\"token\" value=\"" + tokenOf(link) + "\"")
                .contains("<form method=\"post\" action=\"/account/setup\">");
        assertThat(Portal.setCookie(setupPage, "xt_setup").orElseThrow().attributes())
                .containsEntry("path", "/account/setup").containsEntry("samesite", "Strict")
                .containsKeys("httponly", "secure");

        HttpResponse<String> done = setPassword(link, NEW_PASSWORD, NEW_PASSWORD);

        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Your password is set").contains(email).contains("href=\"/login\"");
        String session = portal.signIn(email, NEW_PASSWORD);
        assertThat(portal.get("/settings", session).statusCode()).as("an administrator's page").isEqualTo(200);
        HttpResponse<String> again = portal.get(pathOf(link));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("used already").doesNotContain(tokenOf(link));
        assertThat(server.audit(team.organization(), "set-password-by-link")).singleElement()
                .extracting(AuditEntry::outcome).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void theSetupFormKeepsTheLinkUsableAfterDifferingOrShortPasswordsAndRefusesAPostWithoutItsCookie() {
        Team team = team();
        String email = PortalServer.uniqueEmail("grace");
        URI link = linkIn(post(team, "/accounts/invite", "email", email, "role", "VIEWER"));
        HttpResponse<String> page = portal.get(pathOf(link));

        HttpResponse<String> differing = setPassword(link, NEW_PASSWORD, NEW_PASSWORD + "!");
        HttpResponse<String> tooShort = setPassword(link, "short", "short");
        HttpResponse<String> withoutCookie = portal.post("/account/setup", Map.of("csrf", Portal.csrfIn(page.body()),
                "token", tokenOf(link), "password", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD));

        assertThat(differing.statusCode()).isEqualTo(400);
        assertThat(differing.body()).contains("The two passwords differ");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("between 12 and 1024 characters");
        assertThat(withoutCookie.statusCode()).isEqualTo(403);
        assertThat(setPassword(link, NEW_PASSWORD, NEW_PASSWORD).statusCode()).as("the link still works")
                .isEqualTo(200);
        assertThat(portal.signIn(email, NEW_PASSWORD)).startsWith("xt_session=");
    }

    @Test
    void anExpiredLinkOpensAPageThatSaysSo() {
        Team team = team();
        URI link = linkIn(post(team, "/accounts/invite", "email", PortalServer.uniqueEmail("late"), "role", "VIEWER"));

        server.clock().advance(Duration.ofDays(7));
        HttpResponse<String> page = portal.get(pathOf(link));

        assertThat(page.statusCode()).isEqualTo(409);
        assertThat(page.body()).contains("This link has expired; ask an owner of your organization for a new one.");
        assertThat(portal.get("/account/setup").statusCode()).as("without a token").isEqualTo(400);
    }

    @Test
    void theLinksTokenNeverReachesTheLog() {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(log, true, StandardCharsets.UTF_8);
        URI link;
        try {
            System.setOut(capture);
            System.setErr(capture);
            Team team = team();
            link = linkIn(post(team, "/accounts/invite", "email", PortalServer.uniqueEmail("quiet"), "role",
                    "VIEWER"));
            setPassword(link, NEW_PASSWORD, "differs from the first");
            setPassword(link, NEW_PASSWORD, NEW_PASSWORD);
            portal.get(pathOf(link));
            portal.post("/account/setup", Map.of("token", tokenOf(link)));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }

        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the capture works").contains("portal: account").contains("invited")
                .contains("set its password with a one-time link");
        assertThat(logged).doesNotContain(tokenOf(link));
    }

    @Test
    void anAuditorSeesTheAccountsWithoutFormsAndTheServerRefusesItsChanges() {
        Team team = team();
        Account admin = server.account(team.organization(), Role.ADMIN);
        Account auditor = server.account(team.organization(), Role.AUDITOR);
        String session = portal.signIn(auditor.email(), PASSWORD);

        HttpResponse<String> page = portal.get("/accounts", session);
        HttpResponse<String> disable = portal.post("/accounts/disable", Map.of("csrf", Portal.csrfIn(page.body()),
                "id", admin.id().toString()), session);
        HttpResponse<String> invite = portal.post("/accounts/invite", Map.of("csrf", Portal.csrfIn(page.body()),
                "email", PortalServer.uniqueEmail("x"), "role", "OWNER"), session);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(admin.email()).contains(team.owner().email())
                .contains("<td class=\"status\" data-status=\"active\" data-label=\"Status\">")
                .doesNotContain("action=\"/accounts/invite\"", "action=\"/accounts/disable\"",
                        "action=\"/accounts/role\"", "/accounts/delete");
        assertThat(disable.statusCode()).isEqualTo(403);
        assertThat(invite.statusCode()).isEqualTo(403);
        assertThat(stored(team, admin.id())).map(Account::status).contains(Account.Status.ACTIVE);
        assertThat(server.audit(team.organization(), "disable-account")).singleElement()
                .extracting(AuditEntry::outcome).isEqualTo(Outcome.DENIED);
    }

    @Test
    void administratorsAndViewersAreRefusedTheAccountsPageByTheServer() {
        Team team = team();
        for (Role role : new Role[] {Role.ADMIN, Role.VIEWER}) {
            String session = portal.signIn(server.account(team.organization(), role).email(), PASSWORD);

            HttpResponse<String> page = portal.get("/accounts", session);

            assertThat(page.statusCode()).as(role.name()).isEqualTo(403);
            assertThat(page.body()).as(role.name()).doesNotContain(team.owner().email())
                    .doesNotContain("href=\"/accounts\"");
        }
        assertThat(server.audit(team.organization(), "view-accounts"))
                .filteredOn(entry -> entry.outcome() == Outcome.DENIED).hasSize(2);
    }

    @Test
    void theNavigationOffersAccountsToOwnersAndAuditorsAndSettingsToAllButViewers() {
        Team team = team();
        String owner = portal.get("/settings", team.session()).body();
        String auditor = portal.get("/settings", portal.signIn(server.account(team.organization(), Role.AUDITOR)
                .email(), PASSWORD)).body();
        String admin = portal.get("/settings", portal.signIn(server.account(team.organization(), Role.ADMIN)
                .email(), PASSWORD)).body();
        String viewer = portal.get("/overview", portal.signIn(server.account(team.organization(), Role.VIEWER)
                .email(), PASSWORD)).body();

        assertThat(owner).contains("<a href=\"/accounts\">Accounts</a>")
                .contains("<a href=\"/settings\" aria-current=\"page\">Settings</a>");
        assertThat(auditor).contains("<a href=\"/accounts\">Accounts</a>").contains("href=\"/settings\"");
        assertThat(admin).doesNotContain("href=\"/accounts\"").contains("href=\"/settings\"");
        assertThat(viewer).doesNotContain("href=\"/accounts\"").doesNotContain("href=\"/settings\"");
    }

    @Test
    void aDisabledAccountsPortalSessionEndsAtOnceAndEnablingLetsItSignInAgain() {
        Team team = team();
        Account admin = server.account(team.organization(), Role.ADMIN);
        String adminSession = portal.signIn(admin.email(), PASSWORD);
        assertThat(portal.get("/devices", adminSession).statusCode()).isEqualTo(200);

        HttpResponse<String> disabled = post(team, "/accounts/disable", "id", admin.id().toString());

        assertThat(disabled.statusCode()).isEqualTo(303);
        assertThat(disabled.headers().firstValue("Location")).hasValue("/accounts?done=disabled");
        assertThat(portal.get("/accounts?done=disabled", team.session()).body())
                .contains("The account was disabled. Its sessions ended at once.")
                .contains("<td class=\"status\" data-status=\"disabled\" data-label=\"Status\">");
        HttpResponse<String> next = portal.get("/devices", adminSession);
        assertThat(next.statusCode()).as("its next request").isEqualTo(303);
        assertThat(next.headers().firstValue("Location")).hasValue("/login");
        assertThat(portal.submitLogin(admin.email(), PASSWORD).statusCode()).isEqualTo(401);

        assertThat(post(team, "/accounts/enable", "id", admin.id().toString()).statusCode()).isEqualTo(303);
        assertThat(portal.signIn(admin.email(), PASSWORD)).startsWith("xt_session=");
    }

    @Test
    void aRoleChangedInThePortalAppliesToTheAccountsNextRequest() {
        Team team = team();
        Account admin = server.account(team.organization(), Role.ADMIN);
        String adminSession = portal.signIn(admin.email(), PASSWORD);
        assertThat(portal.get("/accounts", adminSession).statusCode()).isEqualTo(403);

        HttpResponse<String> changed = post(team, "/accounts/role", "id", admin.id().toString(), "role", "AUDITOR");

        assertThat(changed.statusCode()).isEqualTo(303);
        assertThat(portal.get("/accounts", adminSession).statusCode()).as("the same session").isEqualTo(200);
        assertThat(stored(team, admin.id())).map(Account::role).contains(Role.AUDITOR);
    }

    @Test
    void deletingTakesAConfirmationStep() {
        Team team = team();
        Account viewer = server.account(team.organization(), Role.VIEWER);

        HttpResponse<String> confirm = portal.get("/accounts/delete?id=" + viewer.id(), team.session());
        HttpResponse<String> unconfirmed = post(team, "/accounts/delete", "id", viewer.id().toString());

        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("Delete " + viewer.email() + "?")
                .contains("<input type=\"hidden\" name=\"confirm\" value=\"yes\">");
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(stored(team, viewer.id())).isPresent();

        HttpResponse<String> deleted = post(team, "/accounts/delete", "id", viewer.id().toString(), "confirm", "yes");

        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(deleted.headers().firstValue("Location")).hasValue("/accounts?done=deleted");
        assertThat(stored(team, viewer.id())).isEmpty();
        assertThat(portal.get("/accounts", team.session()).body()).doesNotContain(viewer.email());
    }

    @Test
    void aPasswordResetShowsANewLinkOnceAndTheOldPasswordStopsAtOnce() {
        Team team = team();
        Account admin = server.account(team.organization(), Role.ADMIN);
        String adminSession = portal.signIn(admin.email(), PASSWORD);

        HttpResponse<String> reset = post(team, "/accounts/reset-password", "id", admin.id().toString());

        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(reset.body()).contains("New password for " + admin.email())
                .contains("The old password no longer works");
        URI link = linkIn(reset);
        assertThat(portal.get("/devices", adminSession).statusCode()).as("its session").isEqualTo(303);
        assertThat(portal.submitLogin(admin.email(), PASSWORD).statusCode()).as("the old password").isEqualTo(401);
        assertThat(portal.get(pathOf(link)).body()).contains("Choose a new password");
        assertThat(setPassword(link, NEW_PASSWORD, NEW_PASSWORD).statusCode()).isEqualTo(200);
        assertThat(portal.signIn(admin.email(), NEW_PASSWORD)).startsWith("xt_session=");
    }

    @Test
    void endingAnAccountsSessionsSignsItOutOfThePortal() {
        Team team = team();
        Account admin = server.account(team.organization(), Role.ADMIN);
        String adminSession = portal.signIn(admin.email(), PASSWORD);

        HttpResponse<String> ended = post(team, "/accounts/end-sessions", "id", admin.id().toString());

        assertThat(ended.headers().firstValue("Location")).hasValue("/accounts?done=sessions-ended");
        assertThat(portal.get("/devices", adminSession).statusCode()).isEqualTo(303);
        assertThat(portal.signIn(admin.email(), PASSWORD)).startsWith("xt_session=");
    }

    @Test
    void theLastOwnerCannotDisableThemselvesAndAnotherOrganizationsAccountIsUnknown() {
        Team team = team();
        Team other = team();

        HttpResponse<String> self = post(team, "/accounts/disable", "id", team.owner().id().toString());
        HttpResponse<String> foreign = post(team, "/accounts/disable", "id", other.owner().id().toString());
        HttpResponse<String> foreignConfirm = portal.get("/accounts/delete?id=" + other.owner().id(),
                team.session());

        assertThat(self.statusCode()).isEqualTo(409);
        assertThat(self.body()).contains("last active owner");
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreignConfirm.statusCode()).isEqualTo(404);
        assertThat(foreignConfirm.body()).doesNotContain(other.owner().email());
        assertThat(stored(team, team.owner().id())).map(Account::status).contains(Account.Status.ACTIVE);
        assertThat(stored(other, other.owner().id())).map(Account::status).contains(Account.Status.ACTIVE);
    }

    @Test
    void postsWithoutTheSessionsCsrfTokenChangeNothing() {
        Team team = team();
        Account admin = server.account(team.organization(), Role.ADMIN);
        String email = PortalServer.uniqueEmail("forged");

        HttpResponse<String> invite = portal.post("/accounts/invite", Map.of("email", email, "role", "OWNER"),
                team.session());
        HttpResponse<String> disable = portal.post("/accounts/disable", Map.of("csrf", "forged", "id",
                admin.id().toString()), team.session());
        HttpResponse<String> anonymous = portal.post("/accounts/disable", Map.of("csrf", team.csrf(), "id",
                admin.id().toString()));

        assertThat(invite.statusCode()).isEqualTo(403);
        assertThat(disable.statusCode()).isEqualTo(403);
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/login");
        assertThat(portal.get("/accounts", team.session()).body()).doesNotContain(email);
        assertThat(stored(team, admin.id())).map(Account::status).contains(Account.Status.ACTIVE);
    }
}
