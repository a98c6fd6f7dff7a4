package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.AccountServices;
import com.xentracker.server.account.SignIn;
import com.xentracker.server.organization.Organization;
import java.time.Instant;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failed sign-ins per source address, across accounts and organizations. */
class SignInThrottleTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-08-21T09:49:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final char[] WRONG = "not the password at all".toCharArray();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private static SignIn signIn() {
        return server.services().signIn();
    }

    /** An address of its own for each test. */
    private static String address() {
        return "203.0.113." + ADDRESSES.incrementAndGet();
    }

    private static Account account() {
        Organization organization = server.newOrganization();
        return server.server().administration().createAccount(organization.id(),
                "throttled-" + UUID.randomUUID() + "@example.org", PASSWORD.clone(), Role.ADMIN);
    }

    /**
     * {@code count} failed sign-ins from {@code address}: unknown e-mail addresses, and every fifth a wrong password
     * of an account in an organization of its own (at most four: five would lock the account too).
     */
    private static void fail(String address, int count) {
        Account account = account();
        for (int i = 0; i < count; i++) {
            String email = i % 5 == 4 ? account.email() : "nobody-" + UUID.randomUUID() + "@example.org";
            assertThat(signIn().withPassword(email, WRONG.clone(), address)).as("failure %d", i + 1)
                    .isInstanceOf(SignIn.Refused.class);
        }
    }

    @Test
    void twentyFailuresFromOneAddressLockItForAMinuteWhateverTheAccount() {
        String address = address();
        Account account = account();
        fail(address, 20);

        assertThatThrownBy(() -> signIn().withPassword(account.email(), PASSWORD.clone(), address))
                .as("even the right password").isInstanceOf(TooManyAttemptsException.class)
                .satisfies(e -> assertThat(((TooManyAttemptsException) e).retryAfter())
                        .isEqualTo(Duration.ofMinutes(1)))
                .hasMessageContaining("try again in 60 s");
        assertThat(signIn().withPassword(account.email(), PASSWORD.clone(), address()))
                .as("from another address").isInstanceOf(SignIn.SignedIn.class);
        assertThat(server.count("SELECT count(*) FROM sign_ins WHERE account_id = ?", account.id()))
                .as("a refused attempt is not checked, so not in the account's history").isOne();

        server.clock().advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> signIn().withPassword(account.email(), PASSWORD.clone(), address))
                .isInstanceOf(TooManyAttemptsException.class)
                .satisfies(e -> assertThat(((TooManyAttemptsException) e).retryAfter())
                        .isEqualTo(Duration.ofSeconds(30)));
        server.clock().advance(Duration.ofSeconds(30));
        assertThat(signIn().withPassword(account.email(), PASSWORD.clone(), address))
                .as("the lock has lifted").isInstanceOf(SignIn.SignedIn.class);
    }

    @Test
    void eachFurtherFailureAfterTheLockLocksTheAddressTwiceAsLong() {
        String address = address();
        fail(address, 20);
        server.clock().advance(Duration.ofMinutes(1));

        fail(address, 1);

        assertThatThrownBy(() -> signIn().withPassword("nobody@example.org", WRONG.clone(), address))
                .isInstanceOf(TooManyAttemptsException.class)
                .satisfies(e -> assertThat(((TooManyAttemptsException) e).retryAfter())
                        .isEqualTo(Duration.ofMinutes(2)));
        assertThat(AccountServices.addressLockAfter(26)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aSuccessfulSignInResetsNeitherItsOwnAddressNorAnother() {
        String address = address();
        String other = address();
        Account account = account();
        fail(address, 19);
        fail(other, 19);

        assertThat(signIn().withPassword(account.email(), PASSWORD.clone(), address))
                .isInstanceOf(SignIn.SignedIn.class);
        assertThat(signIn().withPassword(account.email(), PASSWORD.clone(), other))
                .isInstanceOf(SignIn.SignedIn.class);
        fail(address, 1);
        fail(other, 1);

        assertThatThrownBy(() -> signIn().withPassword(account.email(), PASSWORD.clone(), address))
                .isInstanceOf(TooManyAttemptsException.class);
        assertThatThrownBy(() -> signIn().withPassword(account.email(), PASSWORD.clone(), other))
                .isInstanceOf(TooManyAttemptsException.class);
    }

    @Test
    void oneFailureIsForgivenEveryThreeMinutes() {
        String address = address();
        fail(address, 19);
        server.clock().advance(Duration.ofMinutes(3));

        fail(address, 1); // 19 - 1 + 1
        assertThat(signIn().withPassword("nobody@example.org", WRONG.clone(), address))
                .as("the twentieth counted failure is still checked").isInstanceOf(SignIn.Refused.class);

        assertThatThrownBy(() -> signIn().withPassword("nobody@example.org", WRONG.clone(), address))
                .isInstanceOf(TooManyAttemptsException.class);
    }

    @Test
    void anIpv6AddressIsThrottledWithItsWholeSlash64() {
        for (int i = 1; i <= 20; i++) {
            assertThat(signIn().withPassword("nobody@example.org", WRONG.clone(), "2001:db8:0:7::" + i))
                    .isInstanceOf(SignIn.Refused.class);
        }
        Account account = account();

        assertThatThrownBy(() -> signIn().withPassword(account.email(), PASSWORD.clone(), "2001:db8:0:7:ffff::1"))
                .isInstanceOf(TooManyAttemptsException.class);
        assertThat(signIn().withPassword(account.email(), PASSWORD.clone(), "2001:db8:0:8::1"))
                .as("the next /64").isInstanceOf(SignIn.SignedIn.class);
        assertThat(server.count("SELECT count(*) FROM sign_ins WHERE account_id = ? AND source_address = ?",
                account.id(), "2001:db8:0:8::1")).as("the history keeps the whole address").isOne();
    }

    @Test
    void wrongSecondFactorsCountForTheAddressAndALockedAddressGetsNoCodeChecked() {
        String address = address();
        Account account = account();
        Actor actor = server.signIn(account.email(), PASSWORD.clone()).orElseThrow();
        Authenticator app = Authenticator.fromBase32(server.services().ownAccount().beginTwoFactorSetup(actor)
                .secret());
        server.services().ownAccount().confirmTwoFactor(actor, app.codeAt(server.clock().instant()));
        server.clock().advance(Duration.ofSeconds(30));
        fail(address, 19);
        String code = app.codeAt(server.clock().instant());
        SignIn.Result first = signIn().withPassword(account.email(), PASSWORD.clone(), address);
        String wrong = "000000".equals(code) ? "111111" : "000000";

        SignIn.Result again = signIn().withSecondFactor(((SignIn.SecondFactorRequired) first).challenge(), wrong,
                address);

        assertThat(again).isInstanceOf(SignIn.SecondFactorRequired.class);
        assertThatThrownBy(() -> signIn().withSecondFactor(((SignIn.SecondFactorRequired) again).challenge(), code,
                address)).isInstanceOf(TooManyAttemptsException.class);
        assertThat(server.count("SELECT count(*) FROM sign_ins WHERE account_id = ? AND outcome = 'SIGNED_IN'",
                account.id())).as("the set-up's sign-in only").isOne();
    }

    @Test
    void theSweepForgetsAddressesThatWereForgivenEverythingAndKeepsTheRest() {
        String forgiven = address();
        String locked = address();
        fail(forgiven, 3);
        server.clock().advance(Duration.ofMinutes(59));
        fail(locked, 20);
        server.clock().advance(Duration.ofMinutes(1).plusSeconds(1));

        server.jdbi().useHandle(handle -> AccountServices.sweep(handle, server.clock().instant()));

        assertThat(server.count("SELECT count(*) FROM sign_in_throttle WHERE source_address = ?", forgiven)).isZero();
        assertThat(server.count("SELECT count(*) FROM sign_in_throttle WHERE source_address = ?", locked)).isOne();
    }
}
