package com.xentracker.portal.session;

import com.xentracker.portal.page.PortalException;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * CSRF protection for a form posted before there is a session to bind a token to (double submit): the GET that shows
 * the form sets a random token in a cookie and in the form's {@value PortalSessions#CSRF_FIELD} field, and the POST
 * must present both, equal. The cookie is SameSite=Strict and limited to the form's path, so a cross-site post arrives
 * without it, and it goes nowhere else.
 */
public final class FormTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 random bytes, base64url without padding. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final String cookie;
    private final String path;
    private final String refusal;

    private FormTokens(String cookie, String path, String refusal) {
        this.cookie = cookie;
        this.path = path;
        this.refusal = refusal;
    }

    /**
     * @param cookie  the cookie's name
     * @param path    the form's path (GET and POST), the cookie's Path
     * @param refusal what a refused post is told (a sentence for the page)
     */
    public static FormTokens of(String cookie, String path, String refusal) {
        return new FormTokens(Objects.requireNonNull(cookie, "cookie"), Objects.requireNonNull(path, "path"),
                Objects.requireNonNull(refusal, "refusal"));
    }

    /** The token for a new form; an existing one is kept so that two open tabs of the form both work. */
    public String issue(Context ctx) {
        String existing = ctx.cookie(cookie);
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
    public String require(Context ctx) {
        String value = ctx.cookie(cookie);
        String field = ctx.formParam(PortalSessions.CSRF_FIELD);
        if (value == null || field == null || !WELL_FORMED.matcher(value).matches()
                || !MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII),
                        field.getBytes(StandardCharsets.US_ASCII))) {
            throw PortalException.forbidden(refusal);
        }
        return value;
    }

    /** Drops the token once the form has served. */
    public void clear(Context ctx) {
        ctx.cookie(cookie("", 0));
    }

    private Cookie cookie(String value, int maxAge) {
        // HttpOnly, Secure, Strict as for the session cookie
        return new Cookie(cookie, value, path, maxAge, true, true, null, SameSite.STRICT);
    }
}
