package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.device.Devices;
import com.xentracker.server.device.DeviceSummary;
import com.xentracker.server.organization.Organization;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.Pem;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.CaptureState;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What agents report besides spans: excluded and paused time, gaps, and their own state. */
class AgentReportTest {

    /** The day after the data (2026-11-02). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private static final Instant NINE = Instant.parse("2026-11-02T09:00:00Z");
    private static final AgentState WAYLAND = AgentState.of("0.2.0", CaptureState.WAYLAND_UNSUPPORTED,
            "Wayland session: foreground tracking unavailable", 0);


    private Https.Response upload(EnrolledDevice device, SpanBatch batch) {
        return device.sealing().upload(server.https(), batch);
    }

    private UploadReceipt accepted(Https.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return server.codec().decode(response.body(), UploadReceipt.class);
    }

    private DeviceSummary summary(EnrolledDevice device) {
        return server.services().devices().list(server.operator(device.enrollment().organizationId())).stream()
                .filter(d -> d.id().equals(device.id())).findFirst().orElseThrow();
    }

    private static Span span(long fromMinute, long toMinute, Activity activity) {
        return Span.of(NINE.plusSeconds(60 * fromMinute), NINE.plusSeconds(60 * toMinute), activity);
    }

    private static Activity xterm() {
        return Activity.active("xterm", "/usr/bin/xterm", Optional.empty());
    }

    @Test
    void gapsAreStoredWithTheirBatch() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        List<Gap> gaps = List.of(Gap.of(NINE.minusSeconds(7200), NINE.minusSeconds(3600), GapReason.BUFFER_EXPIRED),
                Gap.of(NINE.minusSeconds(3600), NINE, GapReason.BUFFER_FULL));

        accepted(upload(device, new SpanBatch(device.id(), 3, List.of(span(0, 5, xterm())), gaps, WAYLAND)));

        List<Gap> stored = server.jdbi().withHandle(handle -> handle.createQuery("""
                        SELECT from_at, to_at, reason FROM gaps
                        WHERE organization_id = :o AND device_id = :d AND batch_sequence = 3 ORDER BY from_at""")
                .bind("o", device.enrollment().organizationId()).bind("d", device.id())
                .map((rs, ctx) -> Gap.of(rs.getObject("from_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("to_at", OffsetDateTime.class).toInstant(),
                        GapReason.valueOf(rs.getString("reason"))))
                .list());
        assertThat(stored).isEqualTo(gaps);
    }

    @Test
    void aRepeatedBatchStoresItsGapsOnlyOnce() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        SpanBatch batch = new SpanBatch(device.id(), 0, List.of(),
                List.of(Gap.of(NINE.minusSeconds(60), NINE, GapReason.BUFFER_FULL)), WAYLAND);

        byte[] sealed = device.sealing().seal(batch);
        accepted(device.sealing().post(server.https(), 0, sealed));
        // the same bytes again, as an agent retries
        UploadReceipt repeat = accepted(device.sealing().post(server.https(), 0, sealed));

        assertThat(repeat.duplicate()).isTrue();
        assertThat(server.count("SELECT count(*) FROM gaps WHERE device_id = ?", device.id())).isOne();
    }

    @Test
    void excludedAndPausedTimeIsStoredWithoutAnApplication() {
        EnrolledDevice device = server.enroll(server.newOrganization());

        accepted(upload(device, new SpanBatch(device.id(), 0, List.of(span(0, 5, xterm()),
                span(5, 10, Activity.of(ActivityState.EXCLUDED)), span(10, 20, Activity.of(ActivityState.PAUSED))))));

        List<Map<String, Object>> rows = server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT state, application, executable, title FROM spans WHERE device_id = :d ORDER BY start_at")
                .bind("d", device.id()).mapToMap().list());
        assertThat(rows).extracting(r -> r.get("state"), r -> r.get("application"), r -> r.get("executable"),
                        r -> r.get("title"))
                .containsExactly(tuple("ACTIVE", "xterm", "/usr/bin/xterm", null), tuple("EXCLUDED", "", "", null),
                        tuple("PAUSED", "", "", null));
    }

    @Test
    void aBatchWithAnExcludedSpanNamingItsApplicationIsRefusedWholeAndNothingIsStored() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        Span leak = span(5, 10, new Activity(ActivityState.EXCLUDED, "keepassxc", "", Optional.empty()));
        SpanBatch batch = new SpanBatch(device.id(), 0, List.of(span(0, 5, xterm()), leak),
                List.of(Gap.of(NINE.minusSeconds(60), NINE, GapReason.BUFFER_FULL)), WAYLAND);

        Https.Response response = upload(device, batch);

        assertThat(response.status()).isEqualTo(400);
        ErrorBody error = server.codec().decode(response.body(), ErrorBody.class);
        assertThat(error.code()).isEqualTo("batch-private-data");
        assertThat(error.message()).contains("span 2", "EXCLUDED").doesNotContain("keepassxc");
        assertThat(server.count("SELECT count(*) FROM batches WHERE device_id = ?", device.id())).isZero();
        assertThat(server.count("SELECT count(*) FROM spans WHERE device_id = ?", device.id())).isZero();
        assertThat(server.count("SELECT count(*) FROM gaps WHERE device_id = ?", device.id())).isZero();
        assertThat(summary(device).captureState()).isEqualTo(CaptureState.UNKNOWN);
    }

    @Test
    void pausedSpansMayNotCarryAnExecutableOrATitleEither() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        List<Activity> leaks = List.of(
                new Activity(ActivityState.PAUSED, "", "/usr/bin/keepassxc", Optional.empty()),
                new Activity(ActivityState.PAUSED, "", "", Optional.of("Passwords.kdbx")),
                new Activity(ActivityState.EXCLUDED, "", "", Optional.of("")));

        for (int i = 0; i < leaks.size(); i++) {
            Https.Response response = upload(device, new SpanBatch(device.id(), i, List.of(span(0, 1, leaks.get(i)))));

            assertThat(response.status()).isEqualTo(400);
            assertThat(server.codec().decode(response.body(), ErrorBody.class).code()).isEqualTo("batch-private-data");
            assertThat(response.text()).doesNotContain("keepassxc", "Passwords");
        }
        assertThat(server.count("SELECT count(*) FROM spans WHERE device_id = ?", device.id())).isZero();
    }

    @Test
    void theDatabaseItselfRefusesAnExcludedSpanWithAnApplication() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        accepted(upload(device, new SpanBatch(device.id(), 0, List.of())));

        assertThatThrownBy(() -> server.jdbi().useHandle(handle -> handle.execute("""
                        INSERT INTO spans (organization_id, device_id, person_id, batch_sequence, start_at, end_at,
                                           state, application, executable)
                        VALUES (?, ?, gen_random_uuid(), 0, now(), now(), 'EXCLUDED', 'keepassxc', '')""",
                device.enrollment().organizationId(), device.id())))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasMessageContaining("spans_neutral_time_names_no_application");
    }

    @Test
    void theDevicesCaptureStateIsKeptAndShownToAdministrators() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        DeviceSummary enrolled = summary(device);
        server.clock().advance(Duration.ofMinutes(7));

        accepted(upload(device, new SpanBatch(device.id(), 0, List.of(), List.of(), WAYLAND)));

        DeviceSummary seen = summary(device);
        assertThat(enrolled.captureState()).isEqualTo(CaptureState.UNKNOWN);
        assertThat(enrolled.agentVersion()).isEqualTo("0.1.0-test");
        assertThat(enrolled.lastSeen()).isEqualTo(enrolled.enrolledAt());
        assertThat(seen.captureState()).isEqualTo(CaptureState.WAYLAND_UNSUPPORTED);
        assertThat(seen.captureDetail()).isEqualTo("Wayland session: foreground tracking unavailable");
        assertThat(seen.agentVersion()).isEqualTo("0.2.0");
        assertThat(seen.policyVersion()).isZero();
        assertThat(seen.lastSeen()).isEqualTo(enrolled.lastSeen().plus(Duration.ofMinutes(7)));
        assertThat(seen).extracting(DeviceSummary::hostname, DeviceSummary::osUser, DeviceSummary::operatingSystem,
                DeviceSummary::revoked).containsExactly("test-host", "alice", "Linux 6.1", false);
    }

    @Test
    void theNewestBatchDecidesTheStateAndALateOlderOneDoesNot() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        AgentState recording = AgentState.of("0.2.1", CaptureState.RECORDING, "", 4);

        accepted(upload(device, new SpanBatch(device.id(), 5, List.of(), List.of(), recording)));
        accepted(upload(device, new SpanBatch(device.id(), 4, List.of(), List.of(), WAYLAND)));

        assertThat(summary(device)).extracting(DeviceSummary::captureState, DeviceSummary::agentVersion,
                DeviceSummary::policyVersion).containsExactly(CaptureState.RECORDING, "0.2.1", 4L);
    }

    @Test
    void anAgentThatReportsNoStateKeepsTheVersionItEnrolledWith() {
        EnrolledDevice device = server.enroll(server.newOrganization());

        accepted(upload(device, new SpanBatch(device.id(), 0, List.of(span(0, 1, xterm())))));

        assertThat(summary(device)).extracting(DeviceSummary::captureState, DeviceSummary::agentVersion)
                .containsExactly(CaptureState.UNKNOWN, "0.1.0-test");
    }

    @Test
    void anOverlongCaptureDetailIsCutNotRefused() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        String detail = "x".repeat(2000);

        accepted(upload(device, new SpanBatch(device.id(), 0, List.of(), List.of(),
                AgentState.of("0.2.0", CaptureState.PERMISSION_MISSING, detail, 0))));

        assertThat(summary(device).captureDetail()).hasSize(500);
    }

    @Test
    void revokedDevicesAreListedAsRevoked() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);

        server.services().devices().revoke(server.operator(organization.id()), device.id());

        assertThat(summary(device).revoked()).isTrue();
    }

    @Test
    void anOrganizationSeesOnlyItsOwnDevices() {
        Organization a = server.newOrganization();
        Organization b = server.newOrganization();
        EnrolledDevice first = server.enroll(a);
        EnrolledDevice second = server.enroll(a);
        EnrolledDevice other = server.enroll(b);
        accepted(upload(other, new SpanBatch(other.id(), 0, List.of(), List.of(), WAYLAND)));

        assertThat(server.services().devices().list(server.operator(a.id()))).extracting(DeviceSummary::id)
                .containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(server.services().devices().list(server.operator(b.id())))
                .extracting(DeviceSummary::id, DeviceSummary::captureState)
                .containsExactly(tuple(other.id(), CaptureState.WAYLAND_UNSUPPORTED));
        assertThat(server.services().devices().list(server.operator(server.newOrganization().id()))).isEmpty();
        assertThatThrownBy(() -> server.services().devices().list(server.operator(UUID.randomUUID())))
                .isInstanceOf(NoSuchOrganizationException.class);
    }

    @Test
    void frontEndsSeeTheReportedStateThroughTheDevicesUseCase() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        accepted(upload(device, new SpanBatch(device.id(), 0, List.of(), List.of(), WAYLAND)));

        Devices directory = server.server().services().devices();

        assertThat(directory.list(server.operator(organization.id())))
                .extracting(DeviceSummary::id, DeviceSummary::hostname, DeviceSummary::captureState,
                        DeviceSummary::captureDetail)
                .containsExactly(tuple(device.id(), "test-host", CaptureState.WAYLAND_UNSUPPORTED,
                        "Wayland session: foreground tracking unavailable"));
        assertThat(directory.list(server.operator(server.newOrganization().id()))).isEmpty();
    }
}
