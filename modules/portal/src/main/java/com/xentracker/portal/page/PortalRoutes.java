package com.xentracker.portal.page;

import com.xentracker.server.spi.WebRoutes;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** The server's {@link WebRoutes} with every handler {@link Pages#guarded guarded}: each refusal gets a page. */
public final class PortalRoutes {

    private final WebRoutes routes;
    private final Function<Context, Optional<Frame.Viewer>> viewer;

    private PortalRoutes(WebRoutes routes, Function<Context, Optional<Frame.Viewer>> viewer) {
        this.routes = routes;
        this.viewer = viewer;
    }

    /** @param viewer who is signed in on a request, for the frame of an error page */
    public static PortalRoutes of(WebRoutes routes, Function<Context, Optional<Frame.Viewer>> viewer) {
        return new PortalRoutes(Objects.requireNonNull(routes, "routes"), Objects.requireNonNull(viewer, "viewer"));
    }

    public PortalRoutes get(String path, Handler handler) {
        routes.get(path, Pages.guarded(handler, viewer));
        return this;
    }

    public PortalRoutes post(String path, Handler handler) {
        routes.post(path, Pages.guarded(handler, viewer));
        return this;
    }
}
