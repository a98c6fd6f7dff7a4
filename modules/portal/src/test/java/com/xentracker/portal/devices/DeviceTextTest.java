package com.xentracker.portal.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.device.DeviceBacklog;
import com.xentracker.server.device.DeviceLosses;
import com.xentracker.transport.wire.CaptureState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeviceTextTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:15:30Z");
    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");

    private static String ago(Duration elapsed) {
        return DeviceText.ago(NOW.minus(elapsed), NOW);
    }

    @Test
    void relativeTimesRoundDown() {
        assertThat(ago(Duration.ZERO)).isEqualTo("just now");
        assertThat(ago(Duration.ofSeconds(59))).isEqualTo("just now");
        assertThat(ago(Duration.ofSeconds(60))).isEqualTo("1 min ago");
        assertThat(ago(Duration.ofMinutes(59).plusSeconds(59))).isEqualTo("59 min ago");
        assertThat(ago(Duration.ofHours(1))).isEqualTo("1 h ago");
        assertThat(ago(Duration.ofHours(23).plusMinutes(59))).isEqualTo("23 h ago");
        assertThat(ago(Duration.ofDays(1))).isEqualTo("1 day ago");
        assertThat(ago(Duration.ofHours(49))).isEqualTo("2 days ago");
        assertThat(ago(Duration.ofDays(400))).isEqualTo("400 days ago");
    }

    @Test
    void aMomentAheadOfTheClockIsJustNow() {
        assertThat(DeviceText.ago(NOW.plusSeconds(90), NOW)).isEqualTo("just now");
    }

    @Test
    void exactTimesAndDaysAreInTheOrganizationsZoneAndMachineTimesInUtc() {
        Instant late = Instant.parse("2026-11-29T23:59:58.900Z");

        assertThat(DeviceText.exact(late, ZoneId.of("UTC"))).isEqualTo("2026-11-29 23:59:58 UTC");
        assertThat(DeviceText.day(late, ZoneId.of("UTC"))).isEqualTo("29 Nov 2026");
        assertThat(DeviceText.exact(late, AUCKLAND)).isEqualTo("2026-11-30 12:59:58 NZDT");
        assertThat(DeviceText.day(late, AUCKLAND)).isEqualTo("30 Nov 2026");
        assertThat(DeviceText.machine(late)).isEqualTo("2026-11-29T23:59:58.900Z");
    }

    @Test
    void aBacklogSaysHowManySpansWaitAndSinceWhen() {
        Instant oldest = NOW.minus(Duration.ofHours(20));
        Optional<DeviceBacklog> behind = Optional.of(new DeviceBacklog(2400, Optional.of(oldest)));

        assertThat(DeviceText.backlog(Optional.empty())).isEqualTo("Not reported");
        assertThat(DeviceText.backlog(Optional.of(new DeviceBacklog(0, Optional.empty())))).isEqualTo("Caught up");
        assertThat(DeviceText.backlog(behind)).isEqualTo("2,400 spans waiting");
        assertThat(DeviceText.backlogDetail(behind, NOW, AUCKLAND)).isEqualTo("the oldest from 29 Nov 03:15 (20 h ago)");
        assertThat(DeviceText.backlog(Optional.of(new DeviceBacklog(1, Optional.empty())))).isEqualTo("1 span waiting");
        assertThat(DeviceText.backlogDetail(Optional.of(new DeviceBacklog(1, Optional.empty())), NOW, AUCKLAND))
                .isEmpty();
        assertThat(DeviceText.backlogTone(Optional.of(new DeviceBacklog(5, Optional.of(NOW.minus(
                DeviceText.BACKLOG_OLD)))), NOW)).isEqualTo(DeviceText.Tone.NOT_RECORDING);
        assertThat(DeviceText.backlogTone(Optional.of(new DeviceBacklog(5, Optional.of(NOW.minusSeconds(60)))), NOW))
                .isEqualTo(DeviceText.Tone.NEUTRAL);
        assertThat(DeviceText.backlogTone(Optional.of(new DeviceBacklog(0, Optional.empty())), NOW))
                .isEqualTo(DeviceText.Tone.RECORDING);
    }

    @Test
    void lossesNameGapsAndMissingBatches() {
        DeviceLosses both = new DeviceLosses(2, Duration.ofMinutes(69), Optional.of(NOW), 2, 5);
        DeviceLosses holeOnly = new DeviceLosses(0, Duration.ZERO, Optional.empty(), 1, 1);

        assertThat(DeviceText.losses(DeviceLosses.none())).isEqualTo("None");
        assertThat(DeviceText.lossesDetail(DeviceLosses.none(), AUCKLAND)).isEmpty();
        assertThat(DeviceText.losses(both)).isEqualTo("2 gaps, 1 h 09 min; 5 batches missing");
        assertThat(DeviceText.lossesDetail(both, AUCKLAND))
                .isEqualTo("the latest gap until 29 Nov 23:15; in 2 holes of the batch sequence");
        assertThat(DeviceText.losses(holeOnly)).isEqualTo("1 batch missing");
        assertThat(DeviceText.lossesDetail(holeOnly, AUCKLAND)).isEqualTo("in 1 hole of the batch sequence");
    }

    @Test
    void theSilentAfterPeriodIsSaidInHoursOrWholeDays() {
        assertThat(DeviceText.silentAfter(Duration.ofHours(24))).isEqualTo("no contact for more than 24 h");
        assertThat(DeviceText.silentAfter(Duration.ofHours(72))).isEqualTo("no contact for more than 3 days");
        assertThat(DeviceText.silentAfter(Duration.ofHours(50))).isEqualTo("no contact for more than 50 h");
    }

    @ParameterizedTest
    @EnumSource(CaptureState.class)
    void everyStateThatStopsRecordingSaysSoInItsFirstWords(CaptureState state) {
        String words = DeviceText.captureState(state);

        assertThat(words).isNotBlank().doesNotContain("_");
        assertThat(words.startsWith("Not recording: "))
                .isEqualTo(DeviceText.tone(state) == DeviceText.Tone.NOT_RECORDING);
    }

    @Test
    void policyVersionZeroIsTheBuiltInDefaults() {
        assertThat(DeviceText.policy(0)).isEqualTo("0 (built-in defaults)");
        assertThat(DeviceText.policy(7)).isEqualTo("7");
    }
}
