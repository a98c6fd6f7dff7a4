package com.xentracker.server.http;

import com.xentracker.server.InvalidRequestException;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * Refuses a request whose path, query string or form body holds a percent sign that does not start an escape of two
 * hex digits ({@code %uFFFF}, {@code %zz}, a trailing {@code %}), before anything decodes it.
 *
 * <p>Why: Jetty passes some of these through, and Javalin decodes path parameters, query strings and form bodies
 * with {@link java.net.URLDecoder}, which throws {@link IllegalArgumentException} on them; that surfaced as
 * {@code 500 internal-error} on the batch, certificate and key routes (a {@code %uFFFF} device id) and on every
 * portal form. A malformed request is the client's mistake: {@code 400 invalid-request}, checked once, here, for
 * every route, the web modules' too. Decoded bytes that are not UTF-8 are left to the decoder, which substitutes
 * them, and then to each parameter's own check (a device id is a UUID).
 */
final class RequestEscapes {

    private static final String FORM = "application/x-www-form-urlencoded";

    private RequestEscapes() {
    }

    /** Runs before every handler. */
    static void check(Context ctx) {
        if (!wellEscaped(ctx.req().getRequestURI())) {
            throw new InvalidRequestException("the request path has a malformed percent escape");
        }
        String query = ctx.queryString();
        if (query != null && !wellEscaped(query)) {
            throw new InvalidRequestException("the query string has a malformed percent escape");
        }
        String type = ctx.contentType();
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith(FORM) && !wellEscaped(ctx.body())) {
            throw new InvalidRequestException("the form has a malformed percent escape");
        }
    }

    /** Whether every {@code %} in {@code raw} is followed by two hex digits. */
    static boolean wellEscaped(String raw) {
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                    || Character.digit(raw.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
