package com.xentracker.portal.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationFormatTest {

    @Test
    void formatsHoursAndZeroPaddedMinutesAndSeconds() {
        assertThat(DurationFormat.format(Duration.ofSeconds(3725))).isEqualTo("1h 02m 05s");
        assertThat(DurationFormat.format(Duration.ZERO)).isEqualTo("0h 00m 00s");
        assertThat(DurationFormat.format(Duration.ofSeconds(59))).isEqualTo("0h 00m 59s");
    }

    @Test
    void hoursKeepCountingPastADay() {
        assertThat(DurationFormat.format(Duration.ofHours(30).plusMinutes(10))).isEqualTo("30h 10m 00s");
    }

    @Test
    void fractionsOfASecondAreCutNotRounded() {
        assertThat(DurationFormat.format(Duration.ofMillis(1999))).isEqualTo("0h 00m 01s");
    }

    @Test
    void negativeDurationIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> DurationFormat.format(Duration.ofSeconds(-1)));
    }
}
