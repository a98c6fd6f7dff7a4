package com.xentracker.portal.signin;

import com.xentracker.portal.page.PortalPaths;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Carries the server's second-factor challenge between the two sign-in steps, in the {@value #COOKIE} cookie rather
 * than a hidden form field. The challenge stands for a right password for five minutes: in the page's HTML it could
 * be read by an injected script, saved with the page or kept in a back-button cache; in an HttpOnly cookie no script
 * reads it, SameSite=Strict keeps other sites from sending it, Path=/login keeps it off every other request, and
 * Max-Age drops it when the server would refuse it anyway. The form still carries the sign-in CSRF token.
 */
final class ChallengeCookie {

    static final String COOKIE = "xt_challenge";

    /** As long as the server's challenge lives (it counts from the password). */
    private static final int MAX_AGE_SECONDS = 5 * 60;
    /** 32 random bytes, base64url without padding, as the server makes them. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");

    private ChallengeCookie() {
    }

    static void set(Context ctx, String challenge) {
        ctx.cookie(cookie(challenge, MAX_AGE_SECONDS));
    }

    static Optional<String> read(Context ctx) {
        return Optional.ofNullable(ctx.cookie(COOKIE)).filter(value -> WELL_FORMED.matcher(value).matches());
    }

    static void clear(Context ctx) {
        ctx.cookie(cookie("", 0));
    }

    private static Cookie cookie(String value, int maxAge) {
        return new Cookie(COOKIE, value, PortalPaths.LOGIN, maxAge, true, true, null, SameSite.STRICT);
    }
}
