package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.RetentionSettings;
import com.xentracker.server.maintenance.Partitions;
import com.xentracker.server.maintenance.Retention;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.SpanBatch;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Retention by the injected clock: whole partitions dropped, the rest deleted, each organization by its settings.
 *
 * <p>Every test, and every origin, gets a server of its own. The retention job acts on the whole database (a month's
 * partition goes only once it is past every organization's span retention) and these tests move the clock by
 * months: on a shared server, one test's organizations and clock moves decide what the other one sees.
 */
class RetentionTest {

    private static long rows(ServerFixture server, String table, Organization organization) {
        return server.count("SELECT count(*) FROM " + table + " WHERE organization_id = ?", organization.id());
    }

    private static void upload(ServerFixture server, EnrolledDevice device, Instant start) {
        Https.Response response = server.upload(device, 0, List.of(Span.of(start, start.plus(Duration.ofMinutes(30)),
                Activity.active("editor", "", Optional.empty()))));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static YearMonth utcMonth(Instant instant) {
        return YearMonth.from(instant.atOffset(ZoneOffset.UTC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.xentracker.server.Origin#calendarEdges")
    void oldPartitionsAreDroppedAndRollupsAndAuditEntriesKeptPerOrganizationSetting(Origin origin) {
        try (ServerFixture server = ServerFixture.startedAt(origin.instant())) {
            Organization keepsRollups = server.newOrganization(origin.zone());
            Organization keepsLittle = server.newOrganization(origin.zone());
            server.services().organizations().updateRetention(server.operator(keepsRollups.id()), new RetentionSettings(30, 12, 3650));
            server.services().organizations().updateRetention(server.operator(keepsLittle.id()), new RetentionSettings(30, 1, 10));
            // The server started without organizations, and retention over none keeps nothing: its first run dropped
            // last month's partition. The hourly partitions job makes it again now that organizations exist; here at
            // once, so that the clock stays at the origin.
            server.jdbi().useHandle(handle -> Partitions.ensure(handle, server.clock().instant()));
            // Yesterday at 09:00 in the organizations' zone: 15 to 39 hours ago, and the half hour lies within one
            // local day (one rollup row, one summary), wherever the origin falls in that day.
            Instant uploaded = LocalDate.ofInstant(origin.instant().minus(Duration.ofDays(1)), origin.zone())
                    .atTime(9, 0).atZone(origin.zone()).toInstant();
            EnrolledDevice a = server.enroll(keepsRollups);
            EnrolledDevice b = server.enroll(keepsLittle);
            upload(server, a, uploaded);
            upload(server, b, uploaded);
            assertThat(server.jdbi().withHandle(Partitions::existing)).contains(utcMonth(uploaded));

            // 20 days on: nothing is past any span retention yet
            server.clock().advance(Duration.ofDays(20));
            server.server().jobs().runDue();
            assertThat(rows(server, "spans", keepsRollups) + rows(server, "spans", keepsLittle)).isEqualTo(2);
            assertThat(rows(server, "app_days", keepsRollups)).isEqualTo(1);

            // 100 days on: the spans of both are gone; every organization on this server keeps spans 30 days, so
            // whole months that ended more than 30 days ago go, the upload's month among them
            server.clock().advance(Duration.ofDays(80));
            server.server().jobs().runDue();

            assertThat(rows(server, "spans", keepsRollups)).isZero();
            assertThat(rows(server, "spans", keepsLittle)).isZero();
            assertThat(server.jdbi().withHandle(Partitions::existing)).doesNotContain(utcMonth(uploaded))
                    .contains(utcMonth(server.clock().instant()));
            // rollups go by whole local months: twelve kept (the upload's is among them), one not
            assertThat(rows(server, "rollups", keepsRollups)).isEqualTo(1);
            assertThat(rows(server, "rollups", keepsLittle)).isZero();
            // the dashboard's summaries (made by the job at 20 days) are kept and dropped like the rollups
            assertThat(rows(server, "app_days", keepsRollups)).isEqualTo(1);
            assertThat(rows(server, "app_days", keepsLittle)).isZero();
            assertThat(rows(server, "rollup_changes", keepsRollups) + rows(server, "rollup_changes", keepsLittle))
                    .isZero();
            assertThat(rows(server, "audit_log", keepsRollups)).isPositive();
            assertThat(rows(server, "audit_log", keepsLittle)).isZero();
            assertThat(server.services().usage().applications(server.operator(keepsRollups.id()),
                    com.xentracker.server.usage.UsageFilter.of(com.xentracker.server.usage.DayRange.of(
                            LocalDate.ofInstant(uploaded, origin.zone()).minusDays(1),
                            LocalDate.ofInstant(uploaded, origin.zone()).plusDays(1)))).rows()).hasSize(1);
        }
    }

    /**
     * The purge counts 90 days from the rotation, whatever the calendar says; one origin is enough. Its own server all
     * the same: it moves the clock by three months.
     */
    @Test
    void aRetiredOrganizationKeyStillOpensOldBatchesForNinetyDaysAndIsThenPurged() {
        try (ServerFixture server = ServerFixture.startedAt(Instant.parse("2026-11-03T12:00:00Z"))) {
            Organization organization = server.newOrganization();
            EnrolledDevice device = server.enroll(organization);
            // sealed while the device was offline, to the key that is about to retire: state reports, no spans
            byte[] first = device.sealing().seal(new SpanBatch(device.id(), 1, List.of()));
            byte[] second = device.sealing().seal(new SpanBatch(device.id(), 2, List.of()));
            server.services().organizations().rotateKey(server.operator(organization.id()));

            server.clock().advance(Retention.RETIRED_KEY_GRACE.minusDays(1));
            server.server().jobs().runDue();
            assertThat(rows(server, "retired_organization_keys", organization)).isOne();
            assertThat(device.sealing().post(server.https(), 1, first).status()).isEqualTo(200);

            server.clock().advance(Duration.ofDays(2));
            server.server().jobs().runDue();

            assertThat(rows(server, "retired_organization_keys", organization)).isZero();
            // the server's cached keys were read again (older than their lifetime): the old key is gone there too,
            // and the agent is told to fetch the new certificate and reseal
            Https.Response refused = device.sealing().post(server.https(), 2, second);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(server.codec().decode(refused.body(), ErrorBody.class).code()).isEqualTo("unknown-key-id");
        }
    }
}
