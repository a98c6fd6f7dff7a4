package com.xentracker.portal.settings;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.access.Action;
import com.xentracker.server.organization.OrganizationServices;
import com.xentracker.server.organization.OrganizationSettings;
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code GET /settings}: the organization's own settings (name, time zone, whether owners and administrators must
 * sign in with a second factor), for owners, administrators and auditors; {@code POST /settings} (fields
 * {@value #NAME_FIELD}, {@value #ZONE_FIELD}, {@value #TWO_FACTOR_FIELD}, {@code csrf}) changes them, which only
 * owners may. The server checks the role, validates and audit-logs; the portal shows the form read-only to the
 * others.
 */
public final class Settings {

    static final String NAME_FIELD = "name";
    static final String ZONE_FIELD = "timeZone";
    static final String TWO_FACTOR_FIELD = "requireTwoFactor";
    private static final String SAVED = "saved";
    /**
     * Region/City names only: the IANA zones people pick. Offsets such as {@code Etc/GMT+1} (whose sign is inverted)
     * and old aliases stay out of the list; the server still accepts any zone it knows.
     */
    private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .filter(id -> id.matches("(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian"
                    + "|Pacific)/[A-Za-z_/\\-]+") || id.equals("UTC"))
            .sorted()
            .toList();

    private final Organizations organizations;
    private final PortalSessions sessions;

    private Settings(Organizations organizations, PortalSessions sessions) {
        this.organizations = organizations;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        Settings page = new Settings(services.organizations(), sessions);
        routes.get(PortalPaths.SETTINGS, page::show);
        routes.post(PortalPaths.SETTINGS, page::update);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        OrganizationSettings settings = organizations.settings(signedIn.get().actor());
        String zone = settings.timeZone().getId();
        // a zone set elsewhere (the command line) that the list leaves out is still offered, first
        List<String> zones = ZONES.contains(zone) ? ZONES : Stream.concat(Stream.of(zone), ZONES.stream()).toList();
        Pages.render(ctx, HttpStatus.OK, "settings.jte", new SettingsPage(
                signedIn.get().frame("Settings", Section.SETTINGS), settings.name(), zone,
                settings.requireTwoFactor(), signedIn.get().actor().may(Action.UPDATE_ORGANIZATION_SETTINGS), zones,
                signedIn.get().csrfToken(), SAVED.equals(ctx.queryParam("done"))
                        ? Optional.of("The settings were saved.") : Optional.empty()));
    }

    private void update(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        // the server checks the name's length and says so
        String name = Optional.ofNullable(ctx.formParam(NAME_FIELD)).orElse("");
        // the server's parser: an unknown zone is refused with its message (400)
        ZoneId zone = OrganizationServices.zone(Optional.ofNullable(ctx.formParam(ZONE_FIELD)).orElse("").strip());
        boolean twoFactor = ctx.formParam(TWO_FACTOR_FIELD) != null;
        // The server checks the role (owners only) and audit-logs the change.
        organizations.updateSettings(signedIn.get().actor(), new OrganizationSettings(name, zone, twoFactor));
        Pages.redirect(ctx, PortalPaths.SETTINGS + "?done=" + SAVED);
    }
}
