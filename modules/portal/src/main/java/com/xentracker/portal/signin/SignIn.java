package com.xentracker.portal.signin;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.server.TooManyAttemptsException;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import com.xentracker.portal.session.SignedIn;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in and out: {@code GET /login} (the form), {@code POST /login} (fields {@value #EMAIL_FIELD},
 * {@value #PASSWORD_FIELD}, {@code csrf}), for accounts with two-factor sign-in {@code GET|POST /login/second-factor}
 * (field {@value #CODE_FIELD}, {@code csrf}; the server's challenge travels in a cookie, see {@link ChallengeCookie}),
 * and {@code POST /logout} (field {@code csrf}). The server checks the credentials and codes, throttles guessing per
 * account and per address, opens the session and audit-logs sign-in and sign-out; the portal only carries the tokens
 * in cookies. An address the server has paused gets a 429 page with {@code Retry-After}.
 */
public final class SignIn {

    public static final String EMAIL_FIELD = "email";
    public static final String PASSWORD_FIELD = "password";
    public static final String CODE_FIELD = "code";

    /** RFC 5321 caps an address at 254 characters; longer input is refused without asking the server. */
    private static final int MAX_EMAIL_LENGTH = 254;
    /** Far beyond any real password; bounds the work a request can cause in password hashing. */
    private static final int MAX_PASSWORD_LENGTH = 1024;
    /** A code or a recovery code, with spaces and hyphens; anything longer is neither. */
    private static final int MAX_CODE_LENGTH = 64;
    private static final String SIGN_IN_AGAIN = "The sign-in took too long or was refused. Please sign in again.";

    private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);

    private final com.xentracker.server.account.SignIn signIn;
    private final PortalSessions sessions;

    private SignIn(com.xentracker.server.account.SignIn signIn, PortalSessions sessions) {
        this.signIn = signIn;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        SignIn page = new SignIn(services.signIn(), sessions);
        routes.get(PortalPaths.LOGIN, page::form);
        routes.post(PortalPaths.LOGIN, page::signIn);
        routes.get(PortalPaths.LOGIN_SECOND_FACTOR, page::secondFactorForm);
        routes.post(PortalPaths.LOGIN_SECOND_FACTOR, page::secondFactor);
        routes.post(PortalPaths.LOGOUT, page::signOut);
    }

    private void form(Context ctx) {
        Optional<SignedIn> current = sessions.current(ctx);
        if (current.isPresent()) {
            Pages.redirect(ctx, Section.home(current.get().actor()));
            return;
        }
        Pages.render(ctx, HttpStatus.OK, "login.jte", LoginPage.blank(LoginTokens.issue(ctx)));
    }

    private void signIn(Context ctx) {
        String loginToken = LoginTokens.require(ctx);
        String email = Optional.ofNullable(ctx.formParam(EMAIL_FIELD)).map(String::strip).orElse("");
        String password = Optional.ofNullable(ctx.formParam(PASSWORD_FIELD)).orElse("");
        if (email.isEmpty() || password.isEmpty() || email.length() > MAX_EMAIL_LENGTH
                || password.length() > MAX_PASSWORD_LENGTH) {
            refused(ctx, email, loginToken);
            return;
        }
        char[] secret = password.toCharArray();
        com.xentracker.server.account.SignIn.Result result;
        try {
            // the client's address, for the server's throttle per address and the account's sign-in history
            result = signIn.withPassword(email, secret, ctx.ip());
        } catch (TooManyAttemptsException e) {
            throttled(ctx, e);
            return;
        } finally {
            // The String from the form cannot be wiped; the copy handed to the server can.
            Arrays.fill(secret, '\0');
        }
        if (result instanceof com.xentracker.server.account.SignIn.SecondFactorRequired required) {
            ChallengeCookie.set(ctx, required.challenge());
            Pages.redirect(ctx, PortalPaths.LOGIN_SECOND_FACTOR);
            return;
        }
        if (result instanceof com.xentracker.server.account.SignIn.SignedIn signedIn) {
            signedIn(ctx, signedIn);
            return;
        }
        refused(ctx, email, loginToken);
    }

    private void secondFactorForm(Context ctx) {
        Optional<SignedIn> current = sessions.current(ctx);
        if (current.isPresent()) {
            Pages.redirect(ctx, Section.home(current.get().actor()));
            return;
        }
        if (ChallengeCookie.read(ctx).isEmpty()) {
            Pages.redirect(ctx, PortalPaths.LOGIN);
            return;
        }
        Pages.render(ctx, HttpStatus.OK, "second-factor.jte",
                new SecondFactorPage(LoginTokens.issue(ctx), Optional.empty()));
    }

    private void secondFactor(Context ctx) {
        String loginToken = LoginTokens.require(ctx);
        Optional<String> challenge = ChallengeCookie.read(ctx);
        String code = Optional.ofNullable(ctx.formParam(CODE_FIELD)).orElse("");
        if (challenge.isEmpty()) {
            signInAgain(ctx, loginToken);
            return;
        }
        if (code.isBlank() || code.length() > MAX_CODE_LENGTH) {
            Pages.render(ctx, HttpStatus.UNAUTHORIZED, "second-factor.jte",
                    new SecondFactorPage(loginToken, Optional.of(SecondFactorPage.WRONG_CODE)));
            return;
        }
        com.xentracker.server.account.SignIn.Result result;
        try {
            result = signIn.withSecondFactor(challenge.get(), code, ctx.ip());
        } catch (TooManyAttemptsException e) {
            throttled(ctx, e);
            return;
        }
        if (result instanceof com.xentracker.server.account.SignIn.SignedIn signedIn) {
            ChallengeCookie.clear(ctx);
            signedIn(ctx, signedIn);
        } else if (result instanceof com.xentracker.server.account.SignIn.SecondFactorRequired again) {
            // a wrong code: the server counted it and handed out a new challenge for the next try
            LOG.info("portal second factor refused");
            ChallengeCookie.set(ctx, again.challenge());
            Pages.render(ctx, HttpStatus.UNAUTHORIZED, "second-factor.jte",
                    new SecondFactorPage(loginToken, Optional.of(SecondFactorPage.WRONG_CODE)));
        } else {
            signInAgain(ctx, loginToken);
        }
    }

    private void signedIn(Context ctx, com.xentracker.server.account.SignIn.SignedIn signedIn) {
        sessions.open(ctx, signedIn);
        LoginTokens.clear(ctx);
        LOG.info("portal sign-in by account {}", signedIn.actor().accountId().orElseThrow());
        Pages.redirect(ctx, Section.home(signedIn.actor()));
    }

    /** The challenge is gone (used, expired) or the account was locked meanwhile: back to the password. */
    private static void signInAgain(Context ctx, String loginToken) {
        LOG.info("portal second factor refused; the challenge is gone");
        ChallengeCookie.clear(ctx);
        Pages.render(ctx, HttpStatus.UNAUTHORIZED, "login.jte",
                new LoginPage("", loginToken, Optional.of(SIGN_IN_AGAIN)));
    }

    /**
     * The server paused sign-in from this address: a page that says how long to wait, 429 with Retry-After (in whole
     * seconds, rounded up) for clients that read it.
     */
    private static void throttled(Context ctx, TooManyAttemptsException e) {
        LOG.info("portal sign-in refused: the address is paused");
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        Pages.render(ctx, HttpStatus.TOO_MANY_REQUESTS, "throttled.jte", new ThrottledPage(e.retryAfter()));
        ctx.header("Retry-After", Long.toString(seconds));
    }

    /**
     * The server audit-logs the failure when the email belongs to an account, and locks the account after five
     * failures in a row. The answer does not say which happened (by design, so that sign-in reveals nothing). No email
     * or address in the log: both are personal data.
     */
    private static void refused(Context ctx, String email, String loginToken) {
        LOG.info("portal sign-in refused");
        Pages.render(ctx, HttpStatus.UNAUTHORIZED, "login.jte",
                LoginPage.wrongCredentials(email.length() <= MAX_EMAIL_LENGTH ? email : "", loginToken));
    }

    private void signOut(Context ctx) {
        sessions.current(ctx).ifPresent(signedIn -> sessions.requireCsrf(ctx, signedIn));
        // Without a live session there is nothing to protect: just drop whatever cookie is left. The server audits
        // the sign-out of a live one.
        sessions.close(ctx);
        Pages.redirect(ctx, PortalPaths.LOGIN);
    }
}
