package com.xentracker.portal.signin;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in and out: {@code GET /login} (the form), {@code POST /login} (fields {@value #EMAIL_FIELD},
 * {@value #PASSWORD_FIELD}, {@code csrf}) and {@code POST /logout} (field {@code csrf}). The server checks the
 * credentials, throttles guessing, opens the session and audit-logs sign-in and sign-out; the portal only carries the
 * session token in a cookie.
 */
public final class SignIn {

    public static final String EMAIL_FIELD = "email";
    public static final String PASSWORD_FIELD = "password";

    /** RFC 5321 caps an address at 254 characters; longer input is refused without asking the server. */
    private static final int MAX_EMAIL_LENGTH = 254;
    /** Far beyond any real password; bounds the work a request can cause in password hashing. */
    private static final int MAX_PASSWORD_LENGTH = 1024;

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
        routes.post(PortalPaths.LOGOUT, page::signOut);
    }

    private void form(Context ctx) {
        if (sessions.current(ctx).isPresent()) {
            Pages.redirect(ctx, PortalPaths.DASHBOARD);
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
        } finally {
            // The String from the form cannot be wiped; the copy handed to the server can.
            Arrays.fill(secret, '\0');
        }
        if (result instanceof com.xentracker.server.account.SignIn.SignedIn signedIn) {
            sessions.open(ctx, signedIn);
            LoginTokens.clear(ctx);
            LOG.info("portal sign-in by account {}", signedIn.actor().accountId().orElseThrow());
            Pages.redirect(ctx, PortalPaths.DASHBOARD);
            return;
        }
        refused(ctx, email, loginToken);
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
