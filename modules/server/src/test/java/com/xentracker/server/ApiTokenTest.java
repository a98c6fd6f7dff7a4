package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.apitoken.ApiToken;
import com.xentracker.server.apitoken.IssuedApiToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Personal API tokens, as a script uses them ({@code Authorization: Bearer ...} on the export API): shown once and
 * stored as a hash, last use recorded, read-only whatever the role, refused at once when revoked, expired or when the
 * account is disabled, and the account's current role decides each request.
 */
class ApiTokenTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-10-05T07:45:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final String SPANS = "/api/v1/exports/spans.csv";

    private final ExportClient client = ExportClient.of(server);

    private record Signed(Account account, Actor actor) {
    }

    private static Signed account(Organization organization, Role role) {
        String email = role.name().toLowerCase() + "-" + UUID.randomUUID() + "@example.org";
        Account account = server.server().administration().createAccount(organization.id(), email, PASSWORD.clone(),
                role);
        return new Signed(account, server.signIn(email, PASSWORD.clone()).orElseThrow());
    }

    private static IssuedApiToken token(Actor actor) {
        return server.services().apiTokens().create(actor, "nightly export", Duration.ofDays(30));
    }

    @Test
    void theTokenIsShownOnceAndOnlyItsSha256IsStored() throws Exception {
        Organization organization = server.newOrganization();
        IssuedApiToken issued = token(account(organization, Role.AUDITOR).actor());

        assertThat(issued.secret()).startsWith("xtk_").hasSize(4 + 43);
        assertThat(issued.toString()).doesNotContain(issued.secret());
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(issued.secret().getBytes(StandardCharsets.UTF_8));
        assertThat(server.count("SELECT count(*) FROM api_tokens WHERE id = ? AND token_hash = ?",
                issued.token().id(), hash)).isOne();
        assertThat(server.count("SELECT count(*) FROM api_tokens WHERE position(? IN api_tokens::text) > 0",
                issued.secret().substring(4))).isZero();
    }

    @Test
    void aTokenOpensTheExportsAndItsLastUseIsShown() {
        Organization organization = server.newOrganization();
        Signed auditor = account(organization, Role.AUDITOR);
        IssuedApiToken issued = token(auditor.actor());
        assertThat(server.services().apiTokens().list(auditor.actor())).singleElement()
                .satisfies(token -> assertThat(token.lastUsedAt()).isEmpty());

        ExportClient.Answer answer = client.get(SPANS + "?from=2026-10-01", issued.secret());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(server.services().apiTokens().list(auditor.actor())).singleElement()
                .satisfies(token -> assertThat(token.lastUsedAt()).contains(server.clock().instant()));
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action = 'export-data'"
                + " AND actor_account_id = ? AND outcome = 'SUCCESS'", organization.id(), auditor.account().id()))
                .isOne();
    }

    @Test
    void withoutALiveTokenTheAnswerIs401AndASessionTokenIsNoApiToken() {
        Organization organization = server.newOrganization();
        String email = "auditor-" + UUID.randomUUID() + "@example.org";
        server.server().administration().createAccount(organization.id(), email, PASSWORD.clone(), Role.AUDITOR);
        String session = ((com.xentracker.server.account.SignIn.SignedIn) server.services().signIn()
                .withPassword(email, PASSWORD.clone(), "127.0.0.1")).sessionToken();

        for (Optional<String> authorization : java.util.List.of(Optional.<String>empty(), Optional.of("Bearer"),
                Optional.of("Bearer xtk_" + "A".repeat(43)), Optional.of("Basic dXNlcjpwYXNz"),
                Optional.of("Bearer " + session))) {
            ExportClient.Answer answer = client.get(SPANS, authorization);
            assertThat(answer.status()).as(authorization.toString()).isEqualTo(401);
            assertThat(answer.authenticate()).contains("Bearer realm=\"xentracker\"");
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("\"code\":\"not-signed-in\"");
        }
    }

    @Test
    void aRevokedTokenStopsAtOnceAndOnlyItsAccountCanRevokeIt() {
        Organization organization = server.newOrganization();
        Signed auditor = account(organization, Role.AUDITOR);
        Signed owner = account(organization, Role.OWNER);
        Signed stranger = account(server.newOrganization(), Role.OWNER);
        IssuedApiToken issued = token(auditor.actor());
        assertThat(client.get(SPANS, issued.secret()).status()).isEqualTo(200);

        // the owner of the same organization and an account of another one find no such token of theirs
        assertThatThrownBy(() -> server.services().apiTokens().revoke(owner.actor(), issued.token().id()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> server.services().apiTokens().revoke(stranger.actor(), issued.token().id()))
                .isInstanceOf(NotFoundException.class);
        assertThat(client.get(SPANS, issued.secret()).status()).isEqualTo(200);
        server.services().apiTokens().revoke(auditor.actor(), issued.token().id());

        assertThat(client.get(SPANS, issued.secret()).status()).isEqualTo(401);
        assertThat(server.services().apiTokens().list(auditor.actor())).singleElement()
                .satisfies(token -> assertThat(token.state(server.clock().instant()))
                        .isEqualTo(ApiToken.State.REVOKED));
    }

    @Test
    void aDisabledAccountsTokensStopAtOnceAndAnExpiredTokenStops() {
        Organization organization = server.newOrganization();
        Signed auditor = account(organization, Role.AUDITOR);
        Signed owner = account(organization, Role.OWNER);
        IssuedApiToken issued = token(auditor.actor());
        Signed other = account(organization, Role.AUDITOR);
        IssuedApiToken short_ = server.services().apiTokens().create(other.actor(), "short", Duration.ofHours(1));
        assertThat(client.get(SPANS, issued.secret()).status()).isEqualTo(200);

        server.services().accounts().disable(owner.actor(), auditor.account().id());
        assertThat(client.get(SPANS, issued.secret()).status()).isEqualTo(401);
        // and the actor a token resolved to before the account was disabled is refused in the use case itself
        assertThat(client.get(SPANS, short_.secret()).status()).isEqualTo(200);
        Actor resolved = server.services().apiTokens().resolve(short_.secret()).orElseThrow();
        server.services().accounts().disable(owner.actor(), other.account().id());
        assertThatThrownBy(() -> server.services().exports().export(resolved, com.xentracker.server.export
                .ExportRequest.of(com.xentracker.server.export.Dataset.PEOPLE, com.xentracker.server.export
                        .ExportFilter.none()), (file, type) -> java.io.OutputStream.nullOutputStream()))
                .isInstanceOf(NotSignedInException.class);
        server.services().accounts().enable(owner.actor(), other.account().id());
        assertThat(client.get(SPANS, short_.secret()).status()).isEqualTo(200);

        server.clock().advance(Duration.ofHours(1));
        assertThat(client.get(SPANS, short_.secret()).status()).isEqualTo(401);
    }

    @Test
    void aTokenIsReadOnlyWhateverItsAccountsRole() {
        Organization organization = server.newOrganization();
        Signed owner = account(organization, Role.OWNER);
        Actor byToken = server.services().apiTokens().resolve(token(owner.actor()).secret()).orElseThrow();

        assertThat(byToken.may(Action.EXPORT_DATA)).isTrue();
        assertThat(byToken.may(Action.CREATE_PERSON)).isFalse();
        assertThatThrownBy(() -> server.services().people().create(byToken, "Made by a script"))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> server.services().apiTokens().create(byToken, "another", Duration.ofDays(1)))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> server.services().people().directory(byToken))
                .isInstanceOf(NotPermittedException.class);
        assertThat(server.count("SELECT count(*) FROM people WHERE organization_id = ?", organization.id())).isZero();
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND outcome = 'DENIED'"
                + " AND actor_account_id = ?", organization.id(), owner.account().id())).isEqualTo(3);
    }

    @Test
    void theAccountsCurrentRoleDecidesEachRequest() {
        Organization organization = server.newOrganization();
        Signed owner = account(organization, Role.OWNER);
        Signed admin = account(organization, Role.ADMIN);
        IssuedApiToken issued = token(admin.actor());

        assertThat(client.get(SPANS, issued.secret()).status()).isEqualTo(200);
        // administrators may not read the audit log, so not export it either
        assertThat(client.get("/api/v1/exports/audit.csv", issued.secret()).status()).isEqualTo(403);

        server.services().accounts().changeRole(owner.actor(), admin.account().id(), Role.VIEWER);
        assertThat(client.get(SPANS, issued.secret()).status()).isEqualTo(403);
    }

    @Test
    void viewersGetNoTokensAndOwnersNotBeforeTwoFactorSignInWhereRequired() {
        Organization organization = server.newOrganization();
        Signed viewer = account(organization, Role.VIEWER);
        Signed owner = account(organization, Role.OWNER);
        assertThatThrownBy(() -> token(viewer.actor())).isInstanceOf(NotPermittedException.class);

        server.services().organizations().updateSettings(owner.actor(), new OrganizationSettings(
                "Strict organization", ZoneId.of("Europe/Berlin"), true, 5, 24));

        // a token would be a credential that skips the second factor
        assertThatThrownBy(() -> token(owner.actor())).isInstanceOf(TwoFactorSetupRequiredException.class);
        assertThat(server.count("SELECT count(*) FROM api_tokens WHERE organization_id = ?", organization.id()))
                .isZero();
    }
}
