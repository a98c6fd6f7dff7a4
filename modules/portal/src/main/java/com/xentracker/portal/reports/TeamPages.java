package com.xentracker.portal.reports;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Role;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.usage.Teams;
import com.xentracker.server.usage.UsageQueries;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;

/**
 * {@code GET /teams}: the groups whose team views the account may open (a viewer: its own), each with its size and,
 * from the organization's minimum group size on, a link to its team view (the overview and reports of the group);
 * a smaller group says why it has none. One call to the server, which audit-logs it.
 */
public final class TeamPages {

    private final UsageQueries usage;
    private final PortalSessions sessions;

    private TeamPages(UsageQueries usage, PortalSessions sessions) {
        this.usage = usage;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        TeamPages pages = new TeamPages(services.usage(), sessions);
        routes.get(PortalPaths.TEAMS, pages::show);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Teams teams = usage.teams(signedIn.get().actor());
        Pages.render(ctx, HttpStatus.OK, "teams.jte", new TeamsPage(signedIn.get().frame("Teams", Section.TEAMS),
                teams.minimumGroupSize(), teams.teams().stream().map(team -> new TeamsPage.Row(team.name(),
                        team.size(),
                        team.aggregated() ? Optional.of(PortalPaths.OVERVIEW + "?group=" + team.id()) : Optional.empty(),
                        team.aggregated() ? Optional.of(PortalPaths.REPORTS_APPLICATIONS + "?group=" + team.id())
                                : Optional.empty())).toList(),
                signedIn.get().actor().role() == Role.VIEWER,
                signedIn.get().actor().may(Action.CREATE_GROUP) ? Optional.of(PortalPaths.GROUPS) : Optional.empty()));
    }
}
