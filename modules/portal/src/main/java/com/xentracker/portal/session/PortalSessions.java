package com.xentracker.portal.session;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.server.account.Sessions;
import com.xentracker.server.account.SignIn;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Objects;
import java.util.Optional;

/**
 * The portal's side of sessions: the {@value #COOKIE} cookie that carries the server's session token, and the
 * per-session CSRF token every signed-in form posts as {@value #CSRF_FIELD}.
 */
public final class PortalSessions {

    /** The session cookie. Its value is the opaque token from {@link Sessions#open}. */
    public static final String COOKIE = "xt_session";

    /** The form field that carries the CSRF token in every POST form. */
    public static final String CSRF_FIELD = "csrf";

    /** Longer than this cannot be a token from {@link Sessions#open}; not worth a database round trip. */
    private static final int MAX_TOKEN_LENGTH = 512;

    private final Sessions sessions;

    private PortalSessions(Sessions sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    public static PortalSessions of(Sessions sessions) {
        return new PortalSessions(sessions);
    }

    /** The signed-in actor of this request, if its session cookie names a live session. */
    public Optional<SignedIn> current(Context ctx) {
        return token(ctx).flatMap(token -> sessions.resolve(token)
                .map(actor -> new SignedIn(actor, CsrfTokens.forSession(token))));
    }

    /**
     * The signed-in actor of this request, for a page that needs one; when there is none, the request has been
     * answered with a redirect to the sign-in page and the result is empty.
     */
    public Optional<SignedIn> currentOrSignIn(Context ctx) {
        Optional<SignedIn> signedIn = current(ctx);
        if (signedIn.isEmpty()) {
            Pages.redirect(ctx, PortalPaths.LOGIN);
        }
        return signedIn;
    }

    /**
     * Refuses the request with 403 unless its {@value #CSRF_FIELD} form field is the CSRF token of its session. Call
     * it before any state change a signed-in form triggers.
     */
    public void requireCsrf(Context ctx, SignedIn signedIn) {
        if (!CsrfTokens.matches(signedIn.csrfToken(), ctx.formParam(CSRF_FIELD))) {
            throw PortalException.forbidden("The form has expired or did not come from this portal. Please try again.");
        }
    }

    /**
     * Sets the cookie of a session the server opened at sign-in. Any session the browser already had is closed first
     * (and a fresh token on every sign-in rules out session fixation).
     */
    public SignedIn open(Context ctx, SignIn.SignedIn session) {
        token(ctx).ifPresent(sessions::close);
        /*
         * HttpOnly: scripts cannot read the token. Secure: never sent over plain HTTP. SameSite=Strict: never sent
         * on cross-site requests, a second line of defence against CSRF. No Max-Age: the browser forgets it when it
         * closes; the server decides when the session itself expires.
         */
        ctx.cookie(new Cookie(COOKIE, session.sessionToken(), "/", -1, true, true, null, SameSite.STRICT));
        return new SignedIn(session.actor(), CsrfTokens.forSession(session.sessionToken()));
    }

    /** Signs out this request's session, if any (the server audits it), and tells the browser to drop the cookie. */
    public void close(Context ctx) {
        token(ctx).ifPresent(sessions::close);
        ctx.cookie(new Cookie(COOKIE, "", "/", 0, true, true, null, SameSite.STRICT));
    }

    private static Optional<String> token(Context ctx) {
        return Optional.ofNullable(ctx.cookie(COOKIE))
                .filter(token -> !token.isEmpty() && token.length() <= MAX_TOKEN_LENGTH);
    }
}
