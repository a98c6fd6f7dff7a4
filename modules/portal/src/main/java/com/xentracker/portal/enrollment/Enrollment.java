package com.xentracker.portal.enrollment;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.device.EnrollmentToken;
import com.xentracker.server.device.EnrollmentTokens;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code GET /enrollment}: the organization's enrollment tokens (name, created, expires, uses, state, who issued it);
 * {@code POST /enrollment/issue}: issues one and shows it once, with the agent command that enrolls a device;
 * {@code POST /enrollment/revoke}: revokes one. The server checks every request's role (owners and administrators
 * issue and revoke, auditors only see the list, viewers nothing) and audit-logs it; the portal only leaves out the
 * forms it would refuse.
 */
public final class Enrollment {

    /** As the server checks them. */
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_DAYS = (int) EnrollmentTokens.MAX_LIFETIME.toDays();
    static final int DEFAULT_DAYS = 7;
    /** One device per token unless the administrator says otherwise: a leaked token enrolls one device at most. */
    static final int DEFAULT_DEVICES = 1;
    /** The variable the shown {@code --token-env} command reads the token from. */
    static final String TOKEN_VARIABLE = "XT_ENROLLMENT_TOKEN";
    /** A host (and port) as a browser sends it; anything else is not shown in a command. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:\\d{1,5})?");

    private final EnrollmentTokens tokens;
    private final Clock clock;
    private final PortalSessions sessions;

    private Enrollment(EnrollmentTokens tokens, Clock clock, PortalSessions sessions) {
        this.tokens = tokens;
        this.clock = clock;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        Enrollment enrollment = new Enrollment(services.enrollmentTokens(), services.clock(), sessions);
        routes.get(PortalPaths.ENROLLMENT, enrollment::show);
        routes.post(PortalPaths.ENROLLMENT_ISSUE, enrollment::issue);
        routes.post(PortalPaths.ENROLLMENT_REVOKE, enrollment::revoke);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Actor actor = signedIn.get().actor();
        // The server reads the actor's own organization's tokens only, checks the role and audit-logs the view.
        List<EnrollmentToken> list = tokens.list(actor);
        Instant now = clock.instant();
        Pages.render(ctx, HttpStatus.OK, "enrollment.jte", new EnrollmentPage(
                signedIn.get().frame("Enrollment", Section.ENROLLMENT),
                list.stream().map(token -> row(token, actor, now)).toList(),
                actor.may(Action.ISSUE_ENROLLMENT_TOKEN), actor.may(Action.REVOKE_ENROLLMENT_TOKEN),
                signedIn.get().csrfToken(),
                new EnrollmentPage.Form(DEFAULT_DAYS, MAX_DAYS, DEFAULT_DEVICES, EnrollmentTokens.MAX_DEVICES,
                        MAX_NAME_LENGTH)));
    }

    private void issue(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        if (name.length() > MAX_NAME_LENGTH) {
            throw PortalException.badRequest("A token's name has at most " + MAX_NAME_LENGTH + " characters.");
        }
        int days = number(ctx.formParam("days"), 1, MAX_DAYS,
                "Expires after: a whole number of days from 1 to " + MAX_DAYS + ".");
        int devices = number(ctx.formParam("maxDevices"), 1, EnrollmentTokens.MAX_DEVICES,
                "Devices: a whole number from 1 to " + EnrollmentTokens.MAX_DEVICES + ".");
        // The server checks the role and the bounds again, stores only the token's hash and audit-logs the issue.
        IssuedEnrollmentToken issued = tokens.issue(signedIn.get().actor(), name, Duration.ofDays(days), devices);
        // Shown in this answer only (no redirect: the token is nowhere to be read again); no-store keeps it out of
        // caches, and a reload asks before posting again.
        Pages.render(ctx, HttpStatus.OK, "enrollment-issued.jte", new IssuedPage(
                signedIn.get().frame("Enrollment token issued", Section.ENROLLMENT), issued.id().toString(),
                issued.name(), issued.token(), EnrollmentText.when(issued.expiresAt()),
                issued.expiresAt().toString(), EnrollmentText.devices(issued.maxUses()), serverUrl(ctx),
                TOKEN_VARIABLE));
    }

    private void revoke(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        UUID token = uuid(ctx.formParam("tokenId"));
        // The server checks the role and that the token is the organization's (another's: not found).
        tokens.revoke(signedIn.get().actor(), token);
        Pages.redirect(ctx, PortalPaths.ENROLLMENT);
    }

    private static EnrollmentPage.Row row(EnrollmentToken token, Actor actor, Instant now) {
        EnrollmentToken.State state = token.state(now);
        String issuedBy = token.issuedBy().map(id -> actor.accountId().filter(id::equals).isPresent() ? "you"
                : "another account").orElse("host operator");
        return new EnrollmentPage.Row(token.id().toString(), token.name(),
                new EnrollmentPage.When(EnrollmentText.when(token.createdAt()), token.createdAt().toString()),
                new EnrollmentPage.When(EnrollmentText.when(token.expiresAt()), token.expiresAt().toString()),
                token.uses(), token.maxUses(), state.name(), EnrollmentText.state(state),
                EnrollmentText.stateClass(state), issuedBy, token.issuedBy().map(UUID::toString).orElse(""),
                state == EnrollmentToken.State.USABLE);
    }

    /** The server as the browser reached it; agents on the same network reach it there too, as a rule. */
    private static String serverUrl(Context ctx) {
        String host = Optional.ofNullable(ctx.header("Host")).orElse("").strip();
        return HOST.matcher(host).matches() ? "https://" + host : "https://SERVER:PORT";
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

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(Optional.ofNullable(value).orElse("").strip());
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest("Choose a token.");
        }
    }
}
