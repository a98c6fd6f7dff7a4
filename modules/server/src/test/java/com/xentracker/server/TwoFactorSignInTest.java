package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.AccountOverview;
import com.xentracker.server.account.OwnAccount;
import com.xentracker.server.account.RecoveryCodes;
import com.xentracker.server.account.SignIn;
import com.xentracker.server.account.TwoFactorSetup;
import com.xentracker.server.organization.Organization;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signing in with a password and a code from an authenticator app (RFC 6238) or a recovery code. */
class TwoFactorSignInTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-09-24T09:56:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    /** An account with two-factor sign-in on, its app and its recovery codes. */
    record Enrolled(Account account, Authenticator app, RecoveryCodes codes) {
        String email() {
            return account.email();
        }
    }

    /** An owner who set up and confirmed an app; the clock is a step on, so the app shows an unused code. */
    private static Enrolled enrolled() {
        Organization organization = server.newOrganization();
        Account account = server.server().administration().createAccount(organization.id(),
                "two-factor-" + UUID.randomUUID() + "@example.org", PASSWORD.clone(), Role.OWNER);
        Actor actor = server.signIn(account.email(), PASSWORD.clone()).orElseThrow();
        TwoFactorSetup setup = own().beginTwoFactorSetup(actor);
        Authenticator app = Authenticator.fromBase32(setup.secret());
        RecoveryCodes codes = own().confirmTwoFactor(actor, app.codeAt(now()));
        server.clock().advance(Duration.ofSeconds(30));
        return new Enrolled(account, app, codes);
    }

    private static OwnAccount own() {
        return server.services().ownAccount();
    }

    private static SignIn signIn() {
        return server.services().signIn();
    }

    private static Instant now() {
        return server.clock().instant();
    }

    /** An address of its own for each test, so that the address throttle of one does not reach another. */
    private static String address() {
        return "192.0.2." + ADDRESSES.incrementAndGet();
    }

    /** The password step, which must ask for the second factor; the challenge. */
    private static String challenge(Enrolled enrolled, String address) {
        SignIn.Result result = signIn().withPassword(enrolled.email(), PASSWORD.clone(), address);
        assertThat(result).isInstanceOf(SignIn.SecondFactorRequired.class);
        return ((SignIn.SecondFactorRequired) result).challenge();
    }

    /** A code the app shows at none of the steps around now. */
    private static String wrongCode(Authenticator app) {
        long step = Math.floorDiv(now().getEpochSecond(), 30);
        for (int candidate = 0; ; candidate++) {
            String code = String.format(Locale.ROOT, "%06d", candidate);
            if (!code.equals(app.codeFor(step - 1)) && !code.equals(app.codeFor(step))
                    && !code.equals(app.codeFor(step + 1))) {
                return code;
            }
        }
    }

    private static long sessionsOf(Account account) {
        return server.count("SELECT count(*) FROM sessions WHERE account_id = ?", account.id());
    }

    private static long history(Account account, String outcome) {
        return server.count("SELECT count(*) FROM sign_ins WHERE account_id = ? AND outcome = ?", account.id(),
                outcome);
    }

    private static long audit(Account account, String action, String subjectPattern, String outcome) {
        return server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action = ?"
                + " AND subject LIKE ? AND outcome = ?", account.organizationId(), action, subjectPattern, outcome);
    }

    private static int failedSignIns(Account account) {
        return (int) server.count("SELECT failed_sign_ins FROM accounts WHERE id = ?", account.id());
    }

    @Test
    void theRightPasswordAsksForTheCodeAndOnlyTheCodeOpensTheSession() {
        Enrolled enrolled = enrolled();
        String address = address();
        long sessions = sessionsOf(enrolled.account());

        String challenge = challenge(enrolled, address);
        assertThat(sessionsOf(enrolled.account())).as("no session after the password alone").isEqualTo(sessions);
        assertThat(history(enrolled.account(), "SIGNED_IN")).as("the set-up's sign-in only").isOne();

        SignIn.Result result = signIn().withSecondFactor(challenge, enrolled.app().codeAt(now()), address);

        assertThat(result).isInstanceOf(SignIn.SignedIn.class);
        Actor actor = ((SignIn.SignedIn) result).actor();
        assertThat(actor.accountId()).contains(enrolled.account().id());
        assertThat(server.services().sessions().resolve(((SignIn.SignedIn) result).sessionToken())).contains(actor);
        assertThat(sessionsOf(enrolled.account())).isEqualTo(sessions + 1);
        assertThat(history(enrolled.account(), "SIGNED_IN")).isEqualTo(2);
        assertThat(audit(enrolled.account(), "sign-in", "%(second factor: authenticator code)", "SUCCESS")).isOne();
    }

    @Test
    void aCodeIsAcceptedOnceAReplayIsRefusedAndCounted() {
        Enrolled enrolled = enrolled();
        String address = address();
        String code = enrolled.app().codeAt(now());
        assertThat(signIn().withSecondFactor(challenge(enrolled, address), code, address))
                .isInstanceOf(SignIn.SignedIn.class);

        server.clock().advance(Duration.ofSeconds(5)); // still the same step: the code is valid, but used
        SignIn.Result replay = signIn().withSecondFactor(challenge(enrolled, address), code, address);

        assertThat(replay).as("asked again, not signed in").isInstanceOf(SignIn.SecondFactorRequired.class);
        assertThat(history(enrolled.account(), "WRONG_SECOND_FACTOR")).isOne();
        assertThat(failedSignIns(enrolled.account())).isOne();
        assertThat(audit(enrolled.account(), "sign-in-failed", "account " + enrolled.account().id()
                + " (second factor)", "FAILED")).isOne();
    }

    @Test
    void fiveWrongCodesLockTheAccountEvenWithThePasswordEnteredAgainInBetween() {
        Enrolled enrolled = enrolled();
        String address = address();
        for (int i = 1; i <= 4; i++) {
            // the password again each time: a right password must not reset the count of wrong codes
            SignIn.Result result = signIn().withSecondFactor(challenge(enrolled, address),
                    wrongCode(enrolled.app()), address);
            assertThat(result).as("wrong code %d", i).isInstanceOf(SignIn.SecondFactorRequired.class);
        }
        String challenge = challenge(enrolled, address);

        SignIn.Result fifth = signIn().withSecondFactor(challenge, wrongCode(enrolled.app()), address);

        assertThat(fifth).as("locked by the fifth").isInstanceOf(SignIn.Refused.class);
        assertThat(signIn().withPassword(enrolled.email(), PASSWORD.clone(), address))
                .as("the right password while locked").isInstanceOf(SignIn.Refused.class);
        assertThat(failedSignIns(enrolled.account())).isEqualTo(6);
        assertThat(history(enrolled.account(), "WRONG_SECOND_FACTOR")).isEqualTo(5);
        assertThat(audit(enrolled.account(), "sign-in-failed", "account " + enrolled.account().id()
                + " (second factor)", "FAILED")).isEqualTo(5);
        assertThat(audit(enrolled.account(), "sign-in-locked", "account " + enrolled.account().id() + " for 60 s%",
                "SUCCESS")).isOne();

        server.clock().advance(Duration.ofMinutes(1).plusSeconds(1));
        SignIn.Result after = signIn().withSecondFactor(challenge(enrolled, address), enrolled.app().codeAt(now()),
                address);
        assertThat(after).as("after the lock").isInstanceOf(SignIn.SignedIn.class);
        assertThat(failedSignIns(enrolled.account())).as("a full sign-in resets the count").isZero();
    }

    @Test
    void codesOneStepOldOrAheadAreAcceptedTwoStepsAreNot() {
        Enrolled old = enrolled();
        String oneOld = old.app().codeAt(now());
        server.clock().advance(Duration.ofSeconds(30));
        assertThat(signIn().withSecondFactor(challenge(old, address()), oneOld, address()))
                .as("one step old").isInstanceOf(SignIn.SignedIn.class);

        Enrolled ahead = enrolled();
        assertThat(signIn().withSecondFactor(challenge(ahead, address()),
                ahead.app().codeAt(now().plusSeconds(30)), address()))
                .as("one step ahead").isInstanceOf(SignIn.SignedIn.class);

        Enrolled tooOld = enrolled();
        String twoOld = tooOld.app().codeAt(now());
        server.clock().advance(Duration.ofSeconds(60));
        assertThat(signIn().withSecondFactor(challenge(tooOld, address()), twoOld, address()))
                .as("two steps old").isInstanceOf(SignIn.SecondFactorRequired.class);

        Enrolled tooFarAhead = enrolled();
        assertThat(signIn().withSecondFactor(challenge(tooFarAhead, address()),
                tooFarAhead.app().codeAt(now().plusSeconds(60)), address()))
                .as("two steps ahead").isInstanceOf(SignIn.SecondFactorRequired.class);
    }

    @Test
    void aCodeOfAStepBeforeTheLastUsedIsRefused() {
        Enrolled enrolled = enrolled();
        String previous = enrolled.app().codeAt(now().minusSeconds(30)); // valid, one step old, never used
        assertThat(signIn().withSecondFactor(challenge(enrolled, address()),
                enrolled.app().codeAt(now().plusSeconds(30)), address())).isInstanceOf(SignIn.SignedIn.class);

        assertThat(signIn().withSecondFactor(challenge(enrolled, address()), previous, address()))
                .as("older than the code used last").isInstanceOf(SignIn.SecondFactorRequired.class);
    }

    @Test
    void aRecoveryCodeSignsInOnceAndIsTypedInAnyCase() {
        Enrolled enrolled = enrolled();
        assertThat(enrolled.codes().codes()).hasSize(10).allMatch(code -> code.matches("[a-z2-7]{5}(-[a-z2-7]{5}){2}"
                + "-[a-z2-7]")).doesNotHaveDuplicates();
        String first = enrolled.codes().codes().get(0);

        assertThat(signIn().withSecondFactor(challenge(enrolled, address()), first, address()))
                .isInstanceOf(SignIn.SignedIn.class);
        assertThat(signIn().withSecondFactor(challenge(enrolled, address()), first, address()))
                .as("the same code again").isInstanceOf(SignIn.SecondFactorRequired.class);
        String second = enrolled.codes().codes().get(1).replace("-", "").toUpperCase(Locale.ROOT);
        SignIn.Result result = signIn().withSecondFactor(challenge(enrolled, address()), second, address());

        assertThat(result).isInstanceOf(SignIn.SignedIn.class);
        assertThat(history(enrolled.account(), "RECOVERY_CODE_USED")).isEqualTo(2);
        assertThat(audit(enrolled.account(), "sign-in", "%(second factor: recovery code, 8 left)", "SUCCESS"))
                .isOne();
        AccountOverview overview = own().view(((SignIn.SignedIn) result).actor());
        assertThat(overview.recoveryCodesLeft()).isEqualTo(8);
    }

    @Test
    void aChallengeServesOneAttemptAndExpiresFiveMinutesAfterThePassword() {
        Enrolled enrolled = enrolled();
        String address = address();
        String challenge = challenge(enrolled, address);
        assertThat(signIn().withSecondFactor(challenge, enrolled.app().codeAt(now()), address))
                .isInstanceOf(SignIn.SignedIn.class);
        server.clock().advance(Duration.ofSeconds(30));
        assertThat(signIn().withSecondFactor(challenge, enrolled.app().codeAt(now()), address))
                .as("a used challenge").isInstanceOf(SignIn.Refused.class);

        String first = challenge(enrolled, address);
        SignIn.Result wrong = signIn().withSecondFactor(first, wrongCode(enrolled.app()), address);
        assertThat(wrong).isInstanceOf(SignIn.SecondFactorRequired.class);
        String second = ((SignIn.SecondFactorRequired) wrong).challenge();
        assertThat(second).isNotEqualTo(first);
        assertThat(signIn().withSecondFactor(first, enrolled.app().codeAt(now()), address))
                .as("the challenge a wrong code used").isInstanceOf(SignIn.Refused.class);

        server.clock().advance(Duration.ofMinutes(5));
        assertThat(signIn().withSecondFactor(second, enrolled.app().codeAt(now()), address))
                .as("the new challenge expires with the first").isInstanceOf(SignIn.Refused.class);
        assertThat(server.count("SELECT count(*) FROM sign_in_challenges WHERE account_id = ?",
                enrolled.account().id())).as("each attempt deleted its challenge").isZero();
    }

    @Test
    void onlyTheChallengesHashIsStored() {
        Enrolled enrolled = enrolled();
        String challenge = challenge(enrolled, address());

        assertThat(server.count("SELECT count(*) FROM sign_in_challenges WHERE account_id = ? AND token_hash = ?",
                enrolled.account().id(), com.xentracker.server.crypto.SecretTokens.hash(challenge))).isOne();
        assertThat(challenge).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void theSecretIsStoredSealedUnderTheMasterKey() {
        Enrolled enrolled = enrolled();

        byte[] stored = server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT totp_secret FROM accounts WHERE id = :id")
                .bind("id", enrolled.account().id()).mapTo(byte[].class).one());

        // version, 12-byte nonce, 20 bytes of ciphertext, 16-byte tag
        assertThat(stored).hasSize(1 + 12 + 20 + 16);
        assertThat(indexOf(stored, enrolled.app().secret())).as("the secret in clear").isNegative();
    }

    @Test
    void aPendingSetUpChangesNothingAtSignIn() {
        Organization organization = server.newOrganization();
        Account account = server.server().administration().createAccount(organization.id(),
                "pending-" + UUID.randomUUID() + "@example.org", PASSWORD.clone(), Role.ADMIN);
        Actor actor = server.signIn(account.email(), PASSWORD.clone()).orElseThrow();
        own().beginTwoFactorSetup(actor);

        assertThat(signIn().withPassword(account.email(), PASSWORD.clone(), address()))
                .isInstanceOf(SignIn.SignedIn.class);
        assertThat(own().view(actor).twoFactor()).isEqualTo(AccountOverview.TwoFactor.PENDING);
    }

    @Test
    void turningTwoFactorOffMeanwhileRefusesTheWaitingChallenge() {
        Enrolled enrolled = enrolled();
        String challenge = challenge(enrolled, address());
        Actor other = ((SignIn.SignedIn) signIn().withSecondFactor(challenge(enrolled, address()),
                enrolled.app().codeAt(now()), address())).actor();
        server.clock().advance(Duration.ofSeconds(30));
        own().disableTwoFactor(other, enrolled.app().codeAt(now()));

        assertThat(signIn().withSecondFactor(challenge, enrolled.codes().codes().get(0), address()))
                .isInstanceOf(SignIn.Refused.class);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
