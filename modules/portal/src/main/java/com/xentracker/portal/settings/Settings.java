package com.xentracker.portal.settings;

import com.xentracker.portal.page.FormErrors;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.access.Action;
import com.xentracker.server.organization.OrganizationServices;
import com.xentracker.server.organization.OrganizationSettings;
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.organization.Recategorization;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Settings section: {@code GET /settings} shows the organization's own settings (name, time zone, two-factor
 * requirement, minimum group size of team views, hours after which a device counts as silent) to owners,
 * administrators and auditors; {@code POST /settings} (fields {@value #NAME_FIELD}, {@value #ZONE_FIELD},
 * {@value #TWO_FACTOR_FIELD}, {@value #GROUP_SIZE_FIELD}, {@value #SILENT_FIELD}, {@code csrf}) changes them, which
 * only owners may. The other tabs are {@link PolicySettings}, {@link CategorySettings}, {@link RetentionPages} and
 * {@link HistoryPages}. The server checks the role, validates, versions and audit-logs every change; the portal shows
 * the forms read-only to those it would refuse and shows a refused value beside its field.
 */
public final class Settings {

    static final String NAME_FIELD = "name";
    static final String ZONE_FIELD = "timeZone";
    static final String TWO_FACTOR_FIELD = "requireTwoFactor";
    static final String SELF_SERVICE_FIELD = "selfService";
    static final String GROUP_SIZE_FIELD = "minimumGroupSize";
    static final String SILENT_FIELD = "silentAfterHours";
    static final String SAVED = "saved";
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
        PolicySettings.install(routes, services, sessions);
        CategorySettings.install(routes, services, sessions);
        RetentionPages.install(routes, services, sessions);
        HistoryPages.install(routes, services, sessions);
    }

    /** The zones to offer, with {@code current} first when the list leaves it out (set on the command line). */
    static List<String> zones(String current) {
        return ZONES.contains(current) ? ZONES : Stream.concat(Stream.of(current), ZONES.stream()).toList();
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        OrganizationSettings settings = organizations.settings(signedIn.get().actor());
        OrganizationPage.Form form = new OrganizationPage.Form(settings.name(), settings.timeZone().getId(),
                settings.requireTwoFactor(), Integer.toString(settings.minimumGroupSize()),
                Integer.toString(settings.silentAfterHours()), settings.selfService());
        render(ctx, HttpStatus.OK, signedIn.get(), form, SAVED.equals(ctx.queryParam("done"))
                ? Optional.of("The settings were saved.") : Optional.empty(), FormErrors.none());
    }

    private void render(Context ctx, HttpStatus status, SignedIn signedIn, OrganizationPage.Form form,
            Optional<String> notice, FormErrors errors) {
        // what a change of the zone would recount, and the recount under way after one
        int spanDays = organizations.retention(signedIn.actor()).spanDays();
        Recategorization progress = organizations.recategorization(signedIn.actor());
        Optional<RecategorizationView> recount = progress.recount() && progress.pending()
                ? Optional.of(RecategorizationView.of(progress, organizations.settings(signedIn.actor()).timeZone()))
                : Optional.empty();
        Pages.render(ctx, status, "settings.jte", new OrganizationPage(signedIn.frame("Settings", Section.SETTINGS),
                form, signedIn.actor().may(Action.UPDATE_ORGANIZATION_SETTINGS), zones(form.timeZone()),
                signedIn.csrfToken(), notice, errors, spanDays, recount));
    }

    private void update(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        OrganizationPage.Form form = new OrganizationPage.Form(field(ctx, NAME_FIELD), field(ctx, ZONE_FIELD).strip(),
                ctx.formParam(TWO_FACTOR_FIELD) != null, field(ctx, GROUP_SIZE_FIELD).strip(),
                field(ctx, SILENT_FIELD).strip(), ctx.formParam(SELF_SERVICE_FIELD) != null);
        FormErrors errors = FormErrors.none();
        Optional<ZoneId> zone = Optional.empty();
        Optional<Integer> groupSize = Optional.empty();
        Optional<Integer> silentAfter = Optional.empty();
        try {
            // the server's parser: an unknown zone is refused with its message, beside the field
            zone = Optional.of(OrganizationServices.zone(form.timeZone()));
        } catch (InvalidRequestException refused) {
            errors = errors.and(ZONE_FIELD, refused.getMessage());
        }
        try {
            groupSize = Optional.of(number(form.minimumGroupSize(), GROUP_SIZE_FIELD));
        } catch (InvalidRequestException refused) {
            errors = errors.and(GROUP_SIZE_FIELD, refused.getMessage());
        }
        try {
            silentAfter = Optional.of(number(form.silentAfterHours(), SILENT_FIELD));
        } catch (InvalidRequestException refused) {
            errors = errors.and(SILENT_FIELD, refused.getMessage());
        }
        try {
            if (!errors.any()) {
                // the role (owners only), the name and the ranges are the server's to check; it versions and logs
                organizations.updateSettings(signedIn.get().actor(), new OrganizationSettings(form.name(),
                        zone.orElseThrow(), form.requireTwoFactor(), groupSize.orElseThrow(),
                        silentAfter.orElseThrow(), form.selfService()));
            }
        } catch (InvalidRequestException refused) {
            errors = FormErrors.of(refused, Map.of(), NAME_FIELD);
        }
        if (errors.any()) {
            render(ctx, HttpStatus.BAD_REQUEST, signedIn.get(), form, Optional.empty(), errors);
            return;
        }
        Pages.redirect(ctx, PortalPaths.SETTINGS + "?done=" + SAVED);
    }

    static String field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).orElse("");
    }

    /** A whole number typed into {@code field}; anything else is refused beside it. */
    static int number(String text, String field) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw InvalidRequestException.about(field, "a whole number, please");
        }
    }
}
