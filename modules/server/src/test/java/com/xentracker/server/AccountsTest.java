package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.account.Account;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Sessions;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.crypto.SecretTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccountsTest {

    /** The tests do not depend on the date; the clock starts at a fixed one all the same. */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    private Account owner() {
        Organization organization = server.newOrganization();
        return server.server().administration().createOwner(organization.id(),
                "Owner-" + UUID.randomUUID() + "@Example.org", PASSWORD.clone());
    }

    private Sessions sessions() {
        return server.server().services().sessions();
    }

    @Test
    void theRightPasswordAuthenticates() {
        Account owner = owner();

        assertThat(accountOf(server.signIn(owner.email(), PASSWORD.clone()))).contains(owner.id());
        assertThat(owner.role()).isEqualTo(Role.OWNER);
    }

    @Test
    void emailAddressesAreMatchedWithoutRegardToCase() {
        Account owner = owner();

        assertThat(accountOf(server.signIn(owner.email().toUpperCase(), PASSWORD.clone()))).contains(owner.id());
    }

    @Test
    void aWrongPasswordDoesNotAuthenticate() {
        Account owner = owner();

        assertThat(server.signIn(owner.email(), "correct horse battery stapler".toCharArray())).isEmpty();
    }

    @Test
    void fiveWrongPasswordsInARowLockTheAccountEvenAgainstTheRightOneUntilTheLockEnds() {
        Account owner = owner();
        char[] wrong = "correct horse battery stapler".toCharArray();
        for (int i = 0; i < 5; i++) {
            assertThat(server.signIn(owner.email(), wrong.clone())).isEmpty();
        }

        assertThat(server.signIn(owner.email(), PASSWORD.clone()))
                .as("the right password while locked").isEmpty();
        assertThat(auditCount(owner, "sign-in-failed")).isEqualTo(6);
        assertThat(auditCount(owner, "sign-in-locked")).isOne();

        server.clock().advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(accountOf(server.signIn(owner.email(), PASSWORD.clone())))
                .as("after the lock").contains(owner.id());
        assertThat(server.count("SELECT count(*) FROM accounts WHERE id = ? AND failed_sign_ins = 0"
                + " AND locked_until IS NULL", owner.id())).as("a success resets the count").isOne();
        // the count starts again: four more failures do not lock
        for (int i = 0; i < 4; i++) {
            server.signIn(owner.email(), wrong.clone());
        }
        assertThat(accountOf(server.signIn(owner.email(), PASSWORD.clone()))).contains(owner.id());
    }

    @Test
    void eachFurtherFailureAfterALockDoublesTheNextLockUpToAnHour() {
        assertThat(com.xentracker.server.account.AccountServices.lockAfter(5)).isEqualTo(Duration.ofMinutes(1));
        assertThat(com.xentracker.server.account.AccountServices.lockAfter(6)).isEqualTo(Duration.ofMinutes(2));
        assertThat(com.xentracker.server.account.AccountServices.lockAfter(10)).isEqualTo(Duration.ofMinutes(32));
        assertThat(com.xentracker.server.account.AccountServices.lockAfter(11)).isEqualTo(Duration.ofHours(1));
        assertThat(com.xentracker.server.account.AccountServices.lockAfter(1_000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void lockingOneAccountLeavesOthersAlone() {
        Account locked = owner();
        Account other = owner();
        for (int i = 0; i < 6; i++) {
            server.signIn(locked.email(), "wrong password!!".toCharArray());
        }

        assertThat(accountOf(server.signIn(other.email(), PASSWORD.clone()))).contains(other.id());
        assertThat(auditCount(other, "sign-in-failed")).isZero();
    }

    /** The account of an actor, if any. */
    private static java.util.Optional<UUID> accountOf(java.util.Optional<com.xentracker.server.access.Actor> actor) {
        return actor.flatMap(com.xentracker.server.access.Actor::accountId);
    }

    /** Signs in as {@code account}; the session token. */
    private static String sessionOf(Account account) {
        return ((com.xentracker.server.account.SignIn.SignedIn) server.services().signIn()
                .withPassword(account.email(), PASSWORD.clone(), "127.0.0.1")).sessionToken();
    }

    private long auditCount(Account account, String action) {
        return server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND actor_account_id IS NULL"
                + " AND action = '" + action + "' AND subject LIKE ?", account.organizationId(),
                "account " + account.id() + "%");
    }

    @Test
    void anUnknownEmailDoesNotAuthenticate() {
        assertThat(server.signIn("nobody@example.org", PASSWORD.clone())).isEmpty();
    }

    @Test
    void onlyAnArgon2idHashIsStored() {
        Account owner = owner();

        String stored = server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT password_hash FROM accounts WHERE id = :id")
                .bind("id", owner.id()).mapTo(String.class).one());

        assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain(new String(PASSWORD));
    }

    @Test
    void anEmailAddressBelongsToOneAccountOnly() {
        Account owner = owner();
        Organization other = server.newOrganization();

        assertThatThrownBy(() -> server.server().administration().createOwner(other.id(), owner.email(),
                PASSWORD.clone())).isInstanceOf(DuplicateAccountException.class);
    }

    @Test
    void aShortPasswordIsRefused() {
        Organization organization = server.newOrganization();

        assertThatThrownBy(() -> server.server().administration().createOwner(organization.id(), "a@example.org",
                "short".toCharArray())).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void anOwnerNeedsAnExistingOrganization() {
        assertThatThrownBy(() -> server.server().administration().createOwner(UUID.randomUUID(), "b@example.org",
                PASSWORD.clone())).isInstanceOf(NoSuchOrganizationException.class);
    }

    @Test
    void anOpenSessionResolvesToItsAccount() {
        Account owner = owner();

        String token = sessionOf(owner);

        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(accountOf(sessions().resolve(token))).contains(owner.id());
    }

    @Test
    void aClosedSessionNoLongerResolves() {
        Account owner = owner();
        String token = sessionOf(owner);

        sessions().close(token);

        assertThat(sessions().resolve(token)).isEmpty();
    }

    @Test
    void aSessionExpiresAfterTwelveHours() {
        Account owner = owner();
        String token = sessionOf(owner);

        server.clock().advance(Duration.ofHours(12).minusSeconds(1));
        assertThat(accountOf(sessions().resolve(token))).contains(owner.id());
        server.clock().advance(Duration.ofSeconds(1));
        assertThat(sessions().resolve(token)).isEmpty();
    }

    @Test
    void unknownAndMalformedTokensResolveToNothing() {
        assertThat(sessions().resolve("not-a-session")).isEmpty();
        assertThat(sessions().resolve("")).isEmpty();
        assertThat(sessions().resolve("x".repeat(10_000))).isEmpty();
        sessions().close("not-a-session");
    }

    @Test
    void onlyTheSessionTokensHashIsStored() {
        Account owner = owner();
        String token = sessionOf(owner);

        assertThat(server.count("SELECT count(*) FROM sessions WHERE token_hash = ?", SecretTokens.hash(token)))
                .isOne();
        assertThat(server.count("SELECT count(*) FROM sessions WHERE account_id = ? AND position(? in "
                + "encode(token_hash, 'escape')) > 0", owner.id(), token)).isZero();
    }

    @Test
    void signingInAndOutIsAuditLoggedWithTheAccountAsActor() {
        Account owner = owner();
        String token = sessionOf(owner);

        sessions().close(token);

        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND actor_account_id = ? "
                + "AND actor_kind = 'ACCOUNT' AND action = 'sign-in'", owner.organizationId(), owner.id())).isOne();
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND actor_account_id = ? "
                + "AND action = 'sign-out'", owner.organizationId(), owner.id())).isOne();
        assertThat(server.count("SELECT count(*) FROM sign_ins WHERE account_id = ? AND outcome = 'SIGNED_IN'",
                owner.id())).isOne();
    }
}
