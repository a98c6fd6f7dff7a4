package com.xentracker.testing.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class FarFromMidnightTest {

    @Test
    void itIsAboutNoonInTheZoneAndTheJvmOptionNamesIt() {
        ZoneOffset zone = FarFromMidnight.zone();

        assertThat(LocalTime.now(zone)).isBetween(LocalTime.of(11, 59), LocalTime.of(13, 1));
        assertThat(FarFromMidnight.clock().getZone()).isIn(zone, FarFromMidnight.zone()); // the hour may just turn
        String option = FarFromMidnight.jvmOption(zone);
        String id = option.substring("-Duser.timezone=".length());
        assertThat(TimeZone.getTimeZone(id).getRawOffset()).isEqualTo(zone.getTotalSeconds() * 1000);
        assertThat(FarFromMidnight.jvmOption(ZoneOffset.UTC)).isEqualTo("-Duser.timezone=GMT");
        assertThat(FarFromMidnight.jvmOption(ZoneOffset.ofHours(-11))).isEqualTo("-Duser.timezone=GMT-11:00");
    }
}
