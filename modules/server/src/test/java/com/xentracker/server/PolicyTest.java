package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.core.policy.WorkingHours;
import com.xentracker.core.policy.WorkingHours.Interval;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.organization.Organization;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.UploadReceipt;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The organization's collection policy: versions, validation, delivery to agents, tenant isolation. */
class PolicyTest {

    /** The day after the data (2026-11-02). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private static final Instant NINE = Instant.parse("2026-11-02T09:00:00Z");


    private static CollectionPolicy policy(Duration idle, List<RedactionRule> redactions,
            Optional<WorkingHours> hours) {
        return new CollectionPolicy(0, true, redactions, Set.of("keepassxc", "Signal"), hours, true, idle, true,
                false);
    }

    private static CollectionPolicy strict() {
        return policy(Duration.ofMinutes(5),
                List.of(RedactionRule.of("\\S+@\\S+", "[email]"), RedactionRule.of("(?<kind>Invoice) \\d+", "${kind} #")),
                Optional.of(WorkingHours.of(ZoneId.of("Europe/Berlin"), Map.of(
                        DayOfWeek.MONDAY, List.of(Interval.of(LocalTime.of(8, 0), LocalTime.of(12, 0)),
                                Interval.of(LocalTime.of(13, 0), LocalTime.of(17, 0))),
                        DayOfWeek.SATURDAY, List.of()))));
    }

    private static CollectionPolicy withVersion(CollectionPolicy policy, long version) {
        return new CollectionPolicy(version, policy.collectWindowTitles(), policy.titleRedactions(),
                policy.excludedApplications(), policy.workingHours(), policy.privateTimeAllowed(),
                policy.idleThreshold(), policy.audibleKeepsActive(), policy.collectFullUrls());
    }

    private UploadReceipt upload(ServerClient client, EnrolledDevice device, long sequence) {
        Span span = Span.of(NINE, NINE.plusSeconds(60), Activity.active("xterm", "/usr/bin/xterm", Optional.empty()));
        return client.upload(device.id(), sequence, device.sealing().seal(sequence, List.of(span)));
    }

    private ServerClient client() {
        return ServerClient.create(server.server().baseUri(), server.server().certificateAuthority(),
                Duration.ofSeconds(30));
    }

    private static CollectionPolicy policy(java.util.UUID organization) {
        return server.services().organizations().policy(server.operator(organization));
    }

    private static CollectionPolicy updatePolicy(java.util.UUID organization, CollectionPolicy policy) {
        return server.services().organizations().updatePolicy(server.operator(organization), policy);
    }

    @Test
    void anOrganizationStartsWithTheDefaultPolicyAtVersionZero() {
        Organization organization = server.newOrganization();

        assertThat(policy(organization.id())).isEqualTo(CollectionPolicy.defaults());
        assertThat(policy(organization.id()).version()).isZero();
    }

    @Test
    void eachUpdateGetsTheNextVersionWhateverVersionItCarried() {
        Organization organization = server.newOrganization();

        CollectionPolicy first = updatePolicy(organization.id(), withVersion(strict(), 42));
        CollectionPolicy second = updatePolicy(organization.id(), CollectionPolicy.defaults());

        assertThat(first).isEqualTo(withVersion(strict(), 1));
        assertThat(second).isEqualTo(withVersion(CollectionPolicy.defaults(), 2));
        assertThat(policy(organization.id())).isEqualTo(second);
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action = ?",
                organization.id(), "update-collection-policy")).isEqualTo(2);
    }

    @Test
    void theStoredPolicyReadsBackExactly() {
        Organization organization = server.newOrganization();

        updatePolicy(organization.id(), strict());

        assertThat(policy(organization.id())).isEqualTo(withVersion(strict(), 1));
        assertThat(server.count("SELECT (policy->>'version')::bigint FROM organizations WHERE id = ?",
                organization.id())).isOne();
    }

    @Test
    void aDeviceLearnsTheCurrentPolicyWhenItEnrolls() {
        Organization organization = server.newOrganization();
        CollectionPolicy stored = updatePolicy(organization.id(), strict());

        EnrollmentResponse enrolled = client().enroll(ServerFixture.enrollmentRequest(
                server.token(organization).token(), DeviceKeys.generate()));

        assertThat(enrolled.policy()).isEqualTo(stored);
    }

    @Test
    void everyReceiptCarriesThePolicyCurrentAtThatUploadRepeatsIncluded() {
        Organization organization = server.newOrganization();
        ServerClient client = client();
        EnrolledDevice device = server.enroll(organization);
        assertThat(device.enrollment().policy()).isEqualTo(CollectionPolicy.defaults());

        Span span = Span.of(NINE, NINE.plusSeconds(60), Activity.active("xterm", "/usr/bin/xterm", Optional.empty()));
        byte[] batch0 = device.sealing().seal(0, List.of(span));
        UploadReceipt before = client.upload(device.id(), 0, batch0);
        CollectionPolicy changed = updatePolicy(organization.id(), strict());
        UploadReceipt after = upload(client, device, 1);
        // the same bytes again, as an agent that lost the receipt retries them
        UploadReceipt repeat = client.upload(device.id(), 0, batch0);

        assertThat(before.policy()).isEqualTo(CollectionPolicy.defaults());
        assertThat(after.policy()).isEqualTo(changed);
        assertThat(after.policy().version()).isEqualTo(1);
        assertThat(repeat.duplicate()).isTrue();
        assertThat(repeat.policy()).isEqualTo(changed);
    }

    @Test
    void oneOrganizationsPolicyNeverReachesAnother() {
        Organization a = server.newOrganization();
        Organization b = server.newOrganization();
        EnrolledDevice deviceOfB = server.enroll(b);

        updatePolicy(a.id(), strict());
        updatePolicy(a.id(), strict());
        UploadReceipt receiptOfB = upload(client(), deviceOfB, 0);
        EnrolledDevice laterDeviceOfB = server.enroll(b);

        assertThat(policy(a.id()).version()).isEqualTo(2);
        assertThat(policy(b.id())).isEqualTo(CollectionPolicy.defaults());
        assertThat(receiptOfB.policy()).isEqualTo(CollectionPolicy.defaults());
        assertThat(laterDeviceOfB.enrollment().policy()).isEqualTo(CollectionPolicy.defaults());
    }

    @Test
    void anUnknownOrganizationHasNoPolicy() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> policy(unknown)).isInstanceOf(NoSuchOrganizationException.class);
        assertThatThrownBy(() -> updatePolicy(unknown, strict())).isInstanceOf(NoSuchOrganizationException.class);
    }

    @Test
    void invalidPoliciesAreRefusedWithAClearMessageAndChangeNothing() {
        Organization organization = server.newOrganization();
        CollectionPolicy stored = updatePolicy(organization.id(), withVersion(strict(), 7));
        Optional<WorkingHours> none = Optional.empty();
        Map<CollectionPolicy, String> invalid = Map.of(
                policy(Duration.ofSeconds(29), List.of(), none), "idle threshold is between 30 seconds and 1 hour",
                policy(Duration.ofMinutes(61), List.of(), none), "idle threshold is between 30 seconds and 1 hour",
                policy(Duration.ofMinutes(3), List.of(RedactionRule.of("(\\d+)", "#$2")), none),
                "title redaction rule 1 has an invalid replacement",
                policy(Duration.ofMinutes(3), List.of(RedactionRule.of("x", "y"), RedactionRule.of("(?<a>\\d+)", "${b}")),
                        none), "title redaction rule 2 has an invalid replacement",
                policy(Duration.ofMinutes(3), List.of(RedactionRule.of("cost", "US$")), none),
                "write \\$ for a literal dollar sign",
                policy(Duration.ofMinutes(3), List.of(RedactionRule.of("a*", "-")), none), "matches the empty text",
                policy(Duration.ofMinutes(3), List.of(RedactionRule.of("", "-")), none), "empty pattern",
                policy(Duration.ofMinutes(3), List.of(), Optional.of(WorkingHours.of(ZoneId.of("UTC"), Map.of(
                        DayOfWeek.TUESDAY, List.of(Interval.of(LocalTime.of(9, 0), LocalTime.of(12, 0)),
                                Interval.of(LocalTime.of(11, 0), LocalTime.of(13, 0))))))),
                "working hours on TUESDAY overlap",
                policy(Duration.ofMinutes(3), List.of(), Optional.of(WorkingHours.of(ZoneId.of("UTC"), Map.of()))),
                "would collect nothing",
                new CollectionPolicy(0, false, List.of(), Set.of(" "), none, false, Duration.ofMinutes(3), false,
                        false), "excluded application");

        invalid.forEach((policy, message) -> assertThatThrownBy(() -> updatePolicy(organization.id(), policy))
                .as(message)
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(message));
        assertThat(policy(organization.id())).isEqualTo(stored);
    }

    @Test
    void theIdleThresholdBoundsAndEscapedDollarsAreAccepted() {
        Organization organization = server.newOrganization();

        updatePolicy(organization.id(), policy(Duration.ofSeconds(30),
                List.of(RedactionRule.of("cost \\d+", "US\\$ ?"), RedactionRule.of("(?x) secret # a comment", "***")),
                Optional.empty()));
        CollectionPolicy hour = updatePolicy(organization.id(), policy(Duration.ofHours(1), List.of(),
                Optional.empty()));

        assertThat(hour.version()).isEqualTo(2);
        assertThat(hour.idleThreshold()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anEnrollmentOverHttpsCarriesThePolicyAsJson() {
        Organization organization = server.newOrganization();
        updatePolicy(organization.id(), strict());

        Https.Response response = server.https().post(Routes.ENROLL, "application/json", server.codec().encode(
                ServerFixture.enrollmentRequest(server.token(organization).token(), DeviceKeys.generate())));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).contains("\"policy\":{\"version\":1,\"collectWindowTitles\":true",
                "\"excludedApplications\":[\"Signal\",\"keepassxc\"]", "\"idleThreshold\":\"PT5M\"",
                "\"MONDAY\":[{\"start\":\"08:00\",\"end\":\"12:00\"}");
    }
}
