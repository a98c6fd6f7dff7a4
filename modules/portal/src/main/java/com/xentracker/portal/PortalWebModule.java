package com.xentracker.portal;

import com.xentracker.portal.dashboard.Dashboard;
import com.xentracker.portal.devices.Devices;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.people.People;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.signin.SignIn;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.spi.WebModule;
import io.javalin.config.JavalinConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin portal as a server {@link WebModule}. Found by {@link java.util.ServiceLoader} through the module
 * descriptor's {@code provides}; the server never depends on the portal.
 *
 * <p>Routes: {@code GET /}, {@code GET|POST /login}, {@code POST /logout}, {@code GET /dashboard},
 * {@code GET /devices}, {@code GET /people}, {@code POST /people/assign}, {@code GET /portal.css}. Nothing under {@code /api/}, which belongs to the server.
 */
public final class PortalWebModule implements WebModule {

    private static final Logger LOG = LoggerFactory.getLogger(PortalWebModule.class);

    /** For {@link java.util.ServiceLoader}. */
    public PortalWebModule() {
    }

    @Override
    public String name() {
        return "portal";
    }

    @Override
    public void configure(JavalinConfig config, ServerServices services) {
        PortalSessions sessions = PortalSessions.of(services.sessions());
        Pages.install(config);
        SignIn.install(config.routes, services, sessions);
        Dashboard.install(config.routes, services, sessions);
        Devices.install(config.routes, services, sessions);
        People.install(config.routes, services, sessions);
        config.routes.get(PortalPaths.HOME, ctx -> Pages.redirect(ctx, PortalPaths.DASHBOARD));
        LOG.info("portal routes installed: GET {}, GET|POST {}, POST {}, GET {}, GET {}, GET {}, GET {}, POST {}",
                PortalPaths.HOME, PortalPaths.LOGIN, PortalPaths.LOGOUT, PortalPaths.DASHBOARD, PortalPaths.DEVICES,
                PortalPaths.STYLESHEET, PortalPaths.PEOPLE, PortalPaths.PEOPLE_ASSIGN);
    }
}
