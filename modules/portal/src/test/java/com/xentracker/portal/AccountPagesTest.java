package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.portal.Portal.LoginForm;
import com.xentracker.portal.Portal.SetCookie;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The account page and the second sign-in step, end to end over HTTPS against the real server: setting up
 * two-factor sign-in with the QR code, the recovery codes shown once, signing in with a code or a recovery code,
 * changing the password, and an organization that requires two-factor sign-in.
 */
class AccountPagesTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final Pattern SECRET = Pattern.compile("<code class=\"secret\">([A-Z2-7 ]+)</code>");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<li><code>([a-z2-7-]+)</code></li>");
    private static final String NEW_PASSWORD = "another correct horse battery";

    private final Portal portal = server.portal();

    /** A browser that has signed in: its session cookie and the page's CSRF token. */
    private record Browser(String session, String csrf) {
    }

    private Browser signedIn(Account account) {
        String session = portal.signIn(account.email(), PASSWORD);
        return new Browser(session, Portal.csrfIn(portal.get("/account", session).body()));
    }

    private HttpResponse<String> post(Browser browser, String path, Map<String, String> form) {
        Map<String, String> withCsrf = new java.util.HashMap<>(form);
        withCsrf.put("csrf", browser.csrf());
        return portal.post(path, withCsrf, browser.session());
    }

    /** Sets two-factor sign-in up through the pages; the app and the recovery codes shown. */
    private Enrolled setUp(Browser browser) {
        assertThat(post(browser, "/account/two-factor", Map.of()).headers().firstValue("Location"))
                .hasValue("/account");
        Authenticator app = Authenticator.fromBase32(secretIn(portal.get("/account", browser.session()).body()));
        HttpResponse<String> confirmed = post(browser, "/account/two-factor/confirm",
                Map.of("code", app.codeAt(server.clock().instant())));
        assertThat(confirmed.statusCode()).isEqualTo(200);
        // the step of the code just used is spent: the next sign-in needs the app's next code
        server.clock().advance(Duration.ofSeconds(30));
        return new Enrolled(app, codesIn(confirmed.body()));
    }

    private record Enrolled(Authenticator app, List<String> codes) {
    }

    private static String secretIn(String html) {
        Matcher matcher = SECRET.matcher(html);
        assertThat(matcher.find()).as("the secret for typing in %s", html).isTrue();
        return matcher.group(1);
    }

    private static List<String> codesIn(String html) {
        Matcher matcher = RECOVERY_CODE.matcher(html);
        List<String> codes = new ArrayList<>();
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    /** The password step of a fresh browser: its login cookie and the challenge cookie the portal set. */
    private record SecondStep(LoginForm form, String challenge, HttpResponse<String> response) {
    }

    private SecondStep password(Account account) {
        LoginForm form = portal.openLoginForm();
        HttpResponse<String> response = portal.post("/login",
                Map.of("email", account.email(), "password", PASSWORD, "csrf", form.csrf()), form.cookie());
        return new SecondStep(form, Portal.setCookie(response, "xt_challenge").map(SetCookie::pair).orElse(""),
                response);
    }

    private HttpResponse<String> code(SecondStep step, String code) {
        return portal.post("/login/second-factor", Map.of("code", code, "csrf", step.form().csrf()),
                step.form().cookie(), step.challenge());
    }

    @Test
    void theAccountPageIsLinkedFromTheHeaderAndShowsTheRoleAndRecentSignIns() {
        Account account = server.account(server.newOrganization(), Role.ADMIN);
        String session = portal.signIn(account.email(), PASSWORD);

        assertThat(portal.get("/overview", session).body())
                .contains("<a class=\"email\" href=\"/account\" title=\"Your account: " + account.email() + "\">"
                        + account.email() + "</a>");
        HttpResponse<String> page = portal.get("/account", session);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<dd class=\"account-email\">" + account.email() + "</dd>")
                .contains("<dd class=\"account-role\">Administrator</dd>")
                .contains("data-state=\"OFF\"")
                .contains("<td class=\"address\">127.0.0.1</td>", "<td class=\"outcome\">Signed in</td>")
                .contains("<time datetime=\"2026-11-29T")
                .contains("action=\"/account/two-factor\"", "action=\"/account/password\"");
    }

    @Test
    void settingUpShowsAnSvgQrCodeAndTheKeyAndTheRecoveryCodesOnlyOnce() {
        Account account = server.account(server.newOrganization(), Role.AUDITOR);
        Browser browser = signedIn(account);

        HttpResponse<String> begun = post(browser, "/account/two-factor", Map.of());
        assertThat(begun.statusCode()).isEqualTo(303);
        HttpResponse<String> page = portal.get("/account", browser.session());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).startsWith("default-src 'self'"));
        assertThat(page.body()).contains("<div class=\"qr\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\"")
                .contains("<path d=\"M4,4h1v1h-1z").contains("data-state=\"PENDING\"")
                .doesNotContain("style=").doesNotContain("<script").doesNotContain("otpauth://");
        String secret = secretIn(page.body());
        assertThat(secret).matches("[A-Z2-7]{4}( [A-Z2-7]{4}){7}");
        Authenticator app = Authenticator.fromBase32(secret);

        HttpResponse<String> wrong = post(browser, "/account/two-factor/confirm",
                Map.of("code", app.codeAt(server.clock().instant().plusSeconds(120))));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("The code is not the one the app shows now")
                .as("the same key again, to try once more").contains(secret);

        HttpResponse<String> confirmed = post(browser, "/account/two-factor/confirm",
                Map.of("code", app.codeAt(server.clock().instant())));

        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.headers().firstValue("Cache-Control")).hasValue("no-store");
        List<String> codes = codesIn(confirmed.body());
        assertThat(codes).hasSize(10).allMatch(code -> code.matches("[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]"));
        assertThat(confirmed.body()).contains("They are shown only now.").contains("data-state=\"ON\"")
                .doesNotContain("<svg");
        HttpResponse<String> later = portal.get("/account", browser.session());
        assertThat(codesIn(later.body())).as("never shown again").isEmpty();
        assertThat(later.body()).contains("<span class=\"codes-left\">10</span>").doesNotContain(secret);
    }

    @Test
    void signingInAsksForTheCodeOnASecondPageWithTheChallengeInAStrictCookie() {
        Organization organization = server.newOrganization();
        Account account = server.account(organization, Role.OWNER);
        Enrolled enrolled = setUp(signedIn(account));

        SecondStep step = password(account);

        assertThat(step.response().statusCode()).isEqualTo(303);
        assertThat(step.response().headers().firstValue("Location")).hasValue("/login/second-factor");
        assertThat(Portal.setCookie(step.response(), "xt_session")).as("no session yet").isEmpty();
        SetCookie challenge = Portal.setCookie(step.response(), "xt_challenge").orElseThrow();
        assertThat(challenge.attributes()).containsKeys("httponly", "secure").containsEntry("samesite", "Strict")
                .containsEntry("path", "/login").containsEntry("max-age", "300");
        HttpResponse<String> form = portal.get("/login/second-factor", step.form().cookie(), step.challenge());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("action=\"/login/second-factor\"").contains("autocomplete=\"one-time-code\"")
                .doesNotContain(challenge.value());

        HttpResponse<String> wrong = code(step, "000000".equals(enrolled.app().codeAt(server.clock().instant()))
                ? "111111" : "000000");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("That code is wrong or was used already.");
        SetCookie next = Portal.setCookie(wrong, "xt_challenge").orElseThrow();
        assertThat(next.value()).isNotEqualTo(challenge.value());

        String code = enrolled.app().codeAt(server.clock().instant());
        HttpResponse<String> signedIn = code(new SecondStep(step.form(), next.pair(), wrong), code);

        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/overview");
        String session = Portal.setCookie(signedIn, "xt_session").orElseThrow().pair();
        assertThat(Portal.setCookie(signedIn, "xt_challenge").orElseThrow().deletes()).isTrue();
        assertThat(portal.get("/overview", session).statusCode()).isEqualTo(200);
        assertThat(server.audit(organization, "sign-in-failed")).singleElement()
                .satisfies(entry -> assertThat(entry.subject().text()).endsWith("(second factor)"));

        HttpResponse<String> replay = code(password(account), code);
        assertThat(replay.statusCode()).as("the same code again").isEqualTo(401);
        HttpResponse<String> recovery = code(password(account), enrolled.codes().get(0));
        assertThat(recovery.statusCode()).as("a recovery code").isEqualTo(303);
        HttpResponse<String> recoveryAgain = code(password(account), enrolled.codes().get(0));
        assertThat(recoveryAgain.statusCode()).as("the recovery code again").isEqualTo(401);
        assertThat(portal.get("/account", session).body()).contains("Signed in with a recovery code", "Wrong code");
    }

    @Test
    void theSecondPageWithoutAChallengeSendsTheBrowserBackToThePassword() {
        LoginForm form = portal.openLoginForm();

        HttpResponse<String> page = portal.get("/login/second-factor", form.cookie());
        HttpResponse<String> posted = portal.post("/login/second-factor", Map.of("code", "123456", "csrf",
                form.csrf()), form.cookie(), "xt_challenge=" + "A".repeat(43));
        HttpResponse<String> noCsrf = portal.post("/login/second-factor", Map.of("code", "123456"), form.cookie(),
                "xt_challenge=" + "A".repeat(43));

        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).hasValue("/login");
        assertThat(posted.statusCode()).isEqualTo(401);
        assertThat(posted.body()).contains("Please sign in again.").contains("action=\"/login\"");
        assertThat(Portal.setCookie(posted, "xt_challenge").orElseThrow().deletes()).isTrue();
        assertThat(noCsrf.statusCode()).isEqualTo(403);
    }

    @Test
    void anOrganizationRequiringTwoFactorSendsAnOwnerWithoutItToTheAccountPageUntilItIsSetUp() {
        Organization organization = server.newOrganization();
        Account owner = server.account(organization, Role.OWNER);
        OrganizationSettings settings = server.services().organizations().settings(server.operator(organization));
        server.services().organizations().updateSettings(server.operator(organization),
                settings.withRequireTwoFactor(true));
        Browser browser = signedIn(owner);

        HttpResponse<String> dashboard = portal.get("/overview", browser.session());

        assertThat(dashboard.statusCode()).isEqualTo(303);
        assertThat(dashboard.headers().firstValue("Location")).hasValue("/account");
        assertThat(portal.get("/people", browser.session()).headers().firstValue("Location")).hasValue("/account");
        assertThat(portal.get("/account", browser.session()).body())
                .contains("Your organization requires two-factor sign-in for your role.");

        setUp(browser);

        assertThat(portal.get("/overview", browser.session()).statusCode()).isEqualTo(200);
        HttpResponse<String> account = portal.get("/account", browser.session());
        assertThat(account.body()).doesNotContain("Your organization requires two-factor sign-in for your role.")
                .contains("it cannot be turned off").doesNotContain("action=\"/account/two-factor/disable\"");
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndSignsOutTheOtherSessions() {
        Account account = server.account(server.newOrganization(), Role.VIEWER);
        Browser browser = signedIn(account);
        String other = portal.signIn(account.email(), PASSWORD);

        HttpResponse<String> wrongCurrent = post(browser, "/account/password", Map.of("currentPassword",
                "not my password at all", "newPassword", NEW_PASSWORD, "repeatedPassword", NEW_PASSWORD));
        HttpResponse<String> differing = post(browser, "/account/password", Map.of("currentPassword", PASSWORD,
                "newPassword", NEW_PASSWORD, "repeatedPassword", NEW_PASSWORD + "!"));
        HttpResponse<String> noCsrf = portal.post("/account/password", Map.of("currentPassword", PASSWORD,
                "newPassword", NEW_PASSWORD, "repeatedPassword", NEW_PASSWORD), browser.session());

        assertThat(wrongCurrent.statusCode()).isEqualTo(400);
        assertThat(wrongCurrent.body()).contains("The current password is wrong.");
        assertThat(differing.statusCode()).isEqualTo(400);
        assertThat(differing.body()).contains("The new password and its repetition differ.");
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(portal.get("/account", other).statusCode()).as("nothing changed yet").isEqualTo(200);

        HttpResponse<String> changed = post(browser, "/account/password", Map.of("currentPassword", PASSWORD,
                "newPassword", NEW_PASSWORD, "repeatedPassword", NEW_PASSWORD));

        assertThat(changed.statusCode()).isEqualTo(303);
        assertThat(changed.headers().firstValue("Location")).hasValue("/account?done=password");
        assertThat(portal.get("/account?done=password", browser.session()).body())
                .contains("Your password was changed. Your other sessions were signed out.");
        assertThat(portal.get("/account", other).headers().firstValue("Location")).hasValue("/login");
        assertThat(portal.submitLogin(account.email(), PASSWORD).statusCode()).isEqualTo(401);
        assertThat(portal.signIn(account.email(), NEW_PASSWORD)).startsWith("xt_session=");
    }

    @Test
    void newRecoveryCodesAndTurningItOffTakeACurrentCode() {
        Account account = server.account(server.newOrganization(), Role.ADMIN);
        Browser browser = signedIn(account);
        Enrolled enrolled = setUp(browser);

        HttpResponse<String> wrong = post(browser, "/account/recovery-codes", Map.of("code",
                "zzzzz-zzzzz-zzzzz-z"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("The code is wrong or was used already.");
        HttpResponse<String> renewed = post(browser, "/account/recovery-codes", Map.of("code",
                enrolled.codes().get(1)));
        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(codesIn(renewed.body())).hasSize(10).doesNotContainAnyElementsOf(enrolled.codes());

        HttpResponse<String> off = post(browser, "/account/two-factor/disable", Map.of("code",
                enrolled.app().codeAt(server.clock().instant())));

        assertThat(off.statusCode()).isEqualTo(303);
        assertThat(portal.get("/account?done=two-factor-off", browser.session()).body())
                .contains("Two-factor sign-in is off.").contains("data-state=\"OFF\"");
        assertThat(portal.submitLogin(account.email(), PASSWORD).headers().firstValue("Location"))
                .as("the password alone again").hasValue("/overview");
    }

    @Test
    void theAccountPagesNeedASession() {
        assertThat(portal.get("/account").headers().firstValue("Location")).hasValue("/login");
        assertThat(portal.post("/account/two-factor", Map.of("csrf", "x")).headers().firstValue("Location"))
                .hasValue("/login");
    }
}
