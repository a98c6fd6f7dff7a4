package com.xentracker.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CollectionPolicyTest {

    @Test
    void defaultsCollectTheLeast() {
        CollectionPolicy policy = CollectionPolicy.defaults();
        assertThat(policy.collectWindowTitles()).isFalse();
        assertThat(policy.collectFullUrls()).isFalse();
        assertThat(policy.workingHours()).isEmpty();
        assertThat(policy.privateTimeAllowed()).isFalse();
        assertThat(policy.idleThreshold()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void anInvalidRedactionPatternIsRejectedWithTheReason() {
        assertThatThrownBy(() -> RedactionRule.of("([unclosed", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid regular expression");
    }

    @Test
    void aWorkingHoursIntervalMustStartBeforeItEnds() {
        assertThatThrownBy(() -> WorkingHours.Interval.of(LocalTime.of(18, 0), LocalTime.of(9, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void workingHoursAreCopiedSoCallersCannotChangeThem() {
        var intervals = new java.util.ArrayList<>(List.of(WorkingHours.Interval.of(LocalTime.of(9, 0), LocalTime.of(17, 0))));
        WorkingHours hours = WorkingHours.of(ZoneId.of("Europe/Berlin"), Map.of(DayOfWeek.MONDAY, intervals));
        intervals.clear();
        assertThat(hours.days().get(DayOfWeek.MONDAY)).hasSize(1);
    }

    @Test
    void excludedDomainsAreNormalizedAndMustBeHostNames() {
        CollectionPolicy policy = CollectionPolicy.defaults().withExcludedDomains(Set.of(" Bank.Example. ", "xn--bcher-kva.example"));

        assertThat(policy.excludedDomains()).containsExactlyInAnyOrder("bank.example", "xn--bcher-kva.example");
        assertThat(CollectionPolicy.defaults().excludedDomains()).isEmpty();
        for (String bad : List.of("", "https://bank.example/", "bank example", "*.bank.example", "a..b")) {
            assertThatThrownBy(() -> CollectionPolicy.defaults().withExcludedDomains(Set.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host name");
        }
    }

    @Test
    void aNonPositiveIdleThresholdIsRejected() {
        CollectionPolicy d = CollectionPolicy.defaults();
        assertThatThrownBy(() -> new CollectionPolicy(1, false, List.of(), java.util.Set.of(), d.workingHours(), false,
                Duration.ZERO, false, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aGapCannotEndBeforeItStarts() {
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        assertThatThrownBy(() -> Gap.of(t, t.minusSeconds(1), GapReason.BUFFER_FULL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Gap.of(t, t.plusSeconds(5), GapReason.BUFFER_EXPIRED).reason()).isEqualTo(GapReason.BUFFER_EXPIRED);
    }
}
