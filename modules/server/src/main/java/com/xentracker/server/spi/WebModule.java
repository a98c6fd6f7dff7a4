package com.xentracker.server.spi;

/**
 * A web front end that plugs into the server (the portal is one). Found with {@link java.util.ServiceLoader}, so the
 * server never depends on its front ends: dependencies point inward.
 *
 * <p>A front end renders; it never decides who may do what. It gets the server's use cases
 * ({@link ServerServices}), each of which takes the signed-in {@link com.xentracker.server.access.Actor}, checks its
 * role and writes the audit entry itself; and it gets {@link WebRoutes}, through which it can only add GET and POST
 * handlers under paths the server does not own. It never sees the database, the audit log's writer or Javalin's
 * global configuration.
 */
public interface WebModule {

    /** A short name for logs, e.g. {@code portal}. */
    String name();

    /** Adds the module's routes. Called once, before the server starts listening. */
    void routes(WebRoutes routes, ServerServices services);
}
