package com.xentracker.portal.account;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.AccountOverview;
import com.xentracker.server.account.OwnAccount;
import com.xentracker.server.account.RecoveryCodes;
import com.xentracker.server.account.SignInAttempt;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The signed-in account's own page, {@code GET /account}: its role and recent sign-ins, changing its password
 * ({@code POST /account/password}), and two-factor sign-in: begin ({@code POST /account/two-factor}), confirm with a
 * code ({@code POST /account/two-factor/confirm}, which shows the recovery codes once), turn off
 * ({@code POST /account/two-factor/disable}) and new recovery codes ({@code POST /account/recovery-codes}). Every POST
 * carries the session's CSRF token. The server checks every secret, counts wrong ones against the account and
 * audit-logs each call; the portal re-shows the page with the server's reason when a password or code was wrong.
 *
 * <p>Reachable by every role, and the one page an owner or administrator may use while the organization requires
 * two-factor sign-in they have not set up (the portal sends them here).
 */
public final class AccountPages {

    static final String CURRENT_PASSWORD_FIELD = "currentPassword";
    static final String NEW_PASSWORD_FIELD = "newPassword";
    static final String REPEATED_PASSWORD_FIELD = "repeatedPassword";
    static final String CODE_FIELD = "code";
    /** As the server's sign-in bounds it. */
    private static final int MAX_PASSWORD_LENGTH = 1024;
    private static final int MAX_CODE_LENGTH = 64;

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    /** What a finished change says after the redirect (a fixed set: the query never reaches the page as text). */
    private static final Map<String, String> NOTICES = Map.of(
            "password", "Your password was changed. Your other sessions were signed out.",
            "two-factor-off", "Two-factor sign-in is off. You sign in with your password alone.");

    private final OwnAccount own;
    private final PortalSessions sessions;

    private AccountPages(OwnAccount own, PortalSessions sessions) {
        this.own = own;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        AccountPages pages = new AccountPages(services.ownAccount(), sessions);
        routes.get(PortalPaths.ACCOUNT, pages::show);
        routes.post(PortalPaths.ACCOUNT_PASSWORD, pages::changePassword);
        routes.post(PortalPaths.ACCOUNT_TWO_FACTOR, pages::beginTwoFactor);
        routes.post(PortalPaths.ACCOUNT_TWO_FACTOR_CONFIRM, pages::confirmTwoFactor);
        routes.post(PortalPaths.ACCOUNT_TWO_FACTOR_DISABLE, pages::disableTwoFactor);
        routes.post(PortalPaths.ACCOUNT_RECOVERY_CODES, pages::regenerateRecoveryCodes);
    }

    /** What a render adds to the account's state: a notice, an error in one section, codes to show once. */
    private record Extras(Optional<String> notice, Optional<String> passwordError, Optional<String> twoFactorError,
            List<String> codes) {

        static Extras none() {
            return new Extras(Optional.empty(), Optional.empty(), Optional.empty(), List.of());
        }

        static Extras notice(Optional<String> notice) {
            return new Extras(notice, Optional.empty(), Optional.empty(), List.of());
        }

        static Extras passwordError(String message) {
            return new Extras(Optional.empty(), Optional.of(message), Optional.empty(), List.of());
        }

        static Extras twoFactorError(String message) {
            return new Extras(Optional.empty(), Optional.empty(), Optional.of(message), List.of());
        }

        static Extras codes(RecoveryCodes codes) {
            return new Extras(Optional.empty(), Optional.empty(), Optional.empty(), codes.codes());
        }
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Optional<String> notice = Optional.ofNullable(ctx.queryParam("done")).map(NOTICES::get);
        render(ctx, HttpStatus.OK, signedIn.get(), Extras.notice(notice));
    }

