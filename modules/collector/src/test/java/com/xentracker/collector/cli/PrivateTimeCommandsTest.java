package com.xentracker.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.collector.policy.PolicyCache;
import com.xentracker.collector.policy.PrivateTime;
import com.xentracker.core.policy.CollectionPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pause} and {@code resume}, run in-process against a real data directory, as the employee runs them. The
 * commands read the real clock (as they do on a device), so the test does too, and only compares instants: a pause
 * ends 30 minutes after the command ran, on any day at any time.
 */
class PrivateTimeCommandsTest {

    @TempDir
    Path dataDir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private void allowPrivateTime() {
        PolicyCache.open(dataDir).offer(new CollectionPolicy(4, false, List.of(), Set.of(), Optional.empty(), true,
                CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false));
    }

    /** What the running agent would see in the same data directory. */
    private Optional<Instant> agentSeesPausedUntil() {
        return PrivateTime.in(dataDir, PolicyCache.open(dataDir), Clock.systemUTC()).pausedUntil();
    }

    @Test
    void pauseIsRefusedWhenThePolicyDoesNotAllowPrivateTime() {
        assertThat(run("pause", "--for", "30m", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.NOT_ALLOWED);

        assertThat(err.toString()).contains("error: your organization's collection policy")
                .contains("does not allow private time");
        assertThat(out.toString()).isEmpty();
        assertThat(agentSeesPausedUntil()).isEmpty();
    }

    @Test
    void aPauseRefusedByTheOrganizationsVersion0SaysSoInsteadOfClaimingNoPolicyCame() {
        // what the server sends at enrollment when the organization never changed its policy
        PolicyCache.open(dataDir).offer(CollectionPolicy.defaults());

        assertThat(run("pause", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.NOT_ALLOWED);

        assertThat(err.toString()).contains("your organization's collection policy (its defaults, version 0) does not"
                + " allow private time").doesNotContain("not received").doesNotContain("yet");
    }

    @Test
    void aTimedPauseAndAResumeRoundTrip() {
        allowPrivateTime();
        Instant before = Instant.now();

        assertThat(run("pause", "--for", "30m", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.OK);

        assertThat(out.toString()).contains("Private time started, until").contains("xentracker-agent resume");
        assertThat(agentSeesPausedUntil()).hasValueSatisfying(until -> assertThat(until)
                .isBetween(before.plus(Duration.ofMinutes(30)), Instant.now().plus(Duration.ofMinutes(30))));

        assertThat(run("resume", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("Private time ended; recording continues.");
        assertThat(agentSeesPausedUntil()).isEmpty();

        assertThat(run("resume", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("Private time was not on; nothing changed.");
    }

    @Test
    void aPauseWithoutLengthLastsUntilResume() {
        allowPrivateTime();

        assertThat(run("pause", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.OK);

        assertThat(out.toString()).contains("Private time started. Until you resume, only paused time is recorded.");
        assertThat(agentSeesPausedUntil()).contains(Instant.MAX);
    }

    @Test
    void aMalformedOrNonPositiveLengthIsAUsageError() {
        allowPrivateTime();

        assertThat(run("pause", "--for", "a while", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--for must be a duration such as 30m");
        assertThat(run("pause", "--for", "0m", "--data-dir", dataDir.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--for must be positive");
        assertThat(agentSeesPausedUntil()).isEmpty();
    }

    @Test
    void lengthsAreWrittenShortOrInIso8601() {
        assertThat(PauseCommand.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(PauseCommand.duration("45m")).isEqualTo(Duration.ofMinutes(45));
        assertThat(PauseCommand.duration(" 2h ")).isEqualTo(Duration.ofHours(2));
        assertThat(PauseCommand.duration("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(PauseCommand.duration("pt15m")).isEqualTo(Duration.ofMinutes(15));
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        int code = AgentMain.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        System.out.println(String.join(" ", args) + " -> " + code + "\nstdout: " + out + "\nstderr: " + err);
        return code;
    }
}
