package com.xentracker.server.spi;

import io.javalin.http.Handler;

/**
 * Where a {@link WebModule} adds its handlers: GET and POST on paths of its own. The server refuses, with
 * {@link IllegalArgumentException} at start-up, a path under {@code /api/} or another path the server serves
 * ({@code /healthz}, {@code /readyz}, {@code /metrics}), a catch-all or wildcard path, and a path another module or the
 * server took already. There is no way to add before/after handlers, exception handlers, renderers or anything else
 * global: a module's handlers see their own requests only (and, for the one module that sets {@link #notFound}, the
 * requests to paths nobody serves) and answer them completely (errors included).
 */
public interface WebRoutes {

    /** Adds a GET handler for {@code path} (path parameters as {@code {name}} are allowed). */
    WebRoutes get(String path, Handler handler);

    /** Adds a POST handler for {@code path}. */
    WebRoutes post(String path, Handler handler);

    /**
     * Sets the page for a request to a path nobody serves, outside {@code /api/} (the agent API keeps answering
     * those with its JSON error). The handler answers completely, status 404 included. At most one module sets it;
     * without one the server answers such requests with plain text.
     *
     * @throws IllegalStateException when a module set it already
     */
    WebRoutes notFound(Handler handler);
}
