package com.xentracker.portal.exports;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.apitoken.ApiToken;
import com.xentracker.server.apitoken.ApiTokens;
import com.xentracker.server.apitoken.IssuedApiToken;
import com.xentracker.server.export.Dataset;
import com.xentracker.server.export.ExportFilter;
import com.xentracker.server.export.ExportRequest;
import com.xentracker.server.export.ExportTarget;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code GET /exports}: the export form (dataset, period, person, group, device, application, domain, category, a
 * byte order mark for Excel), the account's API tokens with the curl command that uses them, and for owners and
 * administrators the access package of a person. {@code GET /exports/download} streams the CSV,
 * {@code GET /exports/access-package} the ZIP; {@code POST /exports/tokens/create} shows a new token once,
 * {@code POST /exports/tokens/revoke} revokes one. The server checks every request's role, streams from its cursor and
 * audit-logs each export with its rows and SHA-256; the portal only passes the response through.
 */
public final class ExportPages {

    static final int MAX_TOKEN_DAYS = (int) ApiTokens.MAX_LIFETIME.toDays();
    static final int DEFAULT_TOKEN_DAYS = 90;
    static final int MAX_NAME_LENGTH = 100;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:\\d{1,5})?");

    private final ServerServices services;
    private final Clock clock;
    private final PortalSessions sessions;

    private ExportPages(ServerServices services, PortalSessions sessions) {
        this.services = services;
        this.clock = services.clock();
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        ExportPages pages = new ExportPages(services, sessions);
        routes.get(PortalPaths.EXPORTS, pages::show);
        routes.get(PortalPaths.EXPORTS_DOWNLOAD, pages::download);
        routes.get(PortalPaths.EXPORTS_ACCESS_PACKAGE, pages::accessPackage);
        routes.post(PortalPaths.EXPORTS_TOKENS_CREATE, pages::createToken);
        routes.post(PortalPaths.EXPORTS_TOKENS_REVOKE, pages::revokeToken);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Actor actor = signedIn.get().actor();
        // the account's own tokens first: a role that may not export is refused (and recorded) for that
        List<ApiToken> tokens = services.apiTokens().list(actor);
        Instant now = clock.instant();
        List<ExportsPage.Choice> people = services.people().directory(actor).people().stream()
                .sorted(Comparator.comparing(person -> person.displayName().toLowerCase(java.util.Locale.ROOT)))
                .map(person -> new ExportsPage.Choice(person.id().toString(), person.displayName())).toList();
        List<ExportsPage.Choice> groups = services.groups().list(actor).stream()
                .map(group -> new ExportsPage.Choice(group.group().id().toString(), group.group().name())).toList();
        List<ExportsPage.Choice> devices = services.devices().list(actor).stream()
                .map(device -> new ExportsPage.Choice(device.id().toString(), device.hostname() + " ("
                        + device.osUser() + ")")).toList();
        List<ExportsPage.Choice> datasets = Arrays.stream(Dataset.values())
                .filter(dataset -> dataset != Dataset.AUDIT || actor.may(Action.EXPORT_AUDIT_LOG))
                .map(dataset -> new ExportsPage.Choice(dataset.externalName(), label(dataset))).toList();
        Pages.render(ctx, HttpStatus.OK, "exports.jte", new ExportsPage(
                signedIn.get().frame("Exports", Section.EXPORTS), datasets, people, groups, devices,
                tokens.stream().map(token -> row(token, now)).toList(), actor.may(Action.EXPORT_ACCESS_PACKAGE),
                signedIn.get().csrfToken(), MAX_TOKEN_DAYS, DEFAULT_TOKEN_DAYS, curl(ctx, "$XT_TOKEN")));
    }

    private void download(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Dataset dataset = Dataset.named(Optional.ofNullable(ctx.queryParam("dataset")).orElse(""))
                .orElseThrow(() -> PortalException.badRequest("Choose what to export."));
        // blank form fields do not filter; the server checks the ids are the organization's (another's: not found)
        ExportFilter filter = ExportFilter.parse(ctx::queryParam);
        boolean bom = Optional.ofNullable(ctx.queryParam("bom")).filter(v -> !v.isBlank()).isPresent();
        services.exports().export(signedIn.get().actor(), new ExportRequest(dataset, filter, bom), stream(ctx));
    }

    private void accessPackage(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        UUID person = uuid(ctx.queryParam("person"), "Choose a person.");
        services.exports().accessPackage(signedIn.get().actor(), person, stream(ctx));
    }

    /**
     * The response as the server's export opens it, once it has allowed the export: a download (attachment), never
     * cached, straight from the servlet stream so that the bytes hashed are the bytes sent.
     */
    public static ExportTarget stream(Context ctx) {
        return (fileName, contentType) -> {
            HttpServletResponse response = ctx.res();
            response.setStatus(200);
            response.setContentType(contentType);
            response.setHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Content-Type-Options", "nosniff");
            return response.getOutputStream();
        };
    }

    private void createToken(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw PortalException.badRequest("A token's name has 1 to " + MAX_NAME_LENGTH + " characters.");
        }
        int days = number(ctx.formParam("days"), 1, MAX_TOKEN_DAYS,
                "Expires after: a whole number of days from 1 to " + MAX_TOKEN_DAYS + ".");
        // The server checks the role (and two-factor set-up where required), stores the hash and audit-logs it.
        IssuedApiToken issued = services.apiTokens().create(signedIn.get().actor(), name, Duration.ofDays(days));
        // shown in this answer only (no redirect: the token is nowhere to be read again)
        Pages.render(ctx, HttpStatus.OK, "export-token.jte", new TokenCreatedPage(
                signedIn.get().frame("API token created", Section.EXPORTS), issued.token().id().toString(),
                issued.token().name(), issued.secret(), WHEN.format(issued.token().expiresAt()),
                issued.token().expiresAt().toString(), curl(ctx, "$XT_TOKEN")));
    }

    private void revokeToken(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        UUID token = uuid(ctx.formParam("tokenId"), "Choose a token.");
        // the server revokes only the account's own token (another's: not found)
        services.apiTokens().revoke(signedIn.get().actor(), token);
        Pages.redirect(ctx, PortalPaths.EXPORTS);
    }

    private static ExportsPage.TokenRow row(ApiToken token, Instant now) {
        ApiToken.State state = token.state(now);
        return new ExportsPage.TokenRow(token.id().toString(), token.name(), WHEN.format(token.createdAt()),
                token.createdAt().toString(), WHEN.format(token.expiresAt()), token.expiresAt().toString(),
                token.lastUsedAt().map(WHEN::format).orElse("never"),
                switch (state) {
                    case USABLE -> "Active";
                    case EXPIRED -> "Expired";
                    case REVOKED -> "Revoked";
                },
                state.name().toLowerCase(java.util.Locale.ROOT), state == ApiToken.State.USABLE);
    }

    private static String label(Dataset dataset) {
        return switch (dataset) {
            case SPANS -> "Activity records (spans)";
            case ROLLUPS -> "Daily totals (rollups)";
            case DEVICES -> "Devices";
            case PEOPLE -> "People";
            case GROUPS -> "Groups and members";
            case AUDIT -> "Audit log";
        };
    }

    /** The API call as a script makes it, on the server as this browser reached it. */
    private static String curl(Context ctx, String tokenVariable) {
        String host = Optional.ofNullable(ctx.header("Host")).orElse("").strip();
        String server = HOST.matcher(host).matches() ? "https://" + host : "https://SERVER:PORT";
        return "curl --fail --cacert ca.pem -H \"Authorization: Bearer " + tokenVariable + "\" -o spans.csv \""
                + server + "/api/v1/exports/spans.csv?from=2026-11-01&to=2026-11-30\"";
    }

    private static int number(String value, int min, int max, String message) {
        try {
            int number = Integer.parseInt(Optional.ofNullable(value).orElse("").strip());
            if (number < min || number > max) {
                throw PortalException.badRequest(message);
            }
            return number;
        } catch (NumberFormatException e) {
            throw PortalException.badRequest(message);
        }
    }

    private static UUID uuid(String value, String message) {
        try {
            return UUID.fromString(Optional.ofNullable(value).orElse("").strip());
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest(message);
        }
    }
}
