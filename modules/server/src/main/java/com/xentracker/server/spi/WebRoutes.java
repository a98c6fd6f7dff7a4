package com.xentracker.server.spi;

import io.javalin.http.Handler;

/**
 * Where a {@link WebModule} adds its handlers: GET and POST on paths of its own. The server refuses, with
 * {@link IllegalArgumentException} at start-up, a path under {@code /api/} or another path the server serves
 * ({@code /healthz}, {@code /readyz}, {@code /metrics}), a catch-all or wildcard path, and a path another module or the
 * server took already. There is no way to add before/after handlers, exception handlers, renderers or anything else
 * global: a module's handlers see their own requests only and answer them completely (errors included).
 */
public interface WebRoutes {

    /** Adds a GET handler for {@code path} (path parameters as {@code {name}} are allowed). */
    WebRoutes get(String path, Handler handler);

    /** Adds a POST handler for {@code path}. */
    WebRoutes post(String path, Handler handler);
}
