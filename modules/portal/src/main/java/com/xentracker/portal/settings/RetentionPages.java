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
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.organization.RetentionImpact;
import com.xentracker.server.organization.RetentionSettings;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The retention tab. {@code GET /settings/retention} shows how long spans, rollups and the audit log are kept
 * (owners, administrators, auditors). {@code POST /settings/retention} (owners): a change that keeps everything at
 * least as long is saved at once; one that keeps anything shorter changes nothing yet and answers with what it would
 * delete (counted by the server now) and a confirmation form, which posts the same values with
 * {@value #CONFIRM_FIELD}{@code =yes} to {@code POST /settings/retention/confirm}; only that saves it.
 */
final class RetentionPages {

    static final String SPAN_FIELD = "spanDays";
    static final String ROLLUP_FIELD = "rollupMonths";
    static final String AUDIT_FIELD = "auditDays";
    static final String CONFIRM_FIELD = "confirm";
    private static final Map<String, String> NOTICES = Map.of(
            "saved", "The retention was saved. The retention job applies it within the hour.",
            "unchanged", "Nothing changed: those are the current values.");

    private final Organizations organizations;
    private final PortalSessions sessions;

    private RetentionPages(Organizations organizations, PortalSessions sessions) {
        this.organizations = organizations;
        this.sessions = sessions;
    }

    static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        RetentionPages page = new RetentionPages(services.organizations(), sessions);
        routes.get(PortalPaths.SETTINGS_RETENTION, page::show);
        routes.post(PortalPaths.SETTINGS_RETENTION, page::propose);
        routes.post(PortalPaths.SETTINGS_RETENTION_CONFIRM, page::confirm);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        RetentionSettings current = organizations.retention(signedIn.get().actor());
        render(ctx, HttpStatus.OK, signedIn.get(), Integer.toString(current.spanDays()),
                Integer.toString(current.rollupMonths()), Integer.toString(current.auditDays()),
                Optional.ofNullable(ctx.queryParam("done")).map(NOTICES::get), FormErrors.none());
    }

    private void render(Context ctx, HttpStatus status, SignedIn signedIn, String spans, String rollups,
            String audit, Optional<String> notice, FormErrors errors) {
        Pages.render(ctx, status, "settings-retention.jte", new RetentionPage(signedIn.frame("Retention",
                Section.SETTINGS), spans, rollups, audit, signedIn.actor().may(Action.UPDATE_RETENTION),
                signedIn.csrfToken(), notice, errors));
    }

    /** The proposed values, or the form again with what is wrong beside its field. */
    private Optional<RetentionSettings> proposed(Context ctx, SignedIn signedIn) {
        String spans = Settings.field(ctx, SPAN_FIELD).strip();
        String rollups = Settings.field(ctx, ROLLUP_FIELD).strip();
        String audit = Settings.field(ctx, AUDIT_FIELD).strip();
        try {
            return Optional.of(new RetentionSettings(Settings.number(spans, SPAN_FIELD),
                    Settings.number(rollups, ROLLUP_FIELD), Settings.number(audit, AUDIT_FIELD)));
        } catch (InvalidRequestException refused) {
            render(ctx, HttpStatus.BAD_REQUEST, signedIn, spans, rollups, audit, Optional.empty(),
                    FormErrors.of(refused, Map.of(), SPAN_FIELD));
            return Optional.empty();
        }
    }

    private void propose(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        Optional<RetentionSettings> proposed = proposed(ctx, signedIn.get());
        if (proposed.isEmpty()) {
            return;
        }
        RetentionSettings current = organizations.retention(signedIn.get().actor());
        if (proposed.get().equals(current)) {
            Pages.redirect(ctx, PortalPaths.SETTINGS_RETENTION + "?done=unchanged");
            return;
        }
        if (!proposed.get().shortens(current)) {
            // keeping everything at least as long deletes nothing: no confirmation needed
            organizations.updateRetention(signedIn.get().actor(), proposed.get());
            Pages.redirect(ctx, PortalPaths.SETTINGS_RETENTION + "?done=saved");
            return;
        }
        confirmation(ctx, signedIn.get(), proposed.get());
    }

    private void confirmation(Context ctx, SignedIn signedIn, RetentionSettings proposed) {
        // owners only (the server decides): counts what the retention job would delete if this were saved
        RetentionImpact impact = organizations.retentionImpact(signedIn.actor(), proposed);
        ZoneId zone = organizations.settings(signedIn.actor()).timeZone();
        RetentionSettings current = impact.current();
        List<RetentionPage.Confirm.Line> lines = List.of(
                line("Raw spans (timelines, titles, addresses)", current.spanDays(), proposed.spanDays(), "days",
                        impact.spans() == 0 ? "Nothing recorded now is that old."
                                : "Deletes " + SettingsText.count(impact.spans(), "span", "spans") + " that started before "
                                + SettingsText.time(impact.spansBefore(), zone) + impact.oldestSpan().map(at ->
                                " (the oldest from " + SettingsText.time(at, zone) + ")").orElse("") + ".",
                        impact.spans() > 0),
                line("Daily rollups (reports)", current.rollupMonths(), proposed.rollupMonths(), "months",
                        impact.rollupDays() == 0 ? "No rollups are that old."
                                : "Deletes the rollups of " + SettingsText.count(impact.rollupDays(), "day", "days")
                                + " before " + SettingsText.day(impact.rollupsBefore()) + impact.oldestRollupDay()
                                .map(day -> " (the oldest " + SettingsText.day(day) + ")").orElse("") + ".",
                        impact.rollupDays() > 0),
                line("Audit log", current.auditDays(), proposed.auditDays(), "days",
                        impact.auditEntries() == 0 ? "No audit entries are that old."
                                : "Removes " + SettingsText.count(impact.auditEntries(), "audit entry", "audit entries")
                                + " from before "
                                + SettingsText.time(impact.auditBefore(), zone) + "; a signed checkpoint keeps the rest"
                                + " verifiable.", impact.auditEntries() > 0));
        Pages.render(ctx, HttpStatus.OK, "settings-retention-confirm.jte", new RetentionPage.Confirm(
                signedIn.frame("Confirm the retention", Section.SETTINGS), lines, proposed.spanDays(),
                proposed.rollupMonths(), proposed.auditDays(), impact.deletesData(), signedIn.csrfToken()));
    }

    private static RetentionPage.Confirm.Line line(String what, int before, int after, String unit,
            String consequence, boolean deletes) {
        String change = before == after ? "Unchanged: " + after + " " + unit
                : after > before ? "Longer: " + after + " " + unit + " instead of " + before
                : "Shorter: " + after + " " + unit + " instead of " + before;
        return new RetentionPage.Confirm.Line(what, change, after >= before ? "Deletes nothing." : consequence,
                after < before && deletes);
    }

    private void confirm(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        Optional<RetentionSettings> proposed = proposed(ctx, signedIn.get());
        if (proposed.isEmpty()) {
            return;
        }
        if (!"yes".equals(ctx.formParam(CONFIRM_FIELD))) {
            // not confirmed: say again what it would delete, and change nothing
            confirmation(ctx, signedIn.get(), proposed.get());
            return;
        }
        organizations.updateRetention(signedIn.get().actor(), proposed.get());
        Pages.redirect(ctx, PortalPaths.SETTINGS_RETENTION + "?done=saved");
    }
}
