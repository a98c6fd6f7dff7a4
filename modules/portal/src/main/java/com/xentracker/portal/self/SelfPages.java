package com.xentracker.portal.self;

import com.xentracker.portal.exports.ExportPages;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.people.People;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.audit.DataAccess;
import com.xentracker.server.people.PersonActivity;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A self-service account's own pages; none takes a person, the server pins it to the account's own.
 * <ul>
 *   <li>{@code GET /me?day=&period=}: its own day timeline and period totals, the person page's sections.</li>
 *   <li>{@code GET /me/accesses?before=}: who viewed, exported or changed its data and when, from the audit log.</li>
 *   <li>{@code GET /me/package}: its own access package (GDPR Art. 15), streamed as a ZIP.</li>
 * </ul>
 * Any other parameter a request carries (a person's id, say) is ignored: there is nothing to hand it to.
 */
public final class SelfPages {

    /** Entries per page of "who saw my data". */
    static final int PAGE = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    /** What the actions about a person mean to them; others are shown by their audit name. */
    private static final Map<String, String> WHAT = Map.ofEntries(
            Map.entry("view-person", "Looked at your page"),
            Map.entry("view-individual-usage", "Looked at your usage"),
            Map.entry("export-data", "Exported data"),
            Map.entry("export-audit-log", "Exported the audit log"),
            Map.entry("export-access-package", "Downloaded your access package"),
            Map.entry("view-audit-log", "Searched the audit log for you"),
            Map.entry("assign-person", "Assigned a device account to you"),
            Map.entry("rename-person", "Renamed you"),
            Map.entry("merge-people", "Merged a person into you"),
            Map.entry("add-group-member", "Added you to a group"),
            Map.entry("remove-group-member", "Removed you from a group"),
            Map.entry("create-person", "Created you in the directory"),
            Map.entry("invite-self-account", "Gave you this self-service account"),
            Map.entry("create-account", "Gave you this self-service account"));

    private final ServerServices services;
    private final PortalSessions sessions;

    private SelfPages(ServerServices services, PortalSessions sessions) {
        this.services = services;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        SelfPages pages = new SelfPages(services, sessions);
        routes.get(PortalPaths.ME, pages::activity);
        routes.get(PortalPaths.ME_ACCESSES, pages::accesses);
        routes.get(PortalPaths.ME_PACKAGE, pages::accessPackage);
    }

    private void activity(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        String dayField = Optional.ofNullable(ctx.queryParam("day")).orElse("").strip();
        Optional<LocalDate> day;
        try {
            day = dayField.isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(dayField));
        } catch (DateTimeParseException e) {
            throw PortalException.badRequest("A day is written like 2026-11-29.");
        }
        String periodField = Optional.ofNullable(ctx.queryParam("period")).orElse("").strip();
        int period = periodField.isEmpty() ? People.periods().get(0) : People.periods().stream()
                .filter(days -> Integer.toString(days).equals(periodField)).findFirst()
                .orElseThrow(() -> PortalException.badRequest("Choose a period of 7, 30 or 90 days."));
        var people = services.people();
        var actor = signedIn.get().actor();
        // The server reads the account's own person (no id is passed), checks the role and the organization's
        // setting, and audit-logs the view with that person as the subject.
        PersonActivity activity = day
                .map(chosen -> people.ownActivity(actor, chosen, chosen.minusDays(period - 1L), chosen))
                .orElseGet(() -> people.ownActivityUntilToday(actor, period));
        Pages.render(ctx, HttpStatus.OK, "person.jte", People.ownPage(activity, period,
                signedIn.get().frame("My activity", Section.MY_ACTIVITY), signedIn.get().csrfToken()));
    }

    private void accesses(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        String beforeField = Optional.ofNullable(ctx.queryParam("before")).orElse("").strip();
        Optional<Long> before;
        try {
            before = beforeField.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(beforeField));
        } catch (NumberFormatException e) {
            throw PortalException.badRequest("Choose a page of the list.");
        }
        // one more than a page: whether an older page exists
        List<DataAccess> accesses = services.audit().ownDataAccesses(signedIn.get().actor(), before, PAGE + 1);
        boolean more = accesses.size() > PAGE;
        List<DataAccess> page = more ? accesses.subList(0, PAGE) : accesses;
        Pages.render(ctx, HttpStatus.OK, "me-accesses.jte", new DataAccessesPage(
                signedIn.get().frame("Who saw my data", Section.MY_DATA_ACCESSES),
                page.stream().map(SelfPages::row).toList(),
                more ? Optional.of(PortalPaths.ME_ACCESSES + "?before=" + page.get(page.size() - 1).sequence())
                        : Optional.empty()));
    }

    private void accessPackage(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        // the server opens the response only once it has allowed the download, and records what it sent
        services.exports().ownAccessPackage(signedIn.get().actor(), ExportPages.stream(ctx));
    }

    private static DataAccessesPage.Row row(DataAccess access) {
        Instant at = access.at();
        return new DataAccessesPage.Row(TIME.format(at), at.truncatedTo(ChronoUnit.SECONDS).toString(), access.by(),
                WHAT.getOrDefault(access.action(), access.action()), access.action(), access.subject(),
                switch (access.outcome()) {
                    case SUCCESS -> "Done";
                    case DENIED -> "Refused";
                    case FAILED -> "Failed";
                }, access.outcome().name().toLowerCase(Locale.ROOT));
    }
}
