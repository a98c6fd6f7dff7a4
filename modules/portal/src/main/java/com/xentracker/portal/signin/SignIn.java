package com.xentracker.portal.signin;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.Accounts;
import com.xentracker.server.audit.AuditLog;
import com.xentracker.server.spi.ServerServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing in and out: {@code GET /login} (the form), {@code POST /login} (fields {@value #EMAIL_FIELD},
 * {@value #PASSWORD_FIELD}, {@code csrf}) and {@code POST /logout} (field {@code csrf}).
 */
public final class SignIn {

    public static final String EMAIL_FIELD = "email";
    public static final String PASSWORD_FIELD = "password";

    /** Audit actions. The subject names the front end, never the email. */
    static final String SIGN_IN = "sign-in";
    static final String SIGN_OUT = "sign-out";
    private static final String SUBJECT = "portal";

    /** RFC 5321 caps an address at 254 characters; longer input is refused without asking the server. */
    private static final int MAX_EMAIL_LENGTH = 254;
    /** Far beyond any real password; bounds the work a request can cause in password hashing. */
    private static final int MAX_PASSWORD_LENGTH = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);

    private final Accounts accounts;
    private final AuditLog audit;
    private final PortalSessions sessions;

    private SignIn(Accounts accounts, AuditLog audit, PortalSessions sessions) {
        this.accounts = accounts;
        this.audit = audit;
        this.sessions = sessions;
    }

    public static void install(RoutesConfig routes, ServerServices services, PortalSessions sessions) {
        SignIn signIn = new SignIn(services.accounts(), services.audit(), sessions);
        routes.get(PortalPaths.LOGIN, signIn::form);
        routes.post(PortalPaths.LOGIN, signIn::signIn);
        routes.post(PortalPaths.LOGOUT, signIn::signOut);
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
        Optional<Account> account = authenticate(email, Optional.ofNullable(ctx.formParam(PASSWORD_FIELD)).orElse(""));
        if (account.isEmpty()) {
            /*
             * The server audit-logs the failure when the email belongs to an account, and locks the account after
             * five failures in a row (in the database, so across all nodes). The SPI does not say which happened
             * (by design, so that sign-in reveals nothing). No email or address in the log: both are personal data.
             */
            LOG.info("portal sign-in refused");
            Pages.render(ctx, HttpStatus.UNAUTHORIZED, "login.jte",
                    LoginPage.wrongCredentials(email.length() <= MAX_EMAIL_LENGTH ? email : "", loginToken));
            return;
        }
        Account signedIn = account.get();
        // Audit before the session exists: if the audit log cannot record the sign-in, there is no sign-in.
        audit.record(signedIn.organizationId(), signedIn.id(), SIGN_IN, SUBJECT);
        sessions.open(ctx, signedIn);
        LoginTokens.clear(ctx);
        LOG.info("portal sign-in by account {}", signedIn.id());
        Pages.redirect(ctx, PortalPaths.DASHBOARD);
    }

    private Optional<Account> authenticate(String email, String password) {
        if (email.isEmpty() || password.isEmpty()
                || email.length() > MAX_EMAIL_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            return Optional.empty();
        }
        char[] secret = password.toCharArray();
        try {
            return accounts.authenticate(email, secret);
        } finally {
            // The String from the form cannot be wiped; the copy handed to the server can.
            Arrays.fill(secret, '\0');
        }
    }

    private void signOut(Context ctx) {
        Optional<SignedIn> signedIn = sessions.current(ctx);
        if (signedIn.isPresent()) {
            sessions.requireCsrf(ctx, signedIn.get());
            Account account = signedIn.get().account();
            audit.record(account.organizationId(), account.id(), SIGN_OUT, SUBJECT);
        }
        // Without a live session there is nothing to protect: just drop whatever cookie is left.
        sessions.close(ctx);
        Pages.redirect(ctx, PortalPaths.LOGIN);
    }
}
