package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.crypto.SecretTokens;
import com.xentracker.server.device.EnrollmentToken;
import com.xentracker.server.device.EnrollmentToken.State;
import com.xentracker.server.device.EnrollmentTokens;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationSummary;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.SpanBatch;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fleet enrollment as the server's use cases offer it to the portal and the command line: enrollment tokens (issued
 * once, stored hashed, listed with their state, revoked), revoking and deleting devices, each for the roles allowed,
 * and the operator's organizations with their first owners.
 */
class FleetTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-04-09T09:21:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    private EnrollmentTokens tokens() {
        return server.services().enrollmentTokens();
    }

    private Actor signedIn(Organization organization, Role role) {
        return signedIn(account(organization, role));
    }

    private Account account(Organization organization, Role role) {
        return server.server().administration().createAccount(organization.id(),
                role.name().toLowerCase() + "-" + ACCOUNTS.incrementAndGet() + "-" + UUID.randomUUID()
                        + "@example.org", PASSWORD.clone(), role);
    }

    private Actor signedIn(Account account) {
        return server.signIn(account.email(), PASSWORD.clone()).orElseThrow();
    }

    private EnrollmentToken listed(Organization organization, UUID tokenId) {
        return tokens().list(server.operator(organization.id())).stream()
                .filter(token -> token.id().equals(tokenId)).findFirst().orElseThrow();
    }

    private ServerClient client() {
        return ServerClient.create(server.server().baseUri(), server.server().certificateAuthority(),
                Duration.ofSeconds(30));
    }

    private EnrolledDevice enrollWith(String token) {
        KeyPair keys = DeviceKeys.generate();
        return new EnrolledDevice(keys, client().enroll(ServerFixture.enrollmentRequest(token, keys)));
    }

    private String refusedEnrollment(String token) {
        return catchThrowableOfType(ServerRejectedRequestException.class, () -> enrollWith(token)).code();
    }

    private void upload(EnrolledDevice device, long sequence) {
        Instant start = server.clock().instant().minusSeconds(600);
        SpanBatch batch = new SpanBatch(device.id(), sequence, List.of(Span.of(start, start.plusSeconds(60),
                Activity.active("editor", "/usr/bin/editor", Optional.empty()))));
        byte[] sealed = BatchSealer.create(device.keys().getPrivate(),
                        Pem.certificate(device.enrollment().organizationCertificatePem()))
                .seal(server.codec().encode(batch), BatchBinding.of(device.enrollment().organizationId(),
                        device.id(), sequence));
        client().upload(device.id(), sequence, sealed);
    }

    private List<AuditEntry> audit(Organization organization, String action) {
        return server.services().audit().search(server.operator(organization.id()),
                AuditQuery.newest(AuditQuery.MAX_LIMIT).withAction(action)).entries();
    }

    @Test
    void anIssuedTokenIsReturnedOnceAndOnlyItsHashIsStoredOrAudited() {
        Organization organization = server.newOrganization();

        IssuedEnrollmentToken issued = tokens().issue(server.operator(organization.id()), "  Berlin laptops  ",
                Duration.ofDays(30), 100);

        assertThat(issued.token()).matches("[A-Za-z0-9_-]{43}");
        assertThat(issued.name()).isEqualTo("Berlin laptops");
        assertThat(issued.toString()).doesNotContain(issued.token());
        assertThat(server.count("SELECT count(*) FROM enrollment_tokens WHERE organization_id = ? AND token_hash = ?",
                organization.id(), SecretTokens.hash(issued.token()))).isOne();
        assertThat(server.count("SELECT count(*) FROM enrollment_tokens WHERE position(? IN name) > 0",
                issued.token())).isZero();
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE position(? IN subject) > 0", issued.token()))
                .isZero();
        assertThat(audit(organization, "issue-enrollment-token")).singleElement()
                .satisfies(entry -> assertThat(entry.subject().text()).contains(issued.id().toString())
                        .contains("100 device(s)"));
    }

    @Test
    void theListShowsEachTokensNameUsesAndStateAsDevicesEnrollAndTimePasses() {
        Organization organization = server.newOrganization();
        Actor operator = server.operator(organization.id());
        IssuedEnrollmentToken pair = tokens().issue(operator, "pair", Duration.ofDays(1), 2);
        server.clock().advance(Duration.ofSeconds(1));
        IssuedEnrollmentToken shortLived = tokens().issue(operator, "short", Duration.ofHours(1), 5);
        server.clock().advance(Duration.ofSeconds(1));
        IssuedEnrollmentToken revoked = tokens().issue(operator, "", Duration.ofHours(1), 5);
        tokens().revoke(operator, revoked.id());

        enrollWith(pair.token());
        Instant now = server.clock().instant();
        assertThat(listed(organization, pair.id())).satisfies(token -> {
            assertThat(token.name()).isEqualTo("pair");
            assertThat(token.uses()).isOne();
            assertThat(token.maxUses()).isEqualTo(2);
            assertThat(token.expiresAt()).isEqualTo(pair.expiresAt());
            assertThat(token.state(now)).isEqualTo(State.USABLE);
        });
        enrollWith(pair.token());
        assertThat(listed(organization, pair.id()).state(now)).isEqualTo(State.USED_UP);
        assertThat(refusedEnrollment(pair.token())).isEqualTo("enrollment-token-exhausted");
        assertThat(listed(organization, pair.id()).uses()).as("a refused enrollment uses nothing").isEqualTo(2);

        assertThat(listed(organization, shortLived.id()).state(now)).isEqualTo(State.USABLE);
        assertThat(listed(organization, shortLived.id()).state(shortLived.expiresAt())).isEqualTo(State.EXPIRED);
        server.clock().advance(Duration.ofHours(1));
        assertThat(refusedEnrollment(shortLived.token())).isEqualTo("enrollment-token-expired");

        EnrollmentToken revokedToken = listed(organization, revoked.id());
        assertThat(revokedToken.revokedAt()).isPresent();
        assertThat(revokedToken.name()).isEmpty();
        assertThat(revokedToken.state(revoked.expiresAt().plusSeconds(1))).as("revocation wins over expiry")
                .isEqualTo(State.REVOKED);
        assertThat(tokens().list(operator)).extracting(EnrollmentToken::id).as("newest first")
                .containsExactly(revoked.id(), shortLived.id(), pair.id());
    }

    @Test
    void aTokenNamesTheAccountThatIssuedItAndNoneWhenTheOperatorDid() {
        Organization organization = server.newOrganization();
        Account admin = account(organization, Role.ADMIN);

        IssuedEnrollmentToken byAdmin = tokens().issue(signedIn(admin), "by admin", Duration.ofDays(1), 1);
        IssuedEnrollmentToken byOperator = tokens().issue(server.operator(organization.id()), "by operator",
                Duration.ofDays(1), 1);

        assertThat(listed(organization, byAdmin.id()).issuedBy()).contains(admin.id());
        assertThat(listed(organization, byOperator.id()).issuedBy()).isEmpty();
    }

    @Test
    void ownersAndAdministratorsIssueAndRevokeAuditorsOnlySeeTokensAndViewersNothing() {
        Organization organization = server.newOrganization();
        Actor owner = signedIn(organization, Role.OWNER);
        Actor admin = signedIn(organization, Role.ADMIN);
        Actor auditor = signedIn(organization, Role.AUDITOR);
        Actor viewer = signedIn(organization, Role.VIEWER);

        IssuedEnrollmentToken ofOwner = tokens().issue(owner, "owner's", Duration.ofDays(1), 1);
        IssuedEnrollmentToken ofAdmin = tokens().issue(admin, "admin's", Duration.ofDays(1), 1);
        tokens().revoke(admin, ofOwner.id());

        assertThat(tokens().list(auditor)).extracting(EnrollmentToken::id)
                .containsExactlyInAnyOrder(ofOwner.id(), ofAdmin.id());
        assertThatThrownBy(() -> tokens().issue(auditor, "auditor's", Duration.ofDays(1), 1))
                .isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> tokens().revoke(auditor, ofAdmin.id())).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> tokens().list(viewer)).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> tokens().issue(viewer, "viewer's", Duration.ofDays(1), 1))
                .isInstanceOf(NotPermittedException.class);

        assertThat(tokens().list(owner)).hasSize(2);
        assertThat(listed(organization, ofAdmin.id()).revokedAt()).as("the auditor's revoke was refused").isEmpty();
        assertThat(audit(organization, "issue-enrollment-token")).extracting(AuditEntry::outcome)
                .containsExactlyInAnyOrder(Outcome.SUCCESS, Outcome.SUCCESS, Outcome.DENIED, Outcome.DENIED);
        assertThat(audit(organization, "revoke-enrollment-token")).extracting(AuditEntry::outcome)
                .containsExactlyInAnyOrder(Outcome.SUCCESS, Outcome.DENIED);
    }

    @Test
    void revokingAgainKeepsTheFirstRevocationAndAnUnknownTokenIsNotFound() {
        Organization organization = server.newOrganization();
        Actor operator = server.operator(organization.id());
        IssuedEnrollmentToken token = tokens().issue(operator, "twice", Duration.ofDays(1), 1);
        tokens().revoke(operator, token.id());
        Instant first = listed(organization, token.id()).revokedAt().orElseThrow();

        server.clock().advance(Duration.ofMinutes(5));
        tokens().revoke(operator, token.id());

        assertThat(listed(organization, token.id()).revokedAt()).contains(first);
        assertThatThrownBy(() -> tokens().revoke(operator, UUID.randomUUID())).isInstanceOf(NotFoundException.class)
                .hasMessageStartingWith("the organization has no enrollment token");
        assertThat(refusedEnrollment(token.token())).isEqualTo("enrollment-token-revoked");
    }

    @Test
    void namesLifetimesAndDeviceCountsOutsideTheirBoundsAreRefusedAndNothingIsStored() {
        Organization organization = server.newOrganization();
        Actor operator = server.operator(organization.id());

        assertThatThrownBy(() -> tokens().issue(operator, "x".repeat(101), Duration.ofDays(1), 1))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 100 characters");
        for (String name : List.of("line\nbreak", "escape\u001b[31m", "nul\u0000")) {
            assertThatThrownBy(() -> tokens().issue(operator, name, Duration.ofDays(1), 1))
                    .as(name).isInstanceOf(InvalidRequestException.class).hasMessageContaining("control characters");
        }
        for (Duration lifetime : List.of(Duration.ZERO, Duration.ofMillis(999), Duration.ofDays(-1),
                Duration.ofDays(365).plusSeconds(1))) {
            assertThatThrownBy(() -> tokens().issue(operator, "bounds", lifetime, 1))
                    .as(lifetime.toString()).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("between 1 second and 365 days");
        }
        for (int devices : List.of(0, -1, EnrollmentTokens.MAX_DEVICES + 1)) {
            assertThatThrownBy(() -> tokens().issue(operator, "bounds", Duration.ofDays(1), devices))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("between 1 and 1000000");
        }
        tokens().issue(operator, "x".repeat(100), Duration.ofDays(365), EnrollmentTokens.MAX_DEVICES);

        assertThat(tokens().list(operator)).singleElement()
                .satisfies(token -> assertThat(token.maxUses()).isEqualTo(EnrollmentTokens.MAX_DEVICES));
    }

    @Test
    void aRevokedDeviceIsRefusedItsDataStaysAndOnlyOwnersAndAdministratorsMayRevoke() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        upload(device, 0);
        Actor auditor = signedIn(organization, Role.AUDITOR);

        assertThatThrownBy(() -> server.services().devices().revoke(auditor, device.id()))
                .isInstanceOf(NotPermittedException.class);
        upload(device, 1);
        server.services().devices().revoke(signedIn(organization, Role.ADMIN), device.id());

        ServerRejectedRequestException refused = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> upload(device, 2));
        assertThat(refused.code()).isEqualTo("device-revoked");
        assertThat(server.count("SELECT count(*) FROM spans WHERE device_id = ?", device.id())).isEqualTo(2);
        assertThat(audit(organization, "revoke-device")).extracting(AuditEntry::outcome)
                .containsExactlyInAnyOrder(Outcome.DENIED, Outcome.SUCCESS);
    }

    @Test
    void aDeletedDeviceLosesItsDataItsUploadsAreRefusedAsUnknownAndItsKeyNeverEnrollsAgain() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        upload(device, 0);
        Actor auditor = signedIn(organization, Role.AUDITOR);
        assertThatThrownBy(() -> server.services().devices().delete(auditor, device.id()))
                .isInstanceOf(NotPermittedException.class);

        server.services().devices().delete(signedIn(organization, Role.OWNER), device.id());

        assertThat(server.count("SELECT count(*) FROM spans WHERE device_id = ?", device.id())).isZero();
        assertThat(server.count("SELECT count(*) FROM devices WHERE id = ?", device.id())).isZero();
        assertThat(catchThrowableOfType(ServerRejectedRequestException.class, () -> upload(device, 1)).code())
                .isEqualTo("device-unknown");
        ServerRejectedRequestException again = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().enroll(ServerFixture.enrollmentRequest(server.token(organization).token(),
                        device.keys())));
        assertThat(again.code()).as("a deleted device comes back only with a new key")
                .isEqualTo("device-key-reused");
        assertThat(enrollWith(server.token(organization).token()).id()).as("a new key enrolls as a new device")
                .isNotEqualTo(device.id());
        assertThatThrownBy(() -> server.services().devices().delete(server.operator(organization.id()),
                device.id())).isInstanceOf(NoSuchDeviceException.class);
    }

    @Test
    void anOrganizationAndItsFirstOwnerAreCreatedTogetherOrNotAtAll() {
        Administration administration = server.server().administration();
        String email = "first-owner-" + UUID.randomUUID() + "@example.org";
        Organization created = administration.createOrganization("Client " + UUID.randomUUID(),
                ZoneId.of("America/New_York"), email, PASSWORD.clone());
        int organizations = administration.organizations().size();

        assertThatThrownBy(() -> administration.createOrganization("Taken owner", ZoneId.of("UTC"),
                email.toUpperCase(), PASSWORD.clone())).isInstanceOf(DuplicateAccountException.class);
        assertThatThrownBy(() -> administration.createOrganization("Short password", ZoneId.of("UTC"),
                "other-" + email, "short".toCharArray())).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> administration.createOrganization(" ", ZoneId.of("UTC"), "other-" + email,
                PASSWORD.clone())).isInstanceOf(InvalidRequestException.class);

        assertThat(administration.organizations()).as("no organization without its owner").hasSize(organizations);
        Actor owner = server.signIn(email, PASSWORD.clone()).orElseThrow();
        assertThat(owner.organizationId()).isEqualTo(created.id());
        assertThat(owner.role()).isEqualTo(Role.OWNER);
        assertThat(server.count("SELECT count(*) FROM organizations WHERE id = ? AND encryption_certificate_pem"
                + " LIKE '-----BEGIN CERTIFICATE-----%'", created.id())).as("its own keys").isOne();
    }

    @Test
    void theOperatorsOverviewCountsEachOrganizationsDevicesAndAccounts() {
        Organization busy = server.newOrganization();
        Organization quiet = server.newOrganization();
        account(busy, Role.OWNER);
        account(busy, Role.VIEWER);
        EnrolledDevice first = server.enroll(busy);
        server.enroll(busy);
        server.services().devices().revoke(server.operator(busy.id()), first.id());

        List<OrganizationSummary> summaries = server.server().administration().organizationSummaries();

        assertThat(summaries).filteredOn(s -> s.organization().id().equals(busy.id())).singleElement()
                .satisfies(s -> {
                    assertThat(s.organization().name()).isEqualTo(busy.name());
                    assertThat(s.devices()).isOne();
                    assertThat(s.revokedDevices()).isOne();
                    assertThat(s.accounts()).isEqualTo(2);
                });
        assertThat(summaries).filteredOn(s -> s.organization().id().equals(quiet.id())).singleElement()
                .satisfies(s -> assertThat(List.of(s.devices(), s.revokedDevices(), s.accounts()))
                        .containsExactly(0, 0, 0));
        assertThat(summaries).extracting(s -> s.organization().createdAt()).isSorted();
    }
}
