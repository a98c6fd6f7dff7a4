package com.xentracker.portal.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.transport.wire.CaptureState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeviceTextTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:15:30Z");

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
    void exactTimesAndDaysAreUtc() {
        Instant late = Instant.parse("2026-11-29T23:59:58.900Z");

        assertThat(DeviceText.exact(late)).isEqualTo("2026-11-29 23:59:58 UTC");
        assertThat(DeviceText.day(late)).isEqualTo("29 Nov 2026");
        assertThat(DeviceText.machine(late)).isEqualTo("2026-11-29T23:59:58.900Z");
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
