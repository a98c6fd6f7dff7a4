package com.xentracker.portal.signin;

import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.session.PortalSessions;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * CSRF protection for the sign-in form, which is posted before there is a session to bind a token to (login CSRF:
 * a foreign site signing the browser in to the attacker's account). GET /login sets a random token in the
 * {@value #COOKIE} cookie and in the form; POST /login must present both, equal. The cookie is SameSite=Strict, so
 * a cross-site post arrives without it.
 */
final class LoginTokens {

    static final String COOKIE = "xt_login";

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 random bytes, base64url without padding. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");

    private LoginTokens() {
    }

    /** The token for a new sign-in form; an existing one is kept so that two open sign-in tabs both work. */
    static String issue(Context ctx) {
        String existing = ctx.cookie(COOKIE);
        if (existing != null && WELL_FORMED.matcher(existing).matches()) {
            return existing;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ctx.cookie(cookie(token, -1));
        return token;
    }

    /** The request's token, after checking the form carries the same one; 403 otherwise. */
    static String require(Context ctx) {
        String cookie = ctx.cookie(COOKIE);
        String field = ctx.formParam(PortalSessions.CSRF_FIELD);
        if (cookie == null || field == null || !WELL_FORMED.matcher(cookie).matches()
                || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
                        field.getBytes(StandardCharsets.US_ASCII))) {
            throw PortalException.forbidden(
                    "The sign-in form has expired or did not come from this portal. Please open it again.");
        }
        return cookie;
    }

    /** Drops the token once it has served: the next sign-in form gets a new one. */
    static void clear(Context ctx) {
        ctx.cookie(cookie("", 0));
    }

    private static Cookie cookie(String value, int maxAge) {
        // Path=/login: the browser sends it nowhere else. HttpOnly, Secure, Strict as for the session cookie.
        return new Cookie(COOKIE, value, PortalPaths.LOGIN, maxAge, true, true, null, SameSite.STRICT);
    }
}
