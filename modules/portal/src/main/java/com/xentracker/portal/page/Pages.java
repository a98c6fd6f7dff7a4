package com.xentracker.portal.page;

import com.xentracker.server.NotSignedInException;
import com.xentracker.server.TooManyAttemptsException;
import com.xentracker.server.TwoFactorSetupRequiredException;
import com.xentracker.server.XentrackerServerException;
import com.xentracker.server.spi.WebRoutes;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rendering, the HTTP headers every portal response carries, and the portal's error pages. Templates are precompiled
 * jte classes with HTML escaping of every {@code ${...}} by jte, rendered by the portal itself (the server's routes
 * facade offers no global renderer, and none is needed).
 */
public final class Pages {

    private static final Logger LOG = LoggerFactory.getLogger(Pages.class);
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

    /*
     * default-src 'self' is the baseline: no inline script or style, no third-party resources. form-action and
     * frame-ancestors do not fall back to default-src, so they are spelled out (no posting forms elsewhere after an
     * injection, no framing); base-uri 'none' stops a relative-URL hijack through an injected <base>.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Pages() {
    }

    /**
     * Adds the stylesheet route (served from the module, same origin: default-src 'self' allows it) and the page for
     * addresses nobody serves: the portal's layout (with the navigation for someone signed in) and security headers,
     * instead of the server's plain text.
     *
     * @param viewer who is signed in on a request, for the frame of the not-found page
     */
    public static void install(WebRoutes routes, Function<Context, Optional<Frame.Viewer>> viewer) {
        routes.notFound(guarded(ctx -> error(ctx, viewer, HttpStatus.NOT_FOUND,
                "There is no page at this address. Check it for typing mistakes, or go on from the links above."),
                viewer));
        byte[] stylesheet = stylesheet();
        routes.get(PortalPaths.STYLESHEET, ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.contentType("text/css; charset=utf-8");
            ctx.result(stylesheet);
        });
    }

    /**
     * Wraps a page's handler so that every refusal gets a page: the portal's own {@link PortalException}s and the
     * server's answers (a session that ended → the sign-in page; two-factor sign-in required → the account page; not
     * permitted, not found, invalid → an error page with the server's status and message). Anything else is a bug:
     * logged, and a 500 page that says nothing more. {@code frame} makes the error page's frame for the request
     * (signed in or not).
     */
    public static Handler guarded(Handler handler, Function<Context, Optional<Frame.Viewer>> viewer) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (PortalException e) {
                LOG.info("portal refused {} {}: {} {}", ctx.method(), ctx.path(), e.status().getCode(),
                        e.getMessage());
                error(ctx, viewer, e.status(), e.getMessage());
            } catch (NotSignedInException e) {
                redirect(ctx, PortalPaths.LOGIN);
            } catch (TwoFactorSetupRequiredException e) {
                redirect(ctx, PortalPaths.ACCOUNT);
            } catch (XentrackerServerException e) {
                HttpStatus status = HttpStatus.forStatus(e.code().status());
                if (e.code().status() >= 500) {
                    LOG.error("{} {} failed on the server: {}", ctx.method(), ctx.path(), e.code().code(), e);
                    error(ctx, viewer, status, status == HttpStatus.SERVICE_UNAVAILABLE
                            ? "The server is busy or its database is unavailable. Please try again in a moment."
                            : "Something went wrong on the server. It has been logged.");
                } else {
                    LOG.info("server refused {} {}: {}", ctx.method(), ctx.path(), e.code().code());
                    error(ctx, viewer, status, sentence(e.getMessage()));
                    if (e instanceof TooManyAttemptsException throttled) {
                        ctx.header("Retry-After", Long.toString(Math.max(1, throttled.retryAfter().toSeconds())));
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, viewer, HttpStatus.INTERNAL_SERVER_ERROR,
                        "Something went wrong on the server. It has been logged.");
            }
        };
    }

    private static void error(Context ctx, Function<Context, Optional<Frame.Viewer>> viewer, HttpStatus status,
            String message) {
        String title = status.getMessage();
        Frame frame = safely(() -> viewer.apply(ctx)).flatMap(v -> v)
                .map(v -> Frame.of(title, v)).orElseGet(() -> Frame.anonymous(title));
        render(ctx, status, "error.jte", new ErrorPage(frame, status.getCode(), message));
    }

    private static <T> Optional<T> safely(java.util.function.Supplier<T> supplier) {
        try {
            return Optional.of(supplier.get());
        } catch (RuntimeException e) {
            return Optional.empty(); // an error page never fails for want of the viewer's name
        }
    }

    /** The server's messages are lower-case clauses; a page shows a sentence. */
    static String sentence(String message) {
        if (message == null || message.isEmpty()) {
            return "The request was refused.";
        }
        String first = message.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + message.substring(1);
        return first.endsWith(".") ? first : first + ".";
    }

    /**
     * Renders {@code template} (whose single parameter is named {@code page}) with the portal's security headers.
     * Every portal page is {@code no-store}: they show personal data or carry CSRF tokens, neither of which belongs
     * in a shared or back-button cache.
     */
    public static void render(Context ctx, HttpStatus status, String template, Object page) {
        StringOutput output = new StringOutput();
        ENGINE.render(template, Map.of("page", page), output);
        secureHeaders(ctx);
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(output.toString());
    }

    /** A 303 See Other (the browser follows it with GET, also after a POST). */
    public static void redirect(Context ctx, String location) {
        secureHeaders(ctx);
        ctx.redirect(location, HttpStatus.SEE_OTHER);
    }

    private static void secureHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
    }

    private static byte[] stylesheet() {
        try (InputStream in = Pages.class.getResourceAsStream("portal.css")) {
            if (in == null) {
                throw new IllegalStateException("portal.css missing from the portal module");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read portal.css", e);
        }
    }
}
