package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.portal.Portal.LoginForm;
import com.xentracker.portal.Portal.SetCookie;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.organization.Organization;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signing in and out through the portal, against the real server. */
class SignInTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private final Portal portal = server.portal();

    private Account account(Organization organization) {
        return server.account(organization, Role.ADMIN);
    }

    @Test
    void loginPageRendersTheFormWithEmailPasswordAndCsrfFields() {
        HttpResponse<String> response = portal.get("/login");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").map(type -> type.replace(" ", "")))
                .hasValue("text/html;charset=utf-8");
        assertThat(response.body())
                .contains("<form method=\"post\" action=\"/login\">")
                .contains("name=\"email\"", "name=\"password\"", "type=\"password\"")
                .doesNotContain("is wrong");
        SetCookie loginCookie = Portal.setCookie(response, "xt_login").orElseThrow();
        assertThat(Portal.csrfIn(response.body())).isEqualTo(loginCookie.value()).hasSize(43);
        assertThat(loginCookie.attributes()).containsKeys("httponly", "secure").containsEntry("samesite", "Strict");
    }

    @Test
    void wrongPasswordIsRefusedWith401AndNoSessionAndTheServerAuditsTheFailure() {
        Organization organization = server.newOrganization();
        Account account = account(organization);

        HttpResponse<String> response = portal.submitLogin(account.email(), "wrong password, long enough");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("The email or password is wrong.")
                .contains("value=\"" + account.email() + "\"");
        assertThat(Portal.setCookie(response, "xt_session")).isEmpty();
        assertThat(server.audit(organization, "sign-in-failed")).singleElement()
                .satisfies(entry -> assertThat(entry.actorKind()).isEqualTo(ActorKind.ANONYMOUS))
                .satisfies(entry -> assertThat(entry.subject().text()).contains(account.id().toString()));
        assertThat(server.audit(organization, "sign-in")).isEmpty();
    }

    @Test
    void unknownEmailGetsTheSameAnswerAsAWrongPassword() {
        Account account = account(server.newOrganization());

        HttpResponse<String> wrongPassword = portal.submitLogin(account.email(), "wrong password, long enough");
        HttpResponse<String> unknownEmail = portal.submitLogin("nobody@example.org", PASSWORD);

        assertThat(unknownEmail.statusCode()).isEqualTo(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(unknownEmail.body().replace("nobody@example.org", account.email())
                .replace(Portal.csrfIn(unknownEmail.body()), "token"))
                .isEqualTo(wrongPassword.body().replace(Portal.csrfIn(wrongPassword.body()), "token"));
    }

    @Test
    void emailShownAgainAfterAFailedSignInIsEscaped() {
        HttpResponse<String> response = portal.submitLogin("\"><script>alert(1)</script>", PASSWORD);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body())
                .contains("value=\"&#34;>&lt;script>alert(1)&lt;/script>\"")
                .doesNotContain("<script");
    }

    @Test
    void rightPasswordSetsAStrictSecureHttpOnlySessionCookieAndRedirectsToTheDashboard() {
        Organization organization = server.newOrganization();
        Account account = account(organization);

        HttpResponse<String> response = portal.submitLogin(account.email(), PASSWORD);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/overview");
        SetCookie session = Portal.setCookie(response, "xt_session").orElseThrow();
        assertThat(server.services().sessions().resolve(session.value()))
                .hasValueSatisfying(actor -> assertThat(actor.accountId()).contains(account.id()));
        assertThat(session.attributes())
                .containsKeys("httponly", "secure")
                .containsEntry("samesite", "Strict")
                .containsEntry("path", "/")
                .doesNotContainKeys("max-age", "expires", "domain");
        // The one-time sign-in token is dropped once used.
        assertThat(Portal.setCookie(response, "xt_login").orElseThrow().deletes()).isTrue();
        // the server, not the portal, writes the one entry, with the account as the actor
        assertThat(server.audit(organization, "sign-in")).singleElement()
                .extracting(AuditEntry::actorKind, AuditEntry::actorAccount)
                .containsExactly(ActorKind.ACCOUNT, java.util.Optional.of(account.id()));
    }

    @Test
    void signInWithoutTheFormsCsrfTokenIsForbiddenAndNeverReachesTheServer() {
        Organization organization = server.newOrganization();
        Account account = account(organization);
        LoginForm form = portal.openLoginForm();

        HttpResponse<String> noToken = portal.post("/login", Map.of("email", account.email(), "password", PASSWORD),
                form.cookie());
        HttpResponse<String> noCookie = portal.post("/login",
                Map.of("email", account.email(), "password", PASSWORD, "csrf", form.csrf()));
        HttpResponse<String> otherToken = portal.post("/login", Map.of("email", account.email(), "password",
                PASSWORD, "csrf", portal.openLoginForm().csrf()), form.cookie());

        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noCookie.statusCode()).isEqualTo(403);
        assertThat(otherToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("did not come from this portal");
        assertThat(server.audit(organization, "sign-in")).isEmpty();
        assertThat(server.audit(organization, "sign-in-failed")).isEmpty();
    }

    @Test
    void signedInVisitorOfTheLoginPageIsSentToTheDashboard() {
        Account account = account(server.newOrganization());
        String session = portal.signIn(account.email(), PASSWORD);

        HttpResponse<String> response = portal.get("/login", session);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/overview");
    }

    @Test
    void signingInAgainReplacesTheBrowsersOldSession() {
        Account account = account(server.newOrganization());
        String oldSession = portal.signIn(account.email(), PASSWORD);
        LoginForm form = portal.openLoginForm();

        HttpResponse<String> response = portal.post("/login",
                Map.of("email", account.email(), "password", PASSWORD, "csrf", form.csrf()), form.cookie(),
                oldSession);

        String newSession = Portal.setCookie(response, "xt_session").orElseThrow().pair();
        assertThat(newSession).isNotEqualTo(oldSession);
        assertThat(portal.get("/overview", oldSession).statusCode()).isEqualTo(303);
        assertThat(portal.get("/overview", newSession).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutEndsTheSessionOnTheServerClearsTheCookieAndIsAudited() {
        Organization organization = server.newOrganization();
        Account account = account(organization);
        String session = portal.signIn(account.email(), PASSWORD);
        String csrf = Portal.csrfIn(portal.get("/overview", session).body());

        HttpResponse<String> response = portal.post("/logout", Map.of("csrf", csrf), session);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/login");
        SetCookie cleared = Portal.setCookie(response, "xt_session").orElseThrow();
        assertThat(cleared.deletes()).isTrue();
        assertThat(cleared.attributes()).containsEntry("path", "/").containsKeys("httponly", "secure");
        assertThat(server.services().sessions().resolve(session.substring("xt_session=".length()))).isEmpty();
        assertThat(portal.get("/overview", session).headers().firstValue("Location")).hasValue("/login");
        assertThat(server.audit(organization, "sign-out")).singleElement()
                .extracting(AuditEntry::actorAccount).isEqualTo(java.util.Optional.of(account.id()));
    }

    @Test
    void logoutWithoutTheSessionsCsrfTokenIsForbiddenAndKeepsTheSession() {
        Organization organization = server.newOrganization();
        Account account = account(organization);
        Account other = account(organization);
        String session = portal.signIn(account.email(), PASSWORD);
        String otherSession = portal.signIn(other.email(), PASSWORD);
        String otherCsrf = Portal.csrfIn(portal.get("/overview", otherSession).body());

        HttpResponse<String> noToken = portal.post("/logout", Map.of(), session);
        HttpResponse<String> otherSessionsToken = portal.post("/logout", Map.of("csrf", otherCsrf), session);

        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(otherSessionsToken.statusCode()).isEqualTo(403);
        assertThat(Portal.setCookie(noToken, "xt_session")).isEmpty();
        assertThat(server.audit(organization, "sign-out")).isEmpty();
        assertThat(portal.get("/overview", session).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutWithoutALiveSessionJustDropsTheCookie() {
        HttpResponse<String> response = portal.post("/logout", Map.of(), "xt_session=expired-or-made-up");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/login");
        assertThat(Portal.setCookie(response, "xt_session").orElseThrow().deletes()).isTrue();
    }

    @Test
    void aSessionEndsAfterTwelveHoursOnTheServersClock() {
        Account account = account(server.newOrganization());
        String session = portal.signIn(account.email(), PASSWORD);

        server.clock().advance(java.time.Duration.ofHours(12));

        assertThat(portal.get("/overview", session).headers().firstValue("Location")).hasValue("/login");
    }
}
