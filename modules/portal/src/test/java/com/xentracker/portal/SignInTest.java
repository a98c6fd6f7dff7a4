package com.xentracker.portal;

import static com.xentracker.portal.Portal.EMAIL;
import static com.xentracker.portal.Portal.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.portal.Portal.LoginForm;
import com.xentracker.portal.Portal.SetCookie;
import com.xentracker.portal.TestServices.RecordingAuditLog.Entry;
import com.xentracker.server.account.Account;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PortalFixture.class)
class SignInTest {

    @Test
    void loginPageRendersTheFormWithEmailPasswordAndCsrfFields(Portal portal) {
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
    void wrongPasswordIsRefusedWith401AndNoSession(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);

        HttpResponse<String> response = portal.submitLogin(EMAIL, "wrong");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("The email or password is wrong.")
                .contains("value=\"ada@example.org\"");
        assertThat(Portal.setCookie(response, "xt_session")).isEmpty();
        assertThat(portal.services.sessions.live).isEmpty();
        // The SPI does not tell the portal whether the email exists, so there is no known account to audit.
        assertThat(portal.services.audit.entries).isEmpty();
    }

    @Test
    void unknownEmailGetsTheSameAnswerAsAWrongPassword(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);

        HttpResponse<String> wrongPassword = portal.submitLogin(EMAIL, "wrong");
        HttpResponse<String> unknownEmail = portal.submitLogin("nobody@example.org", PASSWORD);

        assertThat(unknownEmail.statusCode()).isEqualTo(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(unknownEmail.body().replace("nobody@example.org", EMAIL)
                .replace(Portal.csrfIn(unknownEmail.body()), "token"))
                .isEqualTo(wrongPassword.body().replace(Portal.csrfIn(wrongPassword.body()), "token"));
    }

