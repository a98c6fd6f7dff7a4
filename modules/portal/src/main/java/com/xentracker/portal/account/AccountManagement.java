package com.xentracker.portal.account;

import com.xentracker.portal.page.Frame;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.NotFoundException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.AccountLink;
import com.xentracker.server.account.IssuedLink;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /accounts}: the organization's portal accounts with role, state, two-factor sign-in and creation day;
 * for owners also the forms that invite, change roles, disable, enable, reset passwords, end sessions and (after a
 * confirmation page) delete. An invitation or a reset answers with the one-time link, shown on that page only: it
 * is never in a URL, a redirect or a log, and the server keeps only its hash.
 *
 * <p>The server checks the role (owners change, auditors read, administrators and viewers are refused), keeps the
 * organization's last active owner, and audit-logs every view and change; the portal only leaves out the forms an
 * auditor would be refused.
 */
public final class AccountManagement {

    private static final Logger LOG = LoggerFactory.getLogger(AccountManagement.class);
    /** RFC 5321 caps an address at 254 characters; longer input is refused without asking the server. */
    private static final int MAX_EMAIL_LENGTH = 254;
    static final String ID_FIELD = "id";
    static final String ROLE_FIELD = "role";
    static final String EMAIL_FIELD = "email";
    /** The query parameter that says what the previous post did. */
    static final String DONE = "done";

    /** What a post did, told on the page it redirects to (a fixed set: nothing from the request is echoed). */
    enum Notice {
        ROLE_CHANGED("role-changed", "The role was changed. It applies from the account's next request on."),
        DISABLED("disabled", "The account was disabled. Its sessions ended at once."),
        ENABLED("enabled", "The account was enabled."),
        DELETED("deleted", "The account was deleted. The audit log keeps its entries."),
        SESSIONS_ENDED("sessions-ended", "The account's sessions were ended. It can sign in again.");

        private final String key;
        private final String text;

        Notice(String key, String text) {
            this.key = key;
            this.text = text;
        }

        String redirect() {
            return PortalPaths.ACCOUNTS + "?" + DONE + "=" + key;
        }

        static Optional<String> text(String key) {
            return Arrays.stream(values()).filter(notice -> notice.key.equals(key)).findFirst()
                    .map(notice -> notice.text);
        }
    }

    private final com.xentracker.server.account.Accounts accounts;
    private final PortalSessions sessions;

    private AccountManagement(com.xentracker.server.account.Accounts accounts, PortalSessions sessions) {
        this.accounts = accounts;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        AccountManagement page = new AccountManagement(services.accounts(), sessions);
        routes.get(PortalPaths.ACCOUNTS, page::show);
        routes.post(PortalPaths.ACCOUNTS_INVITE, page::invite);
        routes.post(PortalPaths.ACCOUNTS_ROLE, page::changeRole);
        routes.post(PortalPaths.ACCOUNTS_DISABLE, page.change((actor, id) -> page.accounts.disable(actor, id),
                Notice.DISABLED));
        routes.post(PortalPaths.ACCOUNTS_ENABLE, page.change((actor, id) -> page.accounts.enable(actor, id),
                Notice.ENABLED));
        routes.post(PortalPaths.ACCOUNTS_END_SESSIONS,
                page.change((actor, id) -> page.accounts.endSessions(actor, id), Notice.SESSIONS_ENDED));
        routes.get(PortalPaths.ACCOUNTS_DELETE, page::confirmDelete);
        routes.post(PortalPaths.ACCOUNTS_DELETE, page::delete);
        routes.post(PortalPaths.ACCOUNTS_RESET_PASSWORD, page::resetPassword);
        routes.post(PortalPaths.PEOPLE_SELF_ACCOUNT, page::inviteSelf);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        // The server lists the actor's own organization only, checks the role and audit-logs the view.
        List<Account> list = accounts.list(signedIn.get().actor());
        Optional<UUID> self = signedIn.get().actor().accountId();
        List<AccountListPage.Row> rows = list.stream().map(account -> row(account, self)).toList();
        // a self-service account is made for a person, from the person's page: not a role to invite to here
        List<AccountListPage.Choice> roles = Arrays.stream(Role.values()).filter(role -> role != Role.SELF)
                .map(role -> new AccountListPage.Choice(role.name(), AccountText.role(role),
                        AccountText.roleDescription(role)))
                .toList();
        Pages.render(ctx, HttpStatus.OK, "accounts.jte", new AccountListPage(
                signedIn.get().frame("Accounts", Section.ACCOUNTS), rows,
                signedIn.get().actor().may(Action.INVITE_ACCOUNT), signedIn.get().csrfToken(), roles,
                Notice.text(Optional.ofNullable(ctx.queryParam(DONE)).orElse(""))));
    }

    private void invite(Context ctx) {
        SignedIn signedIn = signedInPost(ctx);
        if (signedIn == null) {
            return;
        }
        String email = Optional.ofNullable(ctx.formParam(EMAIL_FIELD)).map(String::strip).orElse("");
        if (email.isEmpty() || email.length() > MAX_EMAIL_LENGTH) {
            throw PortalException.badRequest("Type the person's e-mail address.");
        }
        Role role = role(ctx);
        // The server checks the role and the address, creates the account and its link, and audit-logs it.
        IssuedLink invitation = accounts.invite(signedIn.actor(), email, role);
        LOG.info("portal: account {} invited", invitation.account().id());
        showLink(ctx, signedIn, invitation);
    }

