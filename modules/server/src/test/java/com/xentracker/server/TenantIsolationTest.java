package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.account.Account;
import com.xentracker.server.Administration;
import com.xentracker.server.organization.Category;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.device.DeviceSummary;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Person;
import com.xentracker.server.organization.RetentionSettings;
import com.xentracker.server.maintenance.DashboardSummaries;
import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.server.usage.UsageTotal;
import com.xentracker.testing.device.TestDevice;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.Routes;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Organization A can never read or change B's data: every repository method given A's organization and B's ids
 * behaves as if they did not exist and leaves B untouched; every API route keeps data in the device's organization.
 */
class TenantIsolationTest {

    /** The day after the data (2026-11-02). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private static final Instant DAY = Instant.parse("2026-11-01T23:00:00Z");
    /** {@link #DAY}'s local date in the organizations' zone (Europe/Berlin). */
    private static final UsageFilter SAME_DAY = UsageFilter.of(DayRange.day(java.time.LocalDate.of(2026, 11, 2)));
    private static Organization a;
    private static Organization b;
    private static EnrolledDevice deviceA;
    private static EnrolledDevice deviceB;
    private static Person personB;
    private static Category categoryB;
    private static CategoryRule ruleB;
    private static IssuedEnrollmentToken tokenB;
    private static Account ownerB;

    private static Operator admin() {
        return new Operator(server.server());
    }

    /** {@code device}'s batch, encrypted to the organization certificate {@code certificatePem}. */
    private static byte[] seal(EnrolledDevice device, String certificatePem, long sequence, String application) {
        Instant start = Instant.parse("2026-11-02T09:00:00Z");
        TestDevice sealing = device.sealing();
        return new TestDevice(sealing.organizationId(), sealing.id(), sealing.signingKey(),
                Pem.certificate(certificatePem)).seal(sequence, List.of(Span.of(start,
                        start.plus(Duration.ofMinutes(10)), Activity.active(application, "", Optional.empty()))));
    }

    private static Https.Response upload(EnrolledDevice device, long sequence, byte[] sealed) {
        return device.sealing().post(server.https(), sequence, sealed);
    }

    @BeforeAll
    static void twoOrganizationsWithData() {
        a = server.newOrganization();
        b = server.newOrganization();
        deviceA = server.enroll(a);
        deviceB = server.enroll(b);
        assertThat(upload(deviceA, 0, seal(deviceA, deviceA.enrollment().organizationCertificatePem(), 0, "editor"))
                .status()).isEqualTo(200);
        assertThat(upload(deviceB, 0, seal(deviceB, deviceB.enrollment().organizationCertificatePem(), 0, "editor"))
                .status()).isEqualTo(200);
        personB = admin().createPerson(b.id(), "Person of B");
        admin().assignPerson(b.id(), deviceB.id(), "alice", personB.id());
        categoryB = admin().createCategory(b.id(), "Secret category of B");
        ruleB = admin().addCategoryRule(b.id(), categoryB.id(), CategoryRule.Kind.APPLICATION, "secret-app");
        tokenB = admin().issueEnrollmentToken(b.id(), Duration.ofHours(1), 5);
        ownerB = admin().createOwner(b.id(), "owner-b-" + UUID.randomUUID() + "@example.org",
                "a long enough password".toCharArray());
        admin().updateRetention(b.id(), new RetentionSettings(45, 13, 400));
    }

    private static long spansOfB() {
        return server.count("SELECT count(*) FROM spans WHERE organization_id = ?", b.id());
    }

    @Test
    void listsOfOneOrganizationNeverShowAnothersRows() {
        assertThat(admin().people(a.id())).extracting(Person::id).doesNotContain(personB.id());
        assertThat(admin().deviceUsers(a.id())).extracting(u -> u.deviceId()).doesNotContain(deviceB.id());
        assertThat(admin().categories(a.id())).extracting(Category::id).doesNotContain(categoryB.id());
        assertThat(admin().devices(a.id())).extracting(DeviceSummary::id).containsExactly(deviceA.id());
        assertThat(server.services().devices().list(server.operator(a.id()))).extracting(DeviceSummary::id)
                .containsExactly(deviceA.id());
        assertThat(admin().retention(a.id())).isEqualTo(RetentionSettings.DEFAULTS);
        assertThat(admin().retention(b.id())).isEqualTo(new RetentionSettings(45, 13, 400));
    }

    @Test
    void usageOfOneOrganizationNeverCountsAnothersTime() {
        List<UsageTotal> usageA = server.services().usage().applications(server.operator(a.id()), SAME_DAY).rows();
        assertThat(usageA).containsExactly(new UsageTotal("editor", Duration.ofMinutes(10), 1));
        assertThatThrownBy(() -> server.services().usage().applications(server.operator(UUID.randomUUID()), SAME_DAY)).isInstanceOf(NoSuchOrganizationException.class);
    }

    @Test
    void dashboardSummariesOfOneOrganizationNeverReachAnothersAnswer() {
        server.jdbi().useHandle(handle -> DashboardSummaries.run(handle, server.clock().instant()));
        // both devices are number 1 of their organization and used the editor that day: only the organization
        // in every key keeps the summaries apart
        assertThat(server.count("SELECT count(DISTINCT number) FROM devices WHERE id IN (?, ?)", deviceA.id(),
                deviceB.id())).isOne();
        assertThat(server.count("SELECT count(*) FROM app_days WHERE organization_id = ?", b.id())).isOne();
        assertThat(server.services().usage().applications(server.operator(a.id()), SAME_DAY).rows())
                .containsExactly(new UsageTotal("editor", Duration.ofMinutes(10), 1));
        assertThat(server.services().usage().applications(server.operator(b.id()), SAME_DAY).rows())
                .containsExactly(new UsageTotal("editor", Duration.ofMinutes(10), 1));
    }