    @Test
    void emailShownAgainAfterAFailedSignInIsEscaped(Portal portal) {
        HttpResponse<String> response = portal.submitLogin("\"><script>alert(1)</script>", PASSWORD);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body())
                .contains("value=\"&#34;>&lt;script>alert(1)&lt;/script>\"")
                .doesNotContain("<script");
    }

    @Test
    void portalWipesItsCopyOfThePasswordAfterAuthenticating(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);

        portal.signIn(EMAIL, PASSWORD);

        assertThat(portal.services.accounts.passwordsSeen).singleElement()
                .satisfies(password -> assertThat(new String(password)).isEqualTo("\0".repeat(PASSWORD.length())));
    }

    @Test
    void rightPasswordSetsAStrictSecureHttpOnlySessionCookieAndRedirectsToTheDashboard(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);

        HttpResponse<String> response = portal.submitLogin(EMAIL, PASSWORD);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/dashboard");
        SetCookie session = Portal.setCookie(response, "xt_session").orElseThrow();
        assertThat(portal.services.sessions.live).containsOnlyKeys(session.value()).containsValue(account);
        assertThat(session.attributes())
                .containsKeys("httponly", "secure")
                .containsEntry("samesite", "Strict")
                .containsEntry("path", "/")
                .doesNotContainKeys("max-age", "expires", "domain");
        // The one-time sign-in token is dropped once used.
        assertThat(Portal.setCookie(response, "xt_login").orElseThrow().deletes()).isTrue();
        assertThat(portal.services.audit.entries).containsExactly(
                new Entry(account.organizationId(), account.id(), "sign-in", "portal"));
    }

    @Test
    void signInWithoutTheFormsCsrfTokenIsForbidden(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);
        LoginForm form = portal.openLoginForm();

        HttpResponse<String> noToken = portal.post("/login", Map.of("email", EMAIL, "password", PASSWORD), form.cookie());
        HttpResponse<String> noCookie = portal.post("/login",
                Map.of("email", EMAIL, "password", PASSWORD, "csrf", form.csrf()));
        HttpResponse<String> otherToken = portal.post("/login",
                Map.of("email", EMAIL, "password", PASSWORD, "csrf", portal.openLoginForm().csrf()), form.cookie());

        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noCookie.statusCode()).isEqualTo(403);
        assertThat(otherToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("did not come from this portal");
        assertThat(portal.services.accounts.passwordsSeen).isEmpty();
        assertThat(portal.services.sessions.live).isEmpty();
    }

    @Test
    void signedInVisitorOfTheLoginPageIsSentToTheDashboard(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);
        String session = portal.signIn(EMAIL, PASSWORD);

        HttpResponse<String> response = portal.get("/login", session);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/dashboard");
    }

    @Test
    void signingInAgainReplacesTheBrowsersOldSession(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);
        String oldSession = portal.signIn(EMAIL, PASSWORD);
        LoginForm form = portal.openLoginForm();

        HttpResponse<String> response = portal.post("/login",
                Map.of("email", EMAIL, "password", PASSWORD, "csrf", form.csrf()), form.cookie(), oldSession);

        String newSession = Portal.setCookie(response, "xt_session").orElseThrow().pair();
        assertThat(newSession).isNotEqualTo(oldSession);
        assertThat(portal.services.sessions.closed).containsExactly(oldSession.substring("xt_session=".length()));
        assertThat(portal.get("/dashboard", oldSession).statusCode()).isEqualTo(303);
        assertThat(portal.get("/dashboard", newSession).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutClosesTheSessionAndClearsTheCookie(Portal portal) {
        Account account = portal.services.accounts.add(EMAIL, PASSWORD);
        String session = portal.signIn(EMAIL, PASSWORD);
        String csrf = Portal.csrfIn(portal.get("/dashboard", session).body());

        HttpResponse<String> response = portal.post("/logout", Map.of("csrf", csrf), session);

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/login");
        SetCookie cleared = Portal.setCookie(response, "xt_session").orElseThrow();
        assertThat(cleared.deletes()).isTrue();
        assertThat(cleared.attributes()).containsEntry("path", "/").containsKeys("httponly", "secure");
        assertThat(portal.services.sessions.live).isEmpty();
        assertThat(portal.services.sessions.closed).containsExactly(session.substring("xt_session=".length()));
        assertThat(portal.get("/dashboard", session).headers().firstValue("Location")).hasValue("/login");
        assertThat(portal.services.audit.entries).last()
                .isEqualTo(new Entry(account.organizationId(), account.id(), "sign-out", "portal"));
    }

    @Test
    void logoutWithoutTheSessionsCsrfTokenIsForbiddenAndKeepsTheSession(Portal portal) {
        portal.services.accounts.add(EMAIL, PASSWORD);
        portal.services.accounts.add("grace@example.org", "another long password");
        String session = portal.signIn(EMAIL, PASSWORD);
        String otherSession = portal.signIn("grace@example.org", "another long password");
        String otherCsrf = Portal.csrfIn(portal.get("/dashboard", otherSession).body());

        HttpResponse<String> noToken = portal.post("/logout", Map.of(), session);
        HttpResponse<String> otherSessionsToken = portal.post("/logout", Map.of("csrf", otherCsrf), session);

        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(otherSessionsToken.statusCode()).isEqualTo(403);
        assertThat(Portal.setCookie(noToken, "xt_session")).isEmpty();
        assertThat(portal.services.sessions.closed).isEmpty();
        assertThat(portal.get("/dashboard", session).statusCode()).isEqualTo(200);
    }

    @Test
    void logoutWithoutALiveSessionJustDropsTheCookie(Portal portal) {
        HttpResponse<String> response = portal.post("/logout", Map.of(), "xt_session=expired-or-made-up");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/login");
        assertThat(Portal.setCookie(response, "xt_session").orElseThrow().deletes()).isTrue();
        assertThat(portal.services.audit.entries).isEmpty();
    }
}
