package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.RetentionSettings;
import com.xentracker.server.maintenance.Partitions;
import com.xentracker.server.maintenance.Retention;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.SpanBatch;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retention by the injected clock: whole partitions dropped, the rest deleted, each organization by its settings. */
class RetentionTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture();

    private void upload(EnrolledDevice device, Instant start) {
        byte[] sealed = BatchSealer.create(device.keys().getPrivate(),
                        Pem.certificate(device.enrollment().organizationCertificatePem()))
                .seal(server.codec().encode(new SpanBatch(device.id(), 0, List.of(Span.of(start,
                        start.plus(Duration.ofMinutes(30)), Activity.active("editor", "", Optional.empty()))))),
                        BatchBinding.of(device.enrollment().organizationId(), device.id(), 0));
        Https.Response response = server.https().post(Routes.batch(device.id(), 0), Routes.SEALED_BATCH_MEDIA_TYPE,
                sealed);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private long rows(String table, Organization organization) {
        return server.count("SELECT count(*) FROM " + table + " WHERE organization_id = ?", organization.id());
    }

    @Test
    void oldPartitionsAreDroppedAndRollupsAndAuditEntriesKeptPerOrganizationSetting() {
        Instant uploaded = server.clock().instant().minus(Duration.ofDays(1));
        YearMonth uploadMonth = YearMonth.from(uploaded.atOffset(ZoneOffset.UTC));
        Organization keepsRollups = server.newOrganization();
        Organization keepsLittle = server.newOrganization();
        server.services().organizations().updateRetention(server.operator(keepsRollups.id()), new RetentionSettings(30, 12, 3650));
        server.services().organizations().updateRetention(server.operator(keepsLittle.id()), new RetentionSettings(30, 1, 10));
        EnrolledDevice a = server.enroll(keepsRollups);
        EnrolledDevice b = server.enroll(keepsLittle);
        upload(a, uploaded);
        upload(b, uploaded);
        assertThat(server.jdbi().withHandle(Partitions::existing)).contains(uploadMonth);

        // 20 days on: nothing is past any retention yet
        server.clock().advance(Duration.ofDays(20));
        server.server().jobs().runDue();
        assertThat(rows("spans", keepsRollups) + rows("spans", keepsLittle)).isEqualTo(2);
        assertThat(rows("app_days", keepsRollups)).isEqualTo(1);

        // 100 days on: spans of both are gone; every organization here keeps spans 30 days, so whole old months go
        server.clock().advance(Duration.ofDays(80));
        server.server().jobs().runDue();

        assertThat(rows("spans", keepsRollups)).isZero();
        assertThat(rows("spans", keepsLittle)).isZero();
        assertThat(server.jdbi().withHandle(Partitions::existing)).doesNotContain(uploadMonth)
                .contains(YearMonth.from(server.clock().instant().atOffset(ZoneOffset.UTC)));
        assertThat(rows("rollups", keepsRollups)).isEqualTo(1);
        assertThat(rows("rollups", keepsLittle)).isZero();
        // the dashboard's summaries (made by the job at 20 days) are kept and dropped like the rollups
        assertThat(rows("app_days", keepsRollups)).isEqualTo(1);
        assertThat(rows("app_days", keepsLittle)).isZero();
        assertThat(rows("rollup_changes", keepsRollups) + rows("rollup_changes", keepsLittle)).isZero();
        assertThat(rows("audit_log", keepsRollups)).isPositive();
        assertThat(rows("audit_log", keepsLittle)).isZero();
        assertThat(server.services().usage().byApplication(server.operator(keepsRollups.id()), uploaded.minus(
                Duration.ofDays(1)), uploaded.plus(Duration.ofDays(1)))).hasSize(1);
    }

    /** A batch without spans (an agent's state report), sealed to the organization key the device knows now. */
    private byte[] sealedStateReport(EnrolledDevice device, long sequence) {
        return BatchSealer.create(device.keys().getPrivate(),
                        Pem.certificate(device.enrollment().organizationCertificatePem()))
                .seal(server.codec().encode(new SpanBatch(device.id(), sequence, List.of())),
                        BatchBinding.of(device.enrollment().organizationId(), device.id(), sequence));
    }

    private Https.Response post(EnrolledDevice device, long sequence, byte[] sealed) {
        return server.https().post(Routes.batch(device.id(), sequence), Routes.SEALED_BATCH_MEDIA_TYPE, sealed);
    }

    @Test
    void aRetiredOrganizationKeyStillOpensOldBatchesForNinetyDaysAndIsThenPurged() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        // sealed while the device was offline, to the key that is about to retire
        byte[] first = sealedStateReport(device, 1);
        byte[] second = sealedStateReport(device, 2);
        server.services().organizations().rotateKey(server.operator(organization.id()));

        server.clock().advance(Retention.RETIRED_KEY_GRACE.minusDays(1));
        server.server().jobs().runDue();
        assertThat(rows("retired_organization_keys", organization)).isOne();
        assertThat(post(device, 1, first).status()).isEqualTo(200);

        server.clock().advance(Duration.ofDays(2));
        server.server().jobs().runDue();

        assertThat(rows("retired_organization_keys", organization)).isZero();
        // the server's cached keys were read again (older than their lifetime): the old key is gone there too, and
        // the agent is told to fetch the new certificate and reseal
        Https.Response refused = post(device, 2, second);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(server.codec().decode(refused.body(), com.xentracker.transport.wire.ErrorBody.class).code())
                .isEqualTo("unknown-key-id");
    }
}