    @Test
    void anotherOrganizationsPersonCannotBeAssignedRenamedOrDeleted() {
        assertThatThrownBy(() -> admin().assignPerson(a.id(), deviceA.id(), "alice", personB.id()))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> admin().deletePerson(a.id(), personB.id()))
                .isInstanceOf(NotFoundException.class);
        assertThat(admin().people(b.id())).extracting(Person::id).contains(personB.id());
        assertThat(server.count("SELECT count(*) FROM spans WHERE person_id = ?", personB.id())).isEqualTo(1);
    }

    @Test
    void anotherOrganizationsDeviceCannotBeMappedRevokedOrDeleted() {
        Person personA = admin().createPerson(a.id(), "Person of A");
        assertThatThrownBy(() -> admin().assignPerson(a.id(), deviceB.id(), "alice", personA.id()))
                .isInstanceOf(NoSuchDeviceException.class);
        assertThatThrownBy(() -> admin().revokeDevice(a.id(), deviceB.id()))
                .isInstanceOf(NoSuchDeviceException.class);
        assertThatThrownBy(() -> admin().deleteDevice(a.id(), deviceB.id()))
                .isInstanceOf(NoSuchDeviceException.class);
        assertThat(admin().devices(b.id())).filteredOn(d -> d.id().equals(deviceB.id())).singleElement()
                .satisfies(d -> assertThat(d.revoked()).isFalse());
        assertThat(spansOfB()).isEqualTo(1);
        assertThat(admin().deviceUsers(b.id())).filteredOn(u -> u.deviceId().equals(deviceB.id()))
                .extracting(u -> u.person().orElseThrow()).containsExactly(personB.id());
    }

    @Test
    void anotherOrganizationsCategoriesAndRulesCannotBeChanged() {
        assertThatThrownBy(() -> admin().addCategoryRule(a.id(), categoryB.id(), CategoryRule.Kind.DOMAIN,
                "example.com")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> admin().deleteCategoryRule(a.id(), ruleB.id()))
                .isInstanceOf(NotFoundException.class);
        assertThat(admin().categories(b.id())).singleElement()
                .satisfies(c -> assertThat(c.rules()).containsExactly(ruleB));
        // a rule of A re-categorises A's rollups only
        Category categoryA = admin().createCategory(a.id(), "Development");
        admin().addCategoryRule(a.id(), categoryA.id(), CategoryRule.Kind.APPLICATION, "editor");
        server.clock().advance(Duration.ofMinutes(1));
        server.server().jobs().runDue();
        assertThat(server.count("SELECT count(*) FROM rollups WHERE organization_id = ? AND category = ''", b.id()))
                .isEqualTo(1);
        assertThat(server.count("SELECT count(*) FROM rollups WHERE organization_id = ? AND category = ''", a.id()))
                .isZero();
    }

    @Test
    void anotherOrganizationsTokensRetentionAndPolicyCannotBeChanged() {
        assertThatThrownBy(() -> admin().revokeEnrollmentToken(a.id(), tokenB.id()))
                .isInstanceOf(NotFoundException.class);
        admin().updateRetention(a.id(), new RetentionSettings(2, 1, 1));
        assertThat(admin().retention(b.id())).isEqualTo(new RetentionSettings(45, 13, 400));
        admin().updateRetention(a.id(), RetentionSettings.DEFAULTS);
        // B's token still enrolls, into B
        KeyPair keys = com.xentracker.transport.pki.DeviceKeys.generate();
        Https.Response enrolled = server.https().post(Routes.ENROLL, "application/json", server.codec().encode(
                ServerFixture.enrollmentRequest(tokenB.token(), keys)));
        assertThat(enrolled.status()).isEqualTo(200);
        assertThat(server.codec().decode(enrolled.body(), EnrollmentResponse.class).organizationId())
                .isEqualTo(b.id());
    }

    @Test
    void aSessionResolvesToItsOwnOrganizationsAccountOnly() {
        var signedIn = (com.xentracker.server.account.SignIn.SignedIn) server.services().signIn()
                .withPassword(ownerB.email(), "a long enough password".toCharArray(), "127.0.0.1");
        assertThat(server.services().sessions().resolve(signedIn.sessionToken())).hasValueSatisfying(actor ->
                assertThat(actor.organizationId()).isEqualTo(b.id()));
    }

    @Test
    void aDeviceCannotUploadIntoAnotherOrganization() {
        long before = spansOfB();
        // sealed to B's certificate, signed by A's device: B's key is not A's device's organization key
        Https.Response sealedForB = upload(deviceA, 1, seal(deviceA, deviceB.enrollment().organizationCertificatePem(),
                1, "secret-app"));
        assertThat(sealedForB.status()).isEqualTo(400);
        // sealed to a certificate A's organization does not hold
        assertThat(server.codec().decode(sealedForB.body(), ErrorBody.class).code()).isEqualTo("unknown-key-id");
        // A's device's batch sent as B's device: refused, B unchanged
        Https.Response asB = upload(deviceB, 1, seal(deviceA, deviceA.enrollment().organizationCertificatePem(), 1,
                "secret-app"));
        assertThat(asB.status()).isEqualTo(400);
        assertThat(spansOfB()).isEqualTo(before);
        assertThat(server.count("SELECT count(*) FROM spans WHERE application = 'secret-app'")).isZero();
    }
}
