package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.AccountLink;
import com.xentracker.server.account.AccountLinks;
import com.xentracker.server.account.Accounts;
import com.xentracker.server.account.IssuedLink;
import com.xentracker.server.account.SignIn;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.crypto.SecretTokens;
import com.xentracker.server.organization.Organization;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Owners manage the organization's accounts: invitations with one-time links, roles, disabling, enabling, deleting,
 * password resets and ending sessions; always at least one active owner; auditors read only; other organizations'
 * accounts are unknown.
 */
class AccountManagementTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-05-04T08:30:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final char[] NEW_PASSWORD = "a brand new passphrase".toCharArray();

    private static Accounts accounts() {
        return server.services().accounts();
    }

    private static AccountLinks links() {
        return server.services().accountLinks();
    }

    /** An organization with one owner, signed in. */
    private record Team(Organization organization, Account owner, Actor ownerActor) {

        /** Another account with a password, created by the host's operator. */
        Account account(Role role) {
            return server.server().administration().createAccount(organization.id(), email(role.name()),
                    PASSWORD.clone(), role);
        }
    }

    private static Team team() {
        Organization organization = server.newOrganization();
        Account owner = server.server().administration().createOwner(organization.id(), email("owner"),
                PASSWORD.clone());
        return new Team(organization, owner, signIn(owner.email(), PASSWORD));
    }

    private static String email(String name) {
        return name.toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
    }

    private static Actor signIn(String email, char[] password) {
        return server.signIn(email, password.clone()).orElseThrow(() -> new AssertionError("sign-in refused"));
    }

    private static String sessionOf(String email, char[] password) {
        return ((SignIn.SignedIn) server.services().signIn().withPassword(email, password.clone(), "127.0.0.1"))
                .sessionToken();
    }

    private static Account stored(Team team, UUID account) {
        return accounts().list(server.operator(team.organization().id())).stream()
                .filter(candidate -> candidate.id().equals(account)).findFirst()
                .orElseThrow(() -> new AssertionError("no account " + account));
    }

    private static List<AuditEntry> audit(Team team, String action) {
        return server.services().audit().search(server.operator(team.organization().id()),
                AuditQuery.newest(AuditQuery.MAX_LIMIT).withAction(action)).entries();
    }

    @Test
    void anInvitationCreatesAnInvitedAccountWithoutPasswordAndAOneTimeLinkToThePortal() {
        Team team = team();
        String address = email("Invited").toUpperCase();

        IssuedLink invitation = accounts().invite(team.ownerActor(), address, Role.ADMIN);

        Account account = invitation.account();
        AccountLink link = invitation.link();
        assertThat(account.email()).isEqualTo(address.toLowerCase());
        assertThat(account.status()).isEqualTo(Account.Status.INVITED);
        assertThat(account.role()).isEqualTo(Role.ADMIN);
        assertThat(stored(team, account.id())).isEqualTo(account);
        assertThat(server.count("SELECT count(*) FROM accounts WHERE id = ? AND password_hash IS NULL", account.id()))
                .isOne();
        assertThat(link.purpose()).isEqualTo(AccountLink.Purpose.INVITATION);
        assertThat(link.expiresAt()).isEqualTo(server.clock().instant().plus(Duration.ofDays(7)));
        assertThat(link.token()).matches("[A-Za-z0-9_-]{43}");
        assertThat(link.link()).isEqualTo(URI.create(server.server().baseUri() + "account/setup?token="
                + link.token()));
        assertThat(link.toString()).doesNotContain(link.token());
        assertThat(server.count("SELECT count(*) FROM account_links WHERE account_id = ? AND token_hash = ?"
                + " AND purpose = 'INVITATION'", account.id(), SecretTokens.hash(link.token()))).isOne();
        assertThat(server.signIn(account.email(), PASSWORD.clone())).as("no password yet").isEmpty();
        assertThat(audit(team, "invite-account")).singleElement().satisfies(entry -> {
            assertThat(entry.actorAccount()).contains(team.owner().id());
            assertThat(entry.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(entry.subject().text()).isEqualTo("account " + account.id() + " invited as ADMIN");
        });
    }

    @Test
    void theInvitationLinkSetsThePasswordOnceAndThePersonSignsIn() {
        Team team = team();
        IssuedLink invitation = accounts().invite(team.ownerActor(), email("ada"), Role.AUDITOR);
        String token = invitation.link().token();

        assertThat(links().inspect(token)).isEqualTo(new AccountLinks.LinkedAccount(invitation.account().email(),
                AccountLink.Purpose.INVITATION, invitation.link().expiresAt()));
        Account activated = links().setPasswordWithLink(token, PASSWORD.clone());

        assertThat(activated.status()).isEqualTo(Account.Status.ACTIVE);
        assertThat(signIn(invitation.account().email(), PASSWORD).accountId()).contains(invitation.account().id());
        assertThatThrownBy(() -> links().setPasswordWithLink(token, NEW_PASSWORD.clone()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("used already");
        assertThatThrownBy(() -> links().inspect(token)).isInstanceOf(ConflictException.class);
        assertThat(server.signIn(invitation.account().email(), NEW_PASSWORD.clone())).as("the second use").isEmpty();
        assertThat(audit(team, "set-password-by-link")).singleElement().satisfies(entry -> {
            assertThat(entry.actorKind()).isEqualTo(ActorKind.ANONYMOUS);
            assertThat(entry.actorAccount()).contains(invitation.account().id());
            assertThat(entry.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(entry.subject().text()).isEqualTo("account " + invitation.account().id() + " (invitation)");
        });
    }

    @Test
    void aLinkWorksUntilItExpiresAndAnExpiredOneIsRefusedAndRecorded() {
        Team team = team();
        IssuedLink late = accounts().invite(team.ownerActor(), email("late"), Role.VIEWER);
        IssuedLink justInTime = accounts().invite(team.ownerActor(), email("punctual"), Role.VIEWER);

        server.clock().advance(Duration.ofDays(7).minusSeconds(1));
        links().setPasswordWithLink(justInTime.link().token(), PASSWORD.clone());
        server.clock().advance(Duration.ofSeconds(1));

        assertThatThrownBy(() -> links().inspect(late.link().token()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> links().setPasswordWithLink(late.link().token(), PASSWORD.clone()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("expired");
        assertThat(stored(team, late.account().id()).status()).isEqualTo(Account.Status.INVITED);
        assertThat(stored(team, justInTime.account().id()).status()).isEqualTo(Account.Status.ACTIVE);
        assertThat(audit(team, "set-password-by-link")).filteredOn(entry -> entry.outcome() == Outcome.FAILED)
                .singleElement().satisfies(entry -> {
                    assertThat(entry.actorAccount()).contains(late.account().id());
                    assertThat(entry.subject().text()).contains("expired");
                });
    }

    @Test
    void aPasswordTooShortIsRefusedAndTheLinkStaysUsable() {
        Team team = team();
        IssuedLink invitation = accounts().invite(team.ownerActor(), email("short"), Role.VIEWER);

        assertThatThrownBy(() -> links().setPasswordWithLink(invitation.link().token(), "too short".toCharArray()))
                .isInstanceOf(InvalidRequestException.class);

        assertThat(links().setPasswordWithLink(invitation.link().token(), PASSWORD.clone()).status())
                .isEqualTo(Account.Status.ACTIVE);
    }

    @Test
    void unknownAndMalformedLinksAreRefused() {
        assertThatThrownBy(() -> links().inspect("A".repeat(43))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> links().inspect("")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> links().setPasswordWithLink("x".repeat(10_000), PASSWORD.clone()))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void anAddressThatHasAnAccountCannotBeInvitedAgain() {
        Team team = team();
        Account admin = team.account(Role.ADMIN);

        assertThatThrownBy(() -> accounts().invite(team.ownerActor(), admin.email().toUpperCase(), Role.VIEWER))
                .isInstanceOf(DuplicateAccountException.class);
        assertThatThrownBy(() -> accounts().invite(team.ownerActor(), "not an address", Role.VIEWER))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aRoleChangeAppliesToTheNextRequestWithoutSigningInAgain() {
        Team team = team();
        Account admin = team.account(Role.ADMIN);
        Actor signedIn = signIn(admin.email(), PASSWORD);
        assertThatThrownBy(() -> accounts().list(signedIn)).as("an administrator does not see accounts")
                .isInstanceOf(NotPermittedException.class);

        Account changed = accounts().changeRole(team.ownerActor(), admin.id(), Role.AUDITOR);

        assertThat(changed.role()).isEqualTo(Role.AUDITOR);
        assertThat(signedIn.role()).as("what the session showed when resolved").isEqualTo(Role.ADMIN);
        assertThat(accounts().list(signedIn)).as("the same actor, now an auditor").isNotEmpty();
        assertThatThrownBy(() -> server.services().people().create(signedIn, "Somebody"))
                .as("no longer an administrator").isInstanceOf(NotPermittedException.class);
        assertThat(audit(team, "change-account-role")).singleElement().extracting(entry -> entry.subject().text())
                .isEqualTo("account " + admin.id() + " from ADMIN to AUDITOR");
    }

    @Test
    void aDisabledAccountsSessionsEndAtOnceAndItCannotSignIn() {
        Team team = team();
        Account admin = team.account(Role.ADMIN);
        String session = sessionOf(admin.email(), PASSWORD);
        String otherSession = sessionOf(admin.email(), PASSWORD);
        Actor resolvedBefore = server.services().sessions().resolve(session).orElseThrow();
        server.services().people().create(resolvedBefore, "Before the disable");

        Account disabled = accounts().disable(team.ownerActor(), admin.id());

        assertThat(disabled.status()).isEqualTo(Account.Status.DISABLED);
        assertThat(server.services().sessions().resolve(session)).as("its next request").isEmpty();
        assertThat(server.services().sessions().resolve(otherSession)).isEmpty();
        assertThatThrownBy(() -> server.services().people().create(resolvedBefore, "After the disable"))
                .as("a request that resolved its actor before").isInstanceOf(NotSignedInException.class);
        assertThat(server.count("SELECT count(*) FROM sessions WHERE account_id = ?", admin.id())).isZero();
        assertThat(server.signIn(admin.email(), PASSWORD.clone())).as("signing in again").isEmpty();
        assertThat(audit(team, "disable-account")).singleElement().extracting(entry -> entry.subject().text())
                .isEqualTo("account " + admin.id() + " disabled, 2 session(s) ended");
    }

    @Test
    void anEnabledAccountSignsInAgain() {
        Team team = team();
        Account admin = team.account(Role.ADMIN);
        accounts().disable(team.ownerActor(), admin.id());

        Account enabled = accounts().enable(team.ownerActor(), admin.id());

        assertThat(enabled.status()).isEqualTo(Account.Status.ACTIVE);
        assertThat(signIn(admin.email(), PASSWORD).accountId()).contains(admin.id());
        assertThat(accounts().enable(team.ownerActor(), admin.id()).status()).as("enabling again changes nothing")
                .isEqualTo(Account.Status.ACTIVE);
    }

    @Test
    void disablingAnInvitedAccountEndsItsLinkAndEnablingLeavesItInvitedUntilANewLinkIsUsed() {
        Team team = team();
        IssuedLink invitation = accounts().invite(team.ownerActor(), email("invited"), Role.VIEWER);

        accounts().disable(team.ownerActor(), invitation.account().id());
        assertThatThrownBy(() -> links().setPasswordWithLink(invitation.link().token(), PASSWORD.clone()))
                .isInstanceOf(ConflictException.class);
        Account enabled = accounts().enable(team.ownerActor(), invitation.account().id());
        AccountLink renewed = accounts().resetPassword(team.ownerActor(), invitation.account().id()).link();

        assertThat(enabled.status()).isEqualTo(Account.Status.INVITED);
        assertThat(renewed.purpose()).isEqualTo(AccountLink.Purpose.INVITATION);
        assertThat(renewed.expiresAt()).isEqualTo(server.clock().instant().plus(Duration.ofDays(7)));
        links().setPasswordWithLink(renewed.token(), PASSWORD.clone());
        assertThat(signIn(invitation.account().email(), PASSWORD).accountId()).contains(invitation.account().id());
    }

    @Test
    void aDeletedAccountIsGoneButTheAuditLogKeepsItsEntries() {
        Team team = team();
        Account auditor = team.account(Role.AUDITOR);
        Actor signedIn = signIn(auditor.email(), PASSWORD);
        accounts().list(signedIn);

        accounts().delete(team.ownerActor(), auditor.id());

        assertThat(server.count("SELECT count(*) FROM accounts WHERE id = ?", auditor.id())).isZero();
        assertThat(server.count("SELECT count(*) FROM sessions WHERE account_id = ?", auditor.id())).isZero();
        assertThatThrownBy(() -> accounts().list(signedIn)).isInstanceOf(NotSignedInException.class);
        assertThat(server.signIn(auditor.email(), PASSWORD.clone())).isEmpty();
        assertThat(audit(team, "view-accounts")).anySatisfy(entry ->
                assertThat(entry.actorAccount()).contains(auditor.id()));
        assertThat(audit(team, "delete-account")).singleElement().extracting(entry -> entry.subject().text())
                .isEqualTo("account " + auditor.id() + " (AUDITOR, ACTIVE) deleted");
        assertThatThrownBy(() -> accounts().delete(team.ownerActor(), auditor.id()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aPasswordResetStopsTheOldPasswordAtOnceAndTheLinkSetsANewOne() {
        Team team = team();
        Account admin = team.account(Role.ADMIN);
        String session = sessionOf(admin.email(), PASSWORD);

        AccountLink link = accounts().resetPassword(team.ownerActor(), admin.id()).link();

        assertThat(link.purpose()).isEqualTo(AccountLink.Purpose.PASSWORD_RESET);
        assertThat(link.expiresAt()).isEqualTo(server.clock().instant().plus(Duration.ofHours(24)));
        assertThat(server.signIn(admin.email(), PASSWORD.clone())).as("the old password").isEmpty();
        assertThat(server.services().sessions().resolve(session)).as("its session").isEmpty();
        assertThat(stored(team, admin.id()).status()).as("still active, only without a password")
                .isEqualTo(Account.Status.ACTIVE);

        links().setPasswordWithLink(link.token(), NEW_PASSWORD.clone());

        assertThat(signIn(admin.email(), NEW_PASSWORD).accountId()).contains(admin.id());
        assertThat(server.signIn(admin.email(), PASSWORD.clone())).isEmpty();
    }

    @Test
    void aResetLinkExpiresAfterADayAndANewerLinkReplacesAnOlderOne() {
        Team team = team();
        Account admin = team.account(Role.ADMIN);
        AccountLink first = accounts().resetPassword(team.ownerActor(), admin.id()).link();
        AccountLink second = accounts().resetPassword(team.ownerActor(), admin.id()).link();

        assertThatThrownBy(() -> links().setPasswordWithLink(first.token(), NEW_PASSWORD.clone()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("replaced by a newer link");
        server.clock().advance(Duration.ofHours(24));
        assertThatThrownBy(() -> links().setPasswordWithLink(second.token(), NEW_PASSWORD.clone()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("expired");
        assertThat(server.signIn(admin.email(), NEW_PASSWORD.clone())).isEmpty();
    }

    @Test
    void aDisabledAccountsPasswordCannotBeReset() {
        Team team = team();
        Account admin = team.account(Role.ADMIN);
        accounts().disable(team.ownerActor(), admin.id());

        assertThatThrownBy(() -> accounts().resetPassword(team.ownerActor(), admin.id()))
                .isInstanceOf(ConflictException.class).hasMessageContaining("disabled");
        assertThat(server.count("SELECT count(*) FROM account_links WHERE account_id = ?", admin.id())).isZero();
    }

    @Test
    void endingAnAccountsSessionsSignsItOutEverywhereButItMaySignInAgain() {
        Team team = team();
        Account viewer = team.account(Role.VIEWER);
        String laptop = sessionOf(viewer.email(), PASSWORD);
        String phone = sessionOf(viewer.email(), PASSWORD);

        int ended = accounts().endSessions(team.ownerActor(), viewer.id());

        assertThat(ended).isEqualTo(2);
        assertThat(server.services().sessions().resolve(laptop)).isEmpty();
        assertThat(server.services().sessions().resolve(phone)).isEmpty();
        assertThat(signIn(viewer.email(), PASSWORD).accountId()).contains(viewer.id());
        assertThat(server.services().sessions().resolve(sessionOf(team.owner().email(), PASSWORD)))
                .as("other accounts' sessions").isPresent();
    }

    @Test
    void theLastActiveOwnerCannotBeDemotedDisabledOrDeletedByAnyone() {
        Team team = team();
        UUID owner = team.owner().id();
        Actor operator = server.operator(team.organization().id());
        Account disabledOwner = team.account(Role.OWNER);
        accounts().disable(team.ownerActor(), disabledOwner.id());
        accounts().invite(team.ownerActor(), email("invited-owner"), Role.OWNER);

        for (Actor actor : List.of(team.ownerActor(), operator)) {
            assertThatThrownBy(() -> accounts().changeRole(actor, owner, Role.ADMIN))
                    .isInstanceOf(ConflictException.class).hasMessageContaining("last active owner");
            assertThatThrownBy(() -> accounts().disable(actor, owner)).isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> accounts().delete(actor, owner)).isInstanceOf(ConflictException.class);
        }

        assertThat(stored(team, owner)).extracting(Account::role, Account::status)
                .containsExactly(Role.OWNER, Account.Status.ACTIVE);
        assertThat(signIn(team.owner().email(), PASSWORD).accountId()).contains(owner);
        assertThat(audit(team, "change-account-role")).hasSize(2)
                .allSatisfy(entry -> assertThat(entry.outcome()).isEqualTo(Outcome.FAILED));
    }

    @Test
    void withASecondActiveOwnerAnOwnerMayStepDown() {
        Team team = team();
        Account second = team.account(Role.OWNER);

        accounts().changeRole(team.ownerActor(), team.owner().id(), Role.AUDITOR);

        assertThatThrownBy(() -> accounts().invite(team.ownerActor(), email("x"), Role.VIEWER))
                .as("the former owner, at its next request").isInstanceOf(NotPermittedException.class);
        Actor secondActor = signIn(second.email(), PASSWORD);
        assertThatThrownBy(() -> accounts().delete(secondActor, second.id()))
                .as("now the last active owner itself").isInstanceOf(ConflictException.class);
    }

    @Test
    void twoOwnersDisabledAtOnceLeaveOneActiveOwner() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 4; round++) {
                Team team = team();
                Account second = team.account(Role.OWNER);
                // even rounds: the two owners disable each other; odd rounds: the operator (whom no account lock
                // holds back) disables both at once
                Actor operator = server.operator(team.organization().id());
                Actor first = round % 2 == 0 ? team.ownerActor() : operator;
                Actor other = round % 2 == 0 ? signIn(second.email(), PASSWORD) : operator;
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> results = new ArrayList<>();
                results.add(threads.submit(() -> disabled(start, first, second.id())));
                results.add(threads.submit(() -> disabled(start, other, team.owner().id())));

                int succeeded = 0;
                for (Future<Boolean> result : results) {
                    succeeded += result.get() ? 1 : 0;
                }

                assertThat(succeeded).as("round " + round).isOne();
                assertThat(server.count("SELECT count(*) FROM accounts WHERE organization_id = ? AND role = 'OWNER'"
                        + " AND status = 'ACTIVE'", team.organization().id())).as("round " + round).isOne();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Whether {@code actor} disabled {@code account}; refused because it was disabled itself, or the last owner. */
    private static boolean disabled(CyclicBarrier start, Actor actor, UUID account) throws Exception {
        start.await();
        try {
            accounts().disable(actor, account);
            return true;
        } catch (NotSignedInException | ConflictException e) {
            return false;
        }
    }

    @Test
    void anotherOrganizationsAccountIsUnknownAndUntouched() {
        Team mine = team();
        Team theirs = team();
        Account their = theirs.account(Role.ADMIN);
        String theirSession = sessionOf(their.email(), PASSWORD);
        Actor me = mine.ownerActor();

        assertThatThrownBy(() -> accounts().changeRole(me, their.id(), Role.VIEWER))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> accounts().disable(me, their.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> accounts().enable(me, their.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> accounts().delete(me, their.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> accounts().resetPassword(me, their.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> accounts().endSessions(me, their.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> accounts().disable(me, UUID.randomUUID())).isInstanceOf(NotFoundException.class);

        assertThat(accounts().list(me)).extracting(Account::id).doesNotContain(their.id());
        assertThat(stored(theirs, their.id())).isEqualTo(their);
        assertThat(server.services().sessions().resolve(theirSession)).isPresent();
        assertThat(signIn(their.email(), PASSWORD).accountId()).contains(their.id());
    }

    @Test
    void anAuditorListsTheAccountsButCannotChangeThem() {
        Team team = team();
        Account admin = team.account(Role.ADMIN);
        Actor auditor = signIn(team.account(Role.AUDITOR).email(), PASSWORD);

        assertThat(accounts().list(auditor)).extracting(Account::id).contains(team.owner().id(), admin.id());
        assertThatThrownBy(() -> accounts().invite(auditor, email("x"), Role.OWNER))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> accounts().changeRole(auditor, admin.id(), Role.OWNER))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> accounts().disable(auditor, admin.id())).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> accounts().enable(auditor, admin.id())).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> accounts().delete(auditor, admin.id())).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> accounts().resetPassword(auditor, admin.id()))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> accounts().endSessions(auditor, admin.id()))
                .isInstanceOf(NotPermittedException.class);

        assertThat(stored(team, admin.id())).isEqualTo(admin);
        assertThat(audit(team, "change-account-role")).singleElement().satisfies(entry -> {
            assertThat(entry.outcome()).isEqualTo(Outcome.DENIED);
            assertThat(entry.actorAccount()).isEqualTo(auditor.accountId());
        });
    }

    @Test
    void administratorsAndViewersCannotEvenListAccounts() {
        Team team = team();
        for (Role role : List.of(Role.ADMIN, Role.VIEWER)) {
            Actor actor = signIn(team.account(role).email(), PASSWORD);
            assertThatThrownBy(() -> accounts().list(actor)).as(role.name())
                    .isInstanceOf(NotPermittedException.class);
            assertThatThrownBy(() -> accounts().invite(actor, email("x"), Role.VIEWER)).as(role.name())
                    .isInstanceOf(NotPermittedException.class);
        }
    }

    @Test
    void auditEntriesNameAccountsByIdNeverByEmailAddress() {
        Team team = team();
        IssuedLink invitation = accounts().invite(team.ownerActor(), email("private"), Role.ADMIN);
        UUID id = invitation.account().id();
        links().setPasswordWithLink(invitation.link().token(), PASSWORD.clone());
        accounts().changeRole(team.ownerActor(), id, Role.AUDITOR);
        accounts().endSessions(team.ownerActor(), id);
        accounts().resetPassword(team.ownerActor(), id);
        accounts().disable(team.ownerActor(), id);
        accounts().enable(team.ownerActor(), id);
        accounts().delete(team.ownerActor(), id);

        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND subject LIKE ?",
                team.organization().id(), "%account " + id + "%")).isEqualTo(8);
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND (subject ILIKE ?"
                + " OR subject LIKE '%@%')", team.organization().id(), "%private%")).isZero();
    }

    @Test
    void theOperatorsChangesAreAuditedAsTheOperators() {
        Team team = team();
        Actor operator = server.operator(team.organization().id());

        IssuedLink invitation = accounts().invite(operator, email("by-operator"), Role.OWNER);

        assertThat(audit(team, "invite-account")).singleElement().satisfies(entry -> {
            assertThat(entry.actorKind()).isEqualTo(ActorKind.OPERATOR);
            assertThat(entry.actorAccount()).isEqualTo(Optional.empty());
            assertThat(entry.subject().text()).contains(invitation.account().id().toString());
        });
    }
}