    private void changePassword(Context ctx) {
        Optional<SignedIn> signedIn = signedInWithCsrf(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        String current = field(ctx, CURRENT_PASSWORD_FIELD, MAX_PASSWORD_LENGTH);
        String fresh = field(ctx, NEW_PASSWORD_FIELD, MAX_PASSWORD_LENGTH);
        if (!fresh.equals(field(ctx, REPEATED_PASSWORD_FIELD, MAX_PASSWORD_LENGTH))) {
            render(ctx, HttpStatus.BAD_REQUEST, signedIn.get(),
                    Extras.passwordError("The new password and its repetition differ."));
            return;
        }
        char[] currentChars = current.toCharArray();
        char[] freshChars = fresh.toCharArray();
        try {
            own.changePassword(signedIn.get().actor(), currentChars, freshChars);
        } catch (InvalidRequestException e) {
            render(ctx, HttpStatus.BAD_REQUEST, signedIn.get(), Extras.passwordError(sentence(e.getMessage())));
            return;
        } finally {
            // the form's Strings cannot be wiped; the copies handed to the server can
            Arrays.fill(currentChars, '\0');
            Arrays.fill(freshChars, '\0');
        }
        Pages.redirect(ctx, PortalPaths.ACCOUNT + "?done=password");
    }

    private void beginTwoFactor(Context ctx) {
        Optional<SignedIn> signedIn = signedInWithCsrf(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        // the pending set-up is shown by the account page until it is confirmed (or begun again)
        own.beginTwoFactorSetup(signedIn.get().actor());
        Pages.redirect(ctx, PortalPaths.ACCOUNT);
    }

    private void confirmTwoFactor(Context ctx) {
        Optional<SignedIn> signedIn = signedInWithCsrf(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        RecoveryCodes codes;
        try {
            codes = own.confirmTwoFactor(signedIn.get().actor(), field(ctx, CODE_FIELD, MAX_CODE_LENGTH));
        } catch (InvalidRequestException e) {
            render(ctx, HttpStatus.BAD_REQUEST, signedIn.get(), Extras.twoFactorError(sentence(e.getMessage())));
            return;
        }
        // shown in this answer only: the server keeps their hashes, nobody can show them again
        render(ctx, HttpStatus.OK, signedIn.get(), Extras.codes(codes));
    }

    private void disableTwoFactor(Context ctx) {
        Optional<SignedIn> signedIn = signedInWithCsrf(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        try {
            own.disableTwoFactor(signedIn.get().actor(), field(ctx, CODE_FIELD, MAX_CODE_LENGTH));
        } catch (InvalidRequestException e) {
            render(ctx, HttpStatus.BAD_REQUEST, signedIn.get(), Extras.twoFactorError(sentence(e.getMessage())));
            return;
        }
        Pages.redirect(ctx, PortalPaths.ACCOUNT + "?done=two-factor-off");
    }

    private void regenerateRecoveryCodes(Context ctx) {
        Optional<SignedIn> signedIn = signedInWithCsrf(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        RecoveryCodes codes;
        try {
            codes = own.regenerateRecoveryCodes(signedIn.get().actor(), field(ctx, CODE_FIELD, MAX_CODE_LENGTH));
        } catch (InvalidRequestException e) {
            render(ctx, HttpStatus.BAD_REQUEST, signedIn.get(), Extras.twoFactorError(sentence(e.getMessage())));
            return;
        }
        render(ctx, HttpStatus.OK, signedIn.get(), Extras.codes(codes));
    }

    private Optional<SignedIn> signedInWithCsrf(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        signedIn.ifPresent(s -> sessions.requireCsrf(ctx, s));
        return signedIn;
    }

    private void render(Context ctx, HttpStatus status, SignedIn signedIn, Extras extras) {
        AccountOverview overview = own.view(signedIn.actor());
        Optional<AccountPage.Setup> setup = overview.pendingSetup()
                .map(pending -> new AccountPage.Setup(pending.secret(), pending.qrCodeSvg()));
        List<AccountPage.SignInRow> rows = overview.recentSignIns().stream().map(AccountPages::row).toList();
        Pages.render(ctx, status, "account.jte", new AccountPage(signedIn.frame("Your account"),
                signedIn.csrfToken(), overview.email(), roleName(overview.role()), overview.twoFactor().name(),
                overview.twoFactorRequired(), overview.recoveryCodesLeft(), setup, extras.codes(), extras.notice(),
                extras.passwordError(), extras.twoFactorError(), rows));
    }

    private static AccountPage.SignInRow row(SignInAttempt attempt) {
        String outcome = switch (attempt.outcome()) {
            case SIGNED_IN -> "Signed in";
            case RECOVERY_CODE_USED -> "Signed in with a recovery code";
            case WRONG_PASSWORD -> "Wrong password";
            case WRONG_SECOND_FACTOR -> "Wrong code";
            case LOCKED -> "Refused: account locked";
        };
        return new AccountPage.SignInRow(EXACT.format(attempt.occurredAt()), attempt.occurredAt().toString(),
                attempt.sourceAddress(), outcome, attempt.succeeded() ? "ok" : "failed");
    }

    static String roleName(Role role) {
        return switch (role) {
            case OWNER -> "Owner";
            case ADMIN -> "Administrator";
            case AUDITOR -> "Auditor";
            case VIEWER -> "Viewer";
            case SELF -> "Self-service";
        };
    }

    private static String field(Context ctx, String name, int maxLength) {
        String value = Optional.ofNullable(ctx.formParam(name)).orElse("");
        if (value.length() > maxLength) {
            throw PortalException.badRequest("A field of the form is far too long.");
        }
        return value;
    }

    /** The server's messages are lower-case clauses; the page shows a sentence. */
    private static String sentence(String message) {
        if (message == null || message.isEmpty()) {
            return "That did not work.";
        }
        String first = message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1);
        return first.endsWith(".") ? first : first + ".";
    }
}
