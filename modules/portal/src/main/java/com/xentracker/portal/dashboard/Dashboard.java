package com.xentracker.portal.dashboard;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditLog;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.usage.ApplicationUsage;
import com.xentracker.server.usage.UsageQueries;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /dashboard[?period=today|last-7-days]}: active time per application in the signed-in account's
 * organization. Every view is audit-logged, because it shows personal data.
 */
public final class Dashboard {

    public static final String PERIOD_PARAMETER = "period";

    /** Audit action for a dashboard view. */
    static final String VIEW_DASHBOARD = "view-dashboard";

    private final UsageQueries usage;
    private final AuditLog audit;
    private final Clock clock;
    private final PortalSessions sessions;

    private Dashboard(UsageQueries usage, AuditLog audit, Clock clock, PortalSessions sessions) {
        this.usage = usage;
        this.audit = audit;
        this.clock = clock;
        this.sessions = sessions;
    }

    public static void install(RoutesConfig routes, ServerServices services, PortalSessions sessions) {
        Dashboard dashboard = new Dashboard(services.usage(), services.audit(), services.clock(), sessions);
        routes.get(PortalPaths.DASHBOARD, dashboard::show);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Period period = Period.fromParameter(ctx.queryParam(PERIOD_PARAMETER))
                .orElseThrow(() -> PortalException.badRequest("Unknown period."));
        Account account = signedIn.get().account();
        Period.Range range = period.range(clock);
        // Always the account's own organization: the organization never comes from the request.
        List<ApplicationUsage> byApplication = usage.byApplication(account.organizationId(), range.from(), range.to());
        // Recorded before anything is shown: a view the audit log cannot record is not served.
        audit.record(account.organizationId(), account.id(), VIEW_DASHBOARD,
                "usage-by-application " + range.from() + "/" + range.to());
        Pages.render(ctx, HttpStatus.OK, "dashboard.jte", new DashboardPage(
                signedIn.get().frame("Dashboard", Section.DASHBOARD),
                Arrays.stream(Period.values()).map(p -> new DashboardPage.PeriodLink(p.label(),
                        PortalPaths.DASHBOARD + "?" + PERIOD_PARAMETER + "=" + p.parameter(), p == period)).toList(),
                range.label(),
                "UTC",
                byApplication.stream().map(Dashboard::row).toList()));
    }

    private static DashboardPage.Row row(ApplicationUsage usage) {
        return new DashboardPage.Row(usage.application(), DurationFormat.format(usage.active()),
                usage.active().getSeconds(), usage.devices());
    }
}