    /** A person's self-service account, from their page: the server checks the setting, the person and the role. */
    private void inviteSelf(Context ctx) {
        SignedIn signedIn = signedInPost(ctx);
        if (signedIn == null) {
            return;
        }
        UUID person = uuid(ctx.formParam("personId"));
        String email = Optional.ofNullable(ctx.formParam(EMAIL_FIELD)).map(String::strip).orElse("");
        if (email.isEmpty() || email.length() > MAX_EMAIL_LENGTH) {
            throw PortalException.badRequest("Type the person's e-mail address.");
        }
        IssuedLink invitation = accounts.inviteSelf(signedIn.actor(), person, email);
        LOG.info("portal: self-service account {} invited", invitation.account().id());
        showLink(ctx, signedIn, invitation);
    }

    private void changeRole(Context ctx) {
        SignedIn signedIn = signedInPost(ctx);
        if (signedIn == null) {
            return;
        }
        accounts.changeRole(signedIn.actor(), id(ctx), role(ctx));
        Pages.redirect(ctx, Notice.ROLE_CHANGED.redirect());
    }

    /** A post that changes one account and returns to the list with a notice. */
    private io.javalin.http.Handler change(BiConsumer<com.xentracker.server.access.Actor, UUID> change,
            Notice notice) {
        return ctx -> {
            SignedIn signedIn = signedInPost(ctx);
            if (signedIn == null) {
                return;
            }
            change.accept(signedIn.actor(), id(ctx));
            Pages.redirect(ctx, notice.redirect());
        };
    }

    /** The confirmation step: which account, and what deleting it means. Nothing changes on a GET. */
    private void confirmDelete(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        UUID id = uuid(ctx.queryParam(ID_FIELD));
        Account account = accounts.list(signedIn.get().actor()).stream()
                .filter(candidate -> candidate.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("account " + id));
        Pages.render(ctx, HttpStatus.OK, "account-delete.jte", new DeleteAccountPage(
                signedIn.get().frame("Delete account", Section.ACCOUNTS), account.id().toString(), account.email(),
                AccountText.role(account.role()),
                signedIn.get().actor().accountId().filter(account.id()::equals).isPresent(),
                signedIn.get().csrfToken()));
    }

    private void delete(Context ctx) {
        SignedIn signedIn = signedInPost(ctx);
        if (signedIn == null) {
            return;
        }
        if (!"yes".equals(ctx.formParam("confirm"))) {
            throw PortalException.badRequest("Confirm the deletion on the account's delete page.");
        }
        accounts.delete(signedIn.actor(), id(ctx));
        Pages.redirect(ctx, Notice.DELETED.redirect());
    }

    private void resetPassword(Context ctx) {
        SignedIn signedIn = signedInPost(ctx);
        if (signedIn == null) {
            return;
        }
        IssuedLink reset = accounts.resetPassword(signedIn.actor(), id(ctx));
        LOG.info("portal: password of account {} reset", reset.account().id());
        showLink(ctx, signedIn, reset);
    }

    /**
     * The one-time link, in the answer to the post that made it: 200, no-store (as every portal page), never in a
     * URL. After a reset of one's own password its sessions are gone, this one too: the page is shown as to someone
     * signed out.
     */
    private void showLink(Context ctx, SignedIn signedIn, IssuedLink issued) {
        AccountLink link = issued.link();
        boolean invitation = link.purpose() == AccountLink.Purpose.INVITATION;
        boolean self = signedIn.actor().accountId().filter(issued.account().id()::equals).isPresent();
        String title = invitation ? "Invitation link" : "Password reset link";
        Section section = issued.account().role() == Role.SELF ? Section.PEOPLE : Section.ACCOUNTS;
        Pages.render(ctx, HttpStatus.OK, "account-link.jte", new AccountLinkPage(
                self ? Frame.anonymous(title) : signedIn.frame(title, section), issued.account().email(),
                invitation, self, link.link().toString(), when(link.expiresAt())));
    }

    /** The signed-in actor of a post, its CSRF token checked; null when it was sent to sign in. */
    private SignedIn signedInPost(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return null;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        return signedIn.get();
    }

    private static AccountListPage.Row row(Account account, Optional<UUID> self) {
        return new AccountListPage.Row(account.id().toString(), account.email(), account.role().name(),
                AccountText.role(account.role()), account.status().name().toLowerCase(Locale.ROOT),
                AccountText.status(account.status()), account.twoFactor(), when(account.createdAt()),
                self.filter(account.id()::equals).isPresent(), account.status() == Account.Status.DISABLED,
                account.status() == Account.Status.INVITED ? "New invitation" : "Reset password");
    }

    static AccountListPage.When when(Instant instant) {
        return new AccountListPage.When(AccountText.day(instant), AccountText.machine(instant),
                AccountText.exact(instant));
    }

    private static Role role(Context ctx) {
        try {
            return Role.valueOf(Optional.ofNullable(ctx.formParam(ROLE_FIELD)).orElse(""));
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest("Choose a role.");
        }
    }

    private static UUID id(Context ctx) {
        return uuid(ctx.formParam(ID_FIELD));
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(Optional.ofNullable(value).orElse("").strip());
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest("Choose an account.");
        }
    }
}
