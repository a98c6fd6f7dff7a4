package com.xentracker.collector.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.PrivateTimeNotAllowedException;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.testing.clock.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateTimeTest {

    private static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");
    private static final CollectionPolicy ALLOWING = new CollectionPolicy(2, false, List.of(), Set.of(),
            Optional.empty(), true, CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false);

    @TempDir
    Path dataDir;

    private final MutableClock clock = MutableClock.at(NOW);

    @Test
    void aPauseIsRefusedWhenThePolicyDoesNotAllowPrivateTimeAndNothingIsWritten() {
        PrivateTime privateTime = PrivateTime.in(dataDir, CollectionPolicy::defaults, clock);

        assertThatThrownBy(() -> privateTime.pause(Optional.of(Duration.ofMinutes(30))))
                .isInstanceOf(PrivateTimeNotAllowedException.class)
                .hasMessageContaining("does not allow private time");
        assertThat(privateTime.pausedUntil()).isEmpty();
        assertThat(dataDir.resolve(PrivateTime.FILE)).doesNotExist();
    }

    @Test
    void aTimedPauseEndsByItself() {
        PrivateTime privateTime = PrivateTime.in(dataDir, () -> ALLOWING, clock);

        assertThat(privateTime.pause(Optional.of(Duration.ofMinutes(30)))).isEqualTo(NOW.plusSeconds(1800));
        assertThat(privateTime.pausedUntil()).contains(NOW.plusSeconds(1800));

        clock.advance(Duration.ofMinutes(30));
        assertThat(privateTime.pausedUntil()).isEmpty();
    }

    @Test
    void aPauseWithoutLengthLastsUntilResumed() {
        PrivateTime privateTime = PrivateTime.in(dataDir, () -> ALLOWING, clock);

        assertThat(privateTime.pause(Optional.empty())).isEqualTo(Instant.MAX);
        clock.advance(Duration.ofDays(3));
        assertThat(privateTime.pausedUntil()).contains(Instant.MAX);

        assertThat(privateTime.resume()).isTrue();
        assertThat(privateTime.pausedUntil()).isEmpty();
        assertThat(privateTime.resume()).isFalse();
    }

    @Test
    void theAgentSeesWhatAnotherProcessStartedAndEnded() {
        // two instances on one data directory, as the running agent and the pause/resume commands have
        PrivateTime agent = PrivateTime.in(dataDir, () -> ALLOWING, clock);
        PrivateTime commandLine = PrivateTime.in(dataDir, () -> ALLOWING, clock);
        assertThat(agent.pausedUntil()).isEmpty();

        commandLine.pause(Optional.of(Duration.ofMinutes(10)));
        assertThat(agent.pausedUntil()).contains(NOW.plusSeconds(600));

        commandLine.pause(Optional.of(Duration.ofMinutes(20))); // replaced, possibly within the same millisecond
        assertThat(agent.pausedUntil()).contains(NOW.plusSeconds(1200));

        commandLine.resume();
        assertThat(agent.pausedUntil()).isEmpty();
    }

    @Test
    void resumingIsAllowedAlsoWhenThePolicyNoLongerAllowsPrivateTime() {
        PrivateTime.in(dataDir, () -> ALLOWING, clock).pause(Optional.empty());

        PrivateTime underNewPolicy = PrivateTime.in(dataDir, CollectionPolicy::defaults, clock);
        assertThat(underNewPolicy.resume()).isTrue();
        assertThat(dataDir.resolve(PrivateTime.FILE)).doesNotExist();
    }

    @Test
    void aDamagedFileIsNoPause() throws Exception {
        Files.writeString(dataDir.resolve(PrivateTime.FILE), "paused-until=tomorrow\n");

        assertThat(PrivateTime.in(dataDir, () -> ALLOWING, clock).pausedUntil()).isEmpty();
    }

    @Test
    void aPauseMustHaveAPositiveLength() {
        PrivateTime privateTime = PrivateTime.in(dataDir, () -> ALLOWING, clock);
        assertThatThrownBy(() -> privateTime.pause(Optional.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
