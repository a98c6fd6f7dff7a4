package com.xentracker.portal.settings;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.organization.SettingsArea;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The history tab: {@code GET /settings/history?area=ORGANIZATION|POLICY|CATEGORIES|RETENTION} lists every version of
 * one area of the settings (the server keeps one per change), newest first, with who changed it, which fields changed
 * and the whole area afterwards (owners, administrators, auditors).
 */
final class HistoryPages {

    static final String AREA_PARAMETER = "area";
    /** Versions shown; older ones stay in the database. */
    static final int LIMIT = 100;

    private final Organizations organizations;
    private final PortalSessions sessions;

    private HistoryPages(Organizations organizations, PortalSessions sessions) {
        this.organizations = organizations;
        this.sessions = sessions;
    }

    static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        HistoryPages page = new HistoryPages(services.organizations(), sessions);
        routes.get(PortalPaths.SETTINGS_HISTORY, page::show);
    }

    private static String label(SettingsArea area) {
        return switch (area) {
            case ORGANIZATION -> "Organization";
            case POLICY -> "Collection policy";
            case CATEGORIES -> "Categories";
            case RETENTION -> "Retention";
        };
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        SettingsArea area;
        try {
            area = SettingsArea.valueOf(Optional.ofNullable(ctx.queryParam(AREA_PARAMETER))
                    .orElse(SettingsArea.ORGANIZATION.name()));
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest("Choose one of the areas of the settings.");
        }
        ZoneId zone = organizations.settings(signedIn.get().actor()).timeZone();
        List<HistoryPage.Version> versions = organizations.history(signedIn.get().actor(), area, LIMIT).stream()
                .map(v -> new HistoryPage.Version(v.version(), SettingsText.time(v.changedAt(), zone),
                        v.changedAt().truncatedTo(ChronoUnit.SECONDS).toString(), v.changedBy(), v.changedFields(),
                        v.value()))
                .toList();
        List<HistoryPage.Area> areas = Arrays.stream(SettingsArea.values()).map(a -> new HistoryPage.Area(label(a),
                PortalPaths.SETTINGS_HISTORY + "?" + AREA_PARAMETER + "=" + a.name(), a == area)).toList();
        Pages.render(ctx, HttpStatus.OK, "settings-history.jte", new HistoryPage(signedIn.get().frame(
                "Settings history", Section.SETTINGS), areas, label(area), versions));
    }
}
