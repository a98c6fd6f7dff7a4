package com.xentracker.portal.page;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rendering and the HTTP headers every portal response carries. Templates are precompiled jte classes rendered
 * through Javalin's file renderer, with HTML escaping of every {@code ${...}} by jte.
 */
public final class Pages {

    private static final Logger LOG = LoggerFactory.getLogger(Pages.class);

    /*
     * default-src 'self' is the baseline: no inline script or style, no third-party resources. form-action and
     * frame-ancestors do not fall back to default-src, so they are spelled out (no posting forms elsewhere after an
     * injection, no framing); base-uri 'none' stops a relative-URL hijack through an injected <base>.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private Pages() {
    }

    /** Installs the template renderer, the stylesheet route and the error page for {@link PortalException}. */
    public static void install(JavalinConfig config) {
        // Javalin 7 has one file renderer per server: the portal owns it (the server renders no HTML).
        TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
        config.fileRenderer((template, model, ctx) -> {
            StringOutput output = new StringOutput();
            engine.render(template, Collections.unmodifiableMap(model), output);
            return output.toString();
        });
        // Served from the module, same origin: default-src 'self' allows it, and no inline style is needed.
        byte[] stylesheet = stylesheet();
        config.routes.get(PortalPaths.STYLESHEET, ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.contentType("text/css; charset=utf-8");
            ctx.result(stylesheet);
        });
        // Only portal code throws PortalException, so this handler cannot catch anything of the server's.
        config.routes.exception(PortalException.class, (e, ctx) -> {
            LOG.info("portal refused {} {}: {} {}", ctx.method(), ctx.path(), e.status().getCode(), e.getMessage());
            render(ctx, e.status(), "error.jte",
                    new ErrorPage(Frame.anonymous(e.status().getMessage()), e.status().getCode(), e.getMessage()));
        });
    }

    /**
     * Renders {@code template} (whose single parameter is named {@code page}) with the portal's security headers.
     * Every portal page is {@code no-store}: they show personal data or carry CSRF tokens, neither of which belongs
     * in a shared or back-button cache.
     */
    public static void render(Context ctx, HttpStatus status, String template, Object page) {
        secureHeaders(ctx);
        ctx.status(status);
        ctx.render(template, Map.of("page", page));
        // Javalin sends a bare text/html; say the charset in the header too, not only in the page's <meta>.
        ctx.contentType("text/html; charset=utf-8");
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
