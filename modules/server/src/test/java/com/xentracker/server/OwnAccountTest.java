package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.AccountOverview;
import com.xentracker.server.account.OwnAccount;
import com.xentracker.server.account.RecoveryCodes;
import com.xentracker.server.account.SignIn;
import com.xentracker.server.account.SignInAttempt;
import com.xentracker.server.account.TwoFactorSetup;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each account's own page: its sign-ins, its password, its two-factor sign-in; and the organization requiring it. */
class OwnAccountTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-07-18T09:42:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final char[] NEW_PASSWORD = "a different long passphrase".toCharArray();
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private static OwnAccount own() {
        return server.services().ownAccount();
    }

    private static Instant now() {
        return server.clock().instant();
    }

    private static String address() {
        return "198.51.100." + ADDRESSES.incrementAndGet();
    }

    private static Account account(Organization organization, Role role) {
        return server.server().administration().createAccount(organization.id(),
                role.name().toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID() + "@example.org",
                PASSWORD.clone(), role);
    }

    private static Actor session(Account account) {
        SignIn.Result result = server.services().signIn().withPassword(account.email(), PASSWORD.clone(), address());
        return ((SignIn.SignedIn) result).actor();
    }

    /** Sets up and confirms an app for the actor's account; the clock is a step on afterwards. */
    private static Authenticator setUp(Actor actor) {
        Authenticator app = Authenticator.fromBase32(own().beginTwoFactorSetup(actor).secret());
        own().confirmTwoFactor(actor, app.codeAt(now()));
        server.clock().advance(Duration.ofSeconds(30));
        return app;
    }

    private static boolean live(Actor actor) {
        return server.count("SELECT count(*) FROM sessions s WHERE s.account_id = ? AND s.expires_at > ?",
                actor.accountId().orElseThrow(), now()) > 0 && signedIn(actor);
    }

    /** Whether the actor's session still works for a use case. */
    private static boolean signedIn(Actor actor) {
        try {
            own().view(actor);
            return true;
        } catch (NotSignedInException e) {
            return false;
        }
    }

    private static int failedSignIns(Account account) {
        return (int) server.count("SELECT failed_sign_ins FROM accounts WHERE id = ?", account.id());
    }

    @Test
    void theOwnPageShowsEmailRoleTwoFactorStateAndTheNewestTwentySignIns() {
        Account account = account(server.newOrganization(), Role.AUDITOR);
        for (int i = 0; i < 22; i++) {
            server.clock().advance(Duration.ofSeconds(1));
            char[] password = i % 5 == 4 ? "not the password at all".toCharArray() : PASSWORD.clone();
            server.services().signIn().withPassword(account.email(), password, "203.0.113." + i);
        }
        server.clock().advance(Duration.ofSeconds(1));
        Actor actor = session(account);
        Instant last = now();

        AccountOverview overview = own().view(actor);

        assertThat(overview.email()).isEqualTo(account.email());
        assertThat(overview.role()).isEqualTo(Role.AUDITOR);
        assertThat(overview.twoFactor()).isEqualTo(AccountOverview.TwoFactor.OFF);
        assertThat(overview.twoFactorRequired()).isFalse();
        List<SignInAttempt> recent = overview.recentSignIns();
        assertThat(recent).hasSize(OwnAccount.RECENT_SIGN_INS);
        assertThat(recent.get(0).occurredAt()).isEqualTo(last);
        assertThat(recent).extracting(SignInAttempt::occurredAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(recent.get(1).sourceAddress()).isEqualTo("203.0.113.21");
        assertThat(recent.get(2).sourceAddress()).isEqualTo("203.0.113.20");
        assertThat(recent.get(2).outcome()).isEqualTo(SignInAttempt.Outcome.SIGNED_IN);
        assertThat(recent.get(3).sourceAddress()).isEqualTo("203.0.113.19");
        assertThat(recent.get(3).outcome()).as("every fifth attempt had a wrong password")
                .isEqualTo(SignInAttempt.Outcome.WRONG_PASSWORD);
        assertThat(recent.get(19).sourceAddress()).as("the oldest shown").isEqualTo("203.0.113.3");
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE actor_account_id = ? AND action ="
                + " 'view-own-account' AND outcome = 'SUCCESS'", account.id())).isOne();
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndEndsTheOtherSessions() {
        Account account = account(server.newOrganization(), Role.VIEWER);
        Actor here = session(account);
        Actor elsewhere = session(account);

        assertThatThrownBy(() -> own().changePassword(here, "not the password at all".toCharArray(),
                NEW_PASSWORD.clone())).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("current password is wrong");
        assertThat(failedSignIns(account)).as("a wrong current password counts as a failed sign-in").isOne();
        assertThatThrownBy(() -> own().changePassword(here, PASSWORD.clone(), "short".toCharArray()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(live(elsewhere)).as("nothing changed yet").isTrue();

        own().changePassword(here, PASSWORD.clone(), NEW_PASSWORD.clone());

        assertThat(signedIn(here)).as("the session that changed it").isTrue();
        assertThat(signedIn(elsewhere)).as("another session").isFalse();
        assertThat(server.signIn(account.email(), PASSWORD.clone())).as("the old password").isEmpty();
        assertThat(server.signIn(account.email(), NEW_PASSWORD.clone())).as("the new one").isPresent();
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE actor_account_id = ? AND action ="
                + " 'change-own-password' AND outcome = 'FAILED'", account.id())).isEqualTo(2);
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE actor_account_id = ? AND action ="
                + " 'change-own-password' AND outcome = 'SUCCESS'", account.id())).isOne();
    }

    @Test
    void fiveWrongCurrentPasswordsLockTheAccount() {
        Account account = account(server.newOrganization(), Role.ADMIN);
        Actor actor = session(account);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> own().changePassword(actor, "not the password at all".toCharArray(),
                    NEW_PASSWORD.clone())).isInstanceOf(InvalidRequestException.class);
        }

        assertThatThrownBy(() -> own().changePassword(actor, PASSWORD.clone(), NEW_PASSWORD.clone()))
                .isInstanceOf(TooManyAttemptsException.class)
                .satisfies(e -> assertThat(((TooManyAttemptsException) e).retryAfter())
                        .isEqualTo(Duration.ofMinutes(1)));
        assertThat(server.signIn(account.email(), PASSWORD.clone())).as("sign-in is locked too").isEmpty();
        server.clock().advance(Duration.ofMinutes(1));
        own().changePassword(actor, PASSWORD.clone(), NEW_PASSWORD.clone());
    }

    @Test
    void settingUpShowsAQrCodeAndTheSecretAndTurnsOnOnlyWithACode() {
        Organization organization = server.newOrganization();
        Account account = account(organization, Role.OWNER);
        Actor actor = session(account);

        TwoFactorSetup setup = own().beginTwoFactorSetup(actor);

        assertThat(setup.secret()).matches("[A-Z2-7]{4}( [A-Z2-7]{4}){7}");
        assertThat(setup.otpauthUri()).startsWith("otpauth://totp/Xentracker:")
                .contains("secret=" + setup.secret().replace(" ", ""))
                .contains("issuer=Xentracker").contains("digits=6").contains("period=30").contains("algorithm=SHA1")
                .contains(java.net.URLEncoder.encode(organization.name(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20"))
                .contains(account.email().replace("@", "%40"));
        assertThat(setup.qrCodeSvg()).startsWith("<svg").doesNotContain("style");
        assertThat(setup.toString()).doesNotContain(setup.secret());
        AccountOverview pending = own().view(actor);
        assertThat(pending.twoFactor()).isEqualTo(AccountOverview.TwoFactor.PENDING);
        assertThat(pending.pendingSetup()).as("shown again until confirmed").contains(setup);
        Authenticator app = Authenticator.fromBase32(setup.secret());

        assertThatThrownBy(() -> own().confirmTwoFactor(actor, app.codeAt(now().plusSeconds(90))))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(failedSignIns(account)).as("a wrong code at set-up is a typo, not a guess").isZero();
        RecoveryCodes codes = own().confirmTwoFactor(actor, app.codeAt(now()));

        assertThat(codes.codes()).hasSize(10);
        AccountOverview overview = own().view(actor);
        assertThat(overview.twoFactor()).isEqualTo(AccountOverview.TwoFactor.ON);
        assertThat(overview.recoveryCodesLeft()).isEqualTo(10);
        assertThat(overview.pendingSetup()).isEmpty();
        assertThat(server.count("SELECT count(*) FROM recovery_codes WHERE account_id = ?", account.id()))
                .isEqualTo(10);
        assertThatThrownBy(() -> own().beginTwoFactorSetup(actor)).isInstanceOf(ConflictException.class);
    }

    @Test
    void beginningAgainReplacesThePendingSecret() {
        Account account = account(server.newOrganization(), Role.AUDITOR);
        Actor actor = session(account);
        Authenticator first = Authenticator.fromBase32(own().beginTwoFactorSetup(actor).secret());
        Authenticator second = Authenticator.fromBase32(own().beginTwoFactorSetup(actor).secret());

        assertThatThrownBy(() -> own().confirmTwoFactor(actor, first.codeAt(now())))
                .isInstanceOf(InvalidRequestException.class);
        own().confirmTwoFactor(actor, second.codeAt(now()));
    }

    @Test
    void confirmingEndsTheSessionsOpenedWithThePasswordAlone() {
        Account account = account(server.newOrganization(), Role.ADMIN);
        Actor here = session(account);
        Actor elsewhere = session(account);

        setUp(here);

        assertThat(signedIn(here)).isTrue();
        assertThat(signedIn(elsewhere)).isFalse();
    }

    @Test
    void turningItOffNeedsACurrentCodeOrARecoveryCode() {
        Account account = account(server.newOrganization(), Role.OWNER);
        Actor actor = session(account);
        Authenticator app = setUp(actor);

        assertThatThrownBy(() -> own().disableTwoFactor(actor, "000000".equals(app.codeAt(now())) ? "111111"
                : "000000")).isInstanceOf(InvalidRequestException.class);
        assertThat(failedSignIns(account)).isOne();
        own().disableTwoFactor(actor, app.codeAt(now()));

        assertThat(own().view(actor).twoFactor()).isEqualTo(AccountOverview.TwoFactor.OFF);
        assertThat(server.count("SELECT count(*) FROM recovery_codes WHERE account_id = ?", account.id())).isZero();
        assertThat(server.count("SELECT count(*) FROM accounts WHERE id = ? AND totp_secret IS NULL", account.id()))
                .isOne();
        assertThat(server.services().signIn().withPassword(account.email(), PASSWORD.clone(), address()))
                .isInstanceOf(SignIn.SignedIn.class);

        RecoveryCodes codes = own().confirmTwoFactor(actor, Authenticator.fromBase32(
                own().beginTwoFactorSetup(actor).secret()).codeAt(now()));
        own().disableTwoFactor(actor, codes.codes().get(3));
        assertThat(own().view(actor).twoFactor()).isEqualTo(AccountOverview.TwoFactor.OFF);
    }

    @Test
    void wrongCodesOnTheOwnPageLockTheAccountLikeWrongCodesAtSignIn() {
        Account account = account(server.newOrganization(), Role.VIEWER);
        Actor actor = session(account);
        Authenticator app = setUp(actor);
        String wrong = "000000".equals(app.codeAt(now())) ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> own().regenerateRecoveryCodes(actor, wrong))
                    .isInstanceOf(InvalidRequestException.class);
        }

        assertThatThrownBy(() -> own().disableTwoFactor(actor, app.codeAt(now())))
                .isInstanceOf(TooManyAttemptsException.class);
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action ="
                + " 'sign-in-locked'", account.organizationId())).isOne();
        assertThat(own().view(actor).twoFactor()).isEqualTo(AccountOverview.TwoFactor.ON);
    }

    @Test
    void regeneratingReplacesEveryRecoveryCode() {
        Account account = account(server.newOrganization(), Role.AUDITOR);
        Actor actor = session(account);
        Authenticator app = Authenticator.fromBase32(own().beginTwoFactorSetup(actor).secret());
        RecoveryCodes old = own().confirmTwoFactor(actor, app.codeAt(now()));

        RecoveryCodes renewed = own().regenerateRecoveryCodes(actor, old.codes().get(0));

        assertThat(renewed.codes()).hasSize(10).doesNotContainAnyElementsOf(old.codes());
        assertThatThrownBy(() -> own().regenerateRecoveryCodes(actor, old.codes().get(1)))
                .as("an old code").isInstanceOf(InvalidRequestException.class);
        server.clock().advance(Duration.ofSeconds(30));
        assertThat(own().regenerateRecoveryCodes(actor, app.codeAt(now())).codes()).hasSize(10);
    }

    @Test
    void theOperatorHasNoAccountOfItsOwn() {
        Organization organization = server.newOrganization();

        assertThatThrownBy(() -> own().view(server.operator(organization.id())))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> own().beginTwoFactorSetup(server.operator(organization.id())))
                .isInstanceOf(NotPermittedException.class);
    }

    @Test
    void requiringTwoFactorLimitsOwnersAndAdministratorsWithoutItToTheirOwnAccountUntilTheySetItUp() {
        Organization organization = server.newOrganization();
        Actor owner = session(account(organization, Role.OWNER));
        Actor admin = session(account(organization, Role.ADMIN));
        Actor auditor = session(account(organization, Role.AUDITOR));
        OrganizationSettings settings = server.services().organizations().settings(owner);

        server.services().organizations().updateSettings(owner,
                settings.withRequireTwoFactor(true));

        assertThatThrownBy(() -> server.services().people().directory(owner))
                .isInstanceOf(TwoFactorSetupRequiredException.class);
        assertThatThrownBy(() -> server.services().devices().list(admin))
                .isInstanceOf(TwoFactorSetupRequiredException.class);
        assertThatThrownBy(() -> server.services().organizations().updateSettings(owner, settings))
                .as("not even to lift the requirement").isInstanceOf(TwoFactorSetupRequiredException.class);
        assertThat(server.services().people().directory(auditor).people()).as("auditors are not required").isEmpty();
        assertThat(own().view(owner).twoFactorRequired()).isTrue();
        assertThat(own().view(auditor).twoFactorRequired()).isFalse();
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE actor_account_id = ? AND action ="
                + " 'view-people' AND outcome = 'DENIED'", owner.accountId().orElseThrow())).isOne();

        Authenticator app = setUp(owner);

        assertThat(server.services().people().directory(owner).people()).as("the same session, after set-up")
                .isEmpty();
        assertThatThrownBy(() -> own().disableTwoFactor(owner, app.codeAt(now())))
                .isInstanceOf(NotPermittedException.class);
        assertThat(own().view(owner).twoFactor()).isEqualTo(AccountOverview.TwoFactor.ON);
        assertThat(server.services().organizations().updateSettings(owner, settings).requireTwoFactor()).isFalse();
        own().disableTwoFactor(owner, app.codeAt(now()));
    }
}
