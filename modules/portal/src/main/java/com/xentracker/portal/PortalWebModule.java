package com.xentracker.portal;

import com.xentracker.portal.account.AccountManagement;
import com.xentracker.portal.account.AccountPages;
import com.xentracker.portal.account.AccountSetup;
import com.xentracker.portal.audit.AuditLog;
import com.xentracker.portal.devices.Devices;
import com.xentracker.portal.groups.Groups;
import com.xentracker.portal.enrollment.Enrollment;
import com.xentracker.portal.exports.ExportPages;
import com.xentracker.portal.page.Frame;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.self.SelfPages;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.people.People;
import com.xentracker.portal.reports.OverviewPages;
import com.xentracker.portal.reports.ReportPages;
import com.xentracker.portal.reports.TeamPages;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.portal.settings.Settings;
import com.xentracker.portal.signin.SignIn;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.spi.WebModule;
import com.xentracker.server.spi.WebRoutes;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin portal as a server {@link WebModule}. Found by {@link java.util.ServiceLoader} through the module
 * descriptor's {@code provides}; the server never depends on the portal.
 *
 * <p>The portal renders; the server decides. Every page calls one of the server's use cases with the signed-in actor,
 * and the server checks the role and writes the audit entry. The portal only leaves out links and forms the server
 * would refuse.
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
    public void routes(WebRoutes server, ServerServices services) {
        PortalSessions sessions = PortalSessions.of(services.sessions());
        Function<Context, Optional<Frame.Viewer>> viewer = ctx -> sessions.current(ctx).map(SignedIn::viewer);
        PortalRoutes routes = PortalRoutes.of(server, viewer);
        Pages.install(server, viewer);
        SignIn.install(routes, services, sessions);
        OverviewPages.install(routes, services, sessions);
        ReportPages.install(routes, services, sessions);
        TeamPages.install(routes, services, sessions);
        Devices.install(routes, services, sessions);
        People.install(routes, services, sessions);
        AccountPages.install(routes, services, sessions);
        Groups.install(routes, services, sessions);
        AuditLog.install(routes, services, sessions);
        Enrollment.install(routes, services, sessions);
        AccountManagement.install(routes, services, sessions);
        AccountSetup.install(routes, services);
        Settings.install(routes, services, sessions);
        ExportPages.install(routes, services, sessions);
        SelfPages.install(routes, services, sessions);
        // the first section the account may see: the overview, or a self-service account's own activity
        routes.get(PortalPaths.HOME, ctx -> Pages.redirect(ctx, sessions.current(ctx)
                .map(signedIn -> Section.home(signedIn.actor())).orElse(PortalPaths.OVERVIEW)));
        LOG.info("portal routes installed under {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {} and {}",
                PortalPaths.LOGIN, PortalPaths.OVERVIEW, "/reports", PortalPaths.TEAMS, PortalPaths.DEVICES,
                PortalPaths.ENROLLMENT, PortalPaths.PEOPLE, PortalPaths.GROUPS, PortalPaths.ACCOUNT, PortalPaths.AUDIT,
                PortalPaths.ACCOUNTS, PortalPaths.EXPORTS + ", " + PortalPaths.ME,
                PortalPaths.ACCOUNT_SETUP, PortalPaths.SETTINGS, PortalPaths.STYLESHEET);
    }
}
