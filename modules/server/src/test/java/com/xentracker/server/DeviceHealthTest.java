package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.device.DeviceBacklog;
import com.xentracker.server.device.DeviceOverview;
import com.xentracker.server.device.DeviceSummary;
import com.xentracker.server.organization.Organization;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.CaptureState;
import com.xentracker.transport.wire.SpanBatch;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the devices page reads about each device's health: the backlog its agent reported with its newest batch, the
 * silent flag after the organization's silent-after hours (by the server's clock), the gaps it recorded and the holes
 * in its batch sequence.
 */
class DeviceHealthTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-06-03T07:45:00Z"));

    private static final AgentState RECORDING = AgentState.of("0.3.0", CaptureState.RECORDING, "", 2);

    private static Https.Response upload(EnrolledDevice device, long sequence, List<Span> spans, List<Gap> gaps,
            AgentState state) {
        return device.sealing().upload(server.https(), new SpanBatch(device.id(), sequence, spans, gaps, state));
    }

    private static DeviceSummary summary(Organization organization, EnrolledDevice device) {
        return overview(organization).devices().stream().filter(d -> d.id().equals(device.id())).findFirst()
                .orElseThrow();
    }

    private static DeviceOverview overview(Organization organization) {
        return server.services().devices().overview(server.operator(organization.id()));
    }

    private static Span span(Instant start) {
        return Span.of(start, start.plusSeconds(60), Activity.active("editor", "/usr/bin/editor", Optional.empty()));
    }

    @Test
    void theBacklogOfTheNewestBatchIsKeptAndALateOlderBatchDoesNotOverwriteIt() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        Instant now = server.clock().instant();
        Instant oldest = now.minus(Duration.ofHours(20));
        AgentState behind = RECORDING.withBacklog(AgentState.Backlog.of(2_400, Optional.of(oldest)));
        AgentState lessBehind = RECORDING.withBacklog(AgentState.Backlog.of(900, Optional.of(oldest.plusSeconds(60))));

        assertThat(summary(organization, device).backlog()).as("before any batch").isEmpty();
        assertThat(upload(device, 1, List.of(span(oldest)), List.of(), lessBehind).status()).isEqualTo(200);
        assertThat(upload(device, 0, List.of(span(oldest.minusSeconds(60))), List.of(), behind).status())
                .isEqualTo(200);

        assertThat(summary(organization, device).backlog())
                .contains(new DeviceBacklog(900, Optional.of(oldest.plusSeconds(60))));

        upload(device, 2, List.of(), List.of(), RECORDING.withBacklog(AgentState.Backlog.none()));
        assertThat(summary(organization, device).backlog()).hasValueSatisfying(backlog ->
                assertThat(backlog.caughtUp()).isTrue());
    }

    @Test
    void anAgentThatDoesNotReportItsBacklogLeavesItUnknownNotZero() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        upload(device, 0, List.of(), List.of(), RECORDING.withBacklog(AgentState.Backlog.of(5,
                Optional.of(server.clock().instant().minusSeconds(600)))));

        assertThat(upload(device, 1, List.of(span(server.clock().instant().minusSeconds(300))), List.of(), RECORDING)
                .status()).isEqualTo(200);

        assertThat(summary(organization, device).backlog()).isEmpty();
    }

    @Test
    void anOldestUnsentSpanNoClockCouldShowIsDroppedButTheBatchIsStored() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);

        Https.Response response = upload(device, 0, List.of(span(server.clock().instant().minusSeconds(300))),
                List.of(), RECORDING.withBacklog(AgentState.Backlog.of(3, Optional.of(Instant.parse(
                        "2150-01-01T00:00:00Z")))));

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(summary(organization, device).backlog()).contains(new DeviceBacklog(3, Optional.empty()));
    }

    @Test
    void aDeviceTurnsSilentAfterTheOrganizationsSilentAfterHoursAndARevokedOneNever() {
        Organization organization = server.newOrganization(ZoneId.of("Pacific/Auckland"));
        server.jdbi().useHandle(handle -> handle.execute(
                "UPDATE organizations SET silent_after_hours = 3 WHERE id = ?", organization.id()));
        EnrolledDevice reporting = server.enroll(organization);
        EnrolledDevice revoked = server.enroll(organization);
        server.services().devices().revoke(server.operator(organization.id()), revoked.id());

        assertThat(overview(organization).silentAfter()).isEqualTo(Duration.ofHours(3));
        assertThat(overview(organization).zone()).isEqualTo(ZoneId.of("Pacific/Auckland"));
        server.clock().advance(Duration.ofHours(3).minusSeconds(1));
        assertThat(summary(organization, reporting).silent()).as("just under three hours").isFalse();

        server.clock().advance(Duration.ofSeconds(2));
        assertThat(summary(organization, reporting).silent()).as("just over three hours").isTrue();
        assertThat(summary(organization, revoked).silent()).isFalse();

        upload(reporting, 0, List.of(), List.of(), RECORDING);
        assertThat(summary(organization, reporting).silent()).as("heard of again").isFalse();
    }

    @Test
    void recordedGapsAndSequenceHolesAreCounted() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        Instant t = server.clock().instant().minus(Duration.ofHours(5));
        upload(device, 0, List.of(span(t)), List.of(Gap.of(t.minus(Duration.ofHours(2)), t.minus(Duration.ofHours(1)),
                GapReason.BUFFER_FULL)), RECORDING);
        upload(device, 4, List.of(span(t.plusSeconds(600))), List.of(Gap.of(t.plusSeconds(60), t.plusSeconds(600),
                GapReason.UPLOAD_REJECTED)), RECORDING);
        upload(device, 7, List.of(span(t.plusSeconds(1200))), List.of(), RECORDING);

        var losses = summary(organization, device).losses();

        assertThat(losses.gaps()).isEqualTo(2);
        assertThat(losses.gapTime()).isEqualTo(Duration.ofHours(1).plusSeconds(540));
        assertThat(losses.lastGapEnd()).contains(t.plusSeconds(600));
        assertThat(losses.sequenceHoles()).as("1–3 and 5–6").isEqualTo(2);
        assertThat(losses.missingBatches()).isEqualTo(5);
        assertThat(summary(organization, server.enroll(organization)).losses().isNone()).isTrue();
    }
}
