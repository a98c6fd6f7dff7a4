package com.xentracker.server.spi;

import io.javalin.config.JavalinConfig;

/**
 * A web front end that plugs into the server (the portal is one). Found with {@link java.util.ServiceLoader}, so the
 * server never depends on its front ends: dependencies point inward.
 */
public interface WebModule {

    /** A short name for logs, e.g. {@code portal}. */
    String name();

    /**
     * Adds routes, a renderer and anything else the module needs. Called once, before the server starts listening.
     * Paths under {@code /api/} belong to the server and must not be used.
     */
    void configure(JavalinConfig config, ServerServices services);
}
