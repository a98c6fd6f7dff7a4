package com.xentracker.portal.dashboard;

import com.xentracker.portal.page.Labels;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.usage.ApplicationUsage;
import com.xentracker.server.usage.UsageQueries;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /dashboard[?period=today|last-7-days|…]}: active time per application in the signed-in account's
 * organization (a viewer's groups only). The server audit-logs every view, because it shows personal data.
 */
public final class Dashboard {

    public static final String PERIOD_PARAMETER = "period";

    private final UsageQueries usage;
    private final Clock clock;
    private final PortalSessions sessions;

    private Dashboard(UsageQueries usage, Clock clock, PortalSessions sessions) {
        this.usage = usage;
        this.clock = clock;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        Dashboard dashboard = new Dashboard(services.usage(), services.clock(), sessions);
        routes.get(PortalPaths.DASHBOARD, dashboard::show);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Period period = Period.fromParameter(ctx.queryParam(PERIOD_PARAMETER))
                .orElseThrow(() -> PortalException.badRequest("Unknown period."));
        Period.Range range = period.range(clock);
        // The server scopes it to the actor's organization (and a viewer's groups) and audit-logs the view.
        List<ApplicationUsage> byApplication = usage.byApplication(signedIn.get().actor(), range.from(), range.to());
        Pages.render(ctx, HttpStatus.OK, "dashboard.jte", new DashboardPage(
                signedIn.get().frame("Dashboard", Section.DASHBOARD),
                Arrays.stream(Period.values()).map(p -> new DashboardPage.PeriodLink(p.label(),
                        PortalPaths.DASHBOARD + "?" + PERIOD_PARAMETER + "=" + p.parameter(), p == period)).toList(),
                range.label(),
                "UTC",
                byApplication.stream().map(Dashboard::row).toList()));
    }

    private static DashboardPage.Row row(ApplicationUsage usage) {
        return new DashboardPage.Row(Labels.application(usage.application()), DurationFormat.format(usage.active()),
                usage.active().getSeconds(), usage.devices());
    }
}
