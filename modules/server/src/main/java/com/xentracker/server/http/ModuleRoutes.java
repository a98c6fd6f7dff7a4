package com.xentracker.server.http;

import com.xentracker.server.spi.WebRoutes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The {@link WebRoutes} a web module gets: GET and POST handlers on paths the server does not own, nothing else.
 * Checked here, at start-up, so that a module that tries to take an API path, a catch-all or another module's path
 * keeps the server from starting instead of quietly shadowing it.
 */
final class ModuleRoutes implements WebRoutes {

    /** Paths the server serves itself; {@code /api} and everything under it is the agent API's. */
    private static final Set<String> RESERVED = Set.of(HttpApi.HEALTHZ, HttpApi.READYZ, com.xentracker.server.metrics.MetricsEndpoint.PATH);
    /** Literal segments and {name} parameters only: no wildcards, no Javalin <greedy> parameters, no dot segments. */
    private static final Pattern PATH = Pattern.compile("/|(/([A-Za-z0-9._~-]+|\\{[A-Za-z][A-Za-z0-9-]*}))+");
    private static final int MAX_PATH = 200;

    private final String module;
    private final RoutesConfig routes;
    private final Set<String> taken;
    private final AtomicReference<Handler> notFound;

    /**
     * @param taken    method and path of every route registered so far (by the server and earlier modules)
     * @param notFound where the page for unknown paths goes, shared by all modules (one of them may set it)
     */
    ModuleRoutes(String module, RoutesConfig routes, Set<String> taken, AtomicReference<Handler> notFound) {
        this.module = module;
        this.routes = routes;
        this.taken = taken;
        this.notFound = notFound;
    }

    @Override
    public WebRoutes get(String path, Handler handler) {
        routes.get(claim("GET", path), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    @Override
    public WebRoutes post(String path, Handler handler) {
        routes.post(claim("POST", path), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    @Override
    public WebRoutes notFound(Handler handler) {
        if (!notFound.compareAndSet(null, Objects.requireNonNull(handler, "handler"))) {
            throw new IllegalStateException("web module " + module + ": the page for unknown paths is set already");
        }
        return this;
    }

    private String claim(String method, String path) {
        Objects.requireNonNull(path, "path");
        String lower = path.toLowerCase(Locale.ROOT);
        if (path.length() > MAX_PATH || !PATH.matcher(path).matches() || path.contains("/./")
                || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..")) {
            throw new IllegalArgumentException("web module " + module + ": " + method + " " + path
                    + " is not a plain path (literal segments and {parameters} only)");
        }
        if (lower.equals("/api") || lower.startsWith("/api/") || RESERVED.contains(lower)) {
            throw new IllegalArgumentException("web module " + module + ": " + method + " " + path
                    + " belongs to the server");
        }
        if (!taken.add(method + " " + lower)) {
            throw new IllegalArgumentException("web module " + module + ": " + method + " " + path
                    + " is taken already");
        }
        return path;
    }
}
