package com.xentracker.collector.enrollment;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.https.Ports;
import com.xentracker.transport.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first start of an agent that is not enrolled, with the server, its CA and a token in its configuration, against
 * a real HTTPS server that enrolls devices by the server's rules (a token enrolls once).
 */
class SilentEnrollmentTest {

    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    @RegisterExtension
    final EnrollingServerExtension server = new EnrollingServerExtension();

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at(T0);
    private Path dataDir;
    private Path tokenFile;
    private Path caFile;

    @BeforeEach
    void files() throws Exception {
        dataDir = dir.resolve("agent");
        tokenFile = dir.resolve("enrollment.token");
        caFile = Files.writeString(dir.resolve("server-ca.pem"), Pem.encode(server.ca().certificate()));
    }

    private EnrollmentSettings settings(String serverUrl) {
        return EnrollmentSettings.none().with(EnrollmentSettings.SERVER_URL, serverUrl)
                .with(EnrollmentSettings.SERVER_CA_FILE, caFile.toString())
                .with(EnrollmentSettings.TOKEN_FILE, tokenFile.toString());
    }

    /** The middle of the ±20 % spread: waits are exactly the schedule's. */
    private SilentEnrollment enrollment(EnrollmentSettings settings) {
        return SilentEnrollment.create(dataDir, () -> settings, clock, () -> 0.5);
    }

    @Test
    void aDeviceWhoseConfigurationNamesServerCaAndTokenEnrollsWithoutAPrompt() throws Exception {
        Files.writeString(tokenFile, server.issueToken() + "\n");

        Optional<EnrolledDevice> device = enrollment(settings(server.baseUri().toString())).attempt();

        assertThat(device).isPresent();
        assertThat(server.devices()).containsExactly(device.get().deviceId());
        assertThat(EnrolledDevice.load(dataDir)).map(EnrolledDevice::deviceId).contains(device.get().deviceId());
        assertThat(EnrollmentAttempts.read(dataDir)).isEmpty();
    }

    @Test
    void anUnreachableServerIsTriedAgainLaterEachTimeAndStatusLearnsWhy() throws Exception {
        Files.writeString(tokenFile, server.issueToken());
        SilentEnrollment enrollment = enrollment(settings(Ports.closedHttpsPort().toString()));

        assertThat(enrollment.attempt()).isEmpty();
        EnrollmentAttempts first = EnrollmentAttempts.read(dataDir).orElseThrow();
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.reason()).startsWith("cannot reach the server");
        assertThat(first.nextAttempt()).isEqualTo(T0.plusSeconds(10));

        clock.advance(Duration.ofSeconds(10));
        assertThat(enrollment.attempt()).isEmpty();
        EnrollmentAttempts second = EnrollmentAttempts.read(dataDir).orElseThrow();
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.firstAttempt()).isEqualTo(T0);
        assertThat(second.nextAttempt()).isEqualTo(T0.plusSeconds(10 + 30));
        assertThat(server.devices()).isEmpty();
        assertThat(EnrolledDevice.load(dataDir)).isEmpty();
    }

    @Test
    void theWaitsGrowToHalfAnHourAndAreSpreadSoAFleetDoesNotRetryTogether() {
        SilentEnrollment middle = enrollment(settings("https://tracker.example"));
        assertThat(middle.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(middle.backoff(7)).isEqualTo(Duration.ofMinutes(30));
        assertThat(middle.backoff(100)).isEqualTo(Duration.ofMinutes(30));

        SilentEnrollment low = SilentEnrollment.create(dataDir, () -> settings("https://x.example"), clock, () -> 0.0);
        SilentEnrollment high = SilentEnrollment.create(dataDir, () -> settings("https://x.example"), clock,
                () -> 0.999_999);
        assertThat(low.backoff(1)).isEqualTo(Duration.ofSeconds(8));
        assertThat(high.backoff(1)).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void aRefusedTokenWaitsLongerSaysTheAdministratorMustActAndNeverShowsTheToken() throws Exception {
        Files.writeString(tokenFile, "not-a-token-the-server-issued");

        assertThat(enrollment(settings(server.baseUri().toString())).attempt()).isEmpty();

        EnrollmentAttempts noted = EnrollmentAttempts.read(dataDir).orElseThrow();
        assertThat(noted.errorCode()).contains("enrollment-token-unknown");
        assertThat(noted.reason()).contains("the server refused").contains("administrator")
                .doesNotContain("not-a-token-the-server-issued");
        assertThat(noted.nextAttempt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(Files.readString(dataDir.resolve(EnrollmentAttempts.FILE)))
                .doesNotContain("not-a-token-the-server-issued");
    }

    @Test
    void aTokenTheAdministratorFixesMeanwhileIsReadAtTheNextAttempt() throws Exception {
        Files.writeString(tokenFile, "an-expired-or-mistyped-token");
        SilentEnrollment enrollment = enrollment(settings(server.baseUri().toString()));
        assertThat(enrollment.attempt()).isEmpty();

        Files.writeString(tokenFile, server.issueToken());
        clock.advance(Duration.ofMinutes(5));

        assertThat(enrollment.attempt()).isPresent();
        assertThat(server.devices()).hasSize(1);
        assertThat(EnrollmentAttempts.read(dataDir)).isEmpty();
    }

    @Test
    void anIncompleteConfigurationIsNotedWithWhatItLacks() {
        EnrollmentSettings noCa = EnrollmentSettings.none().with(EnrollmentSettings.SERVER_URL, "https://x.example")
                .with(EnrollmentSettings.TOKEN, "abc");

        assertThat(enrollment(noCa).attempt()).isEmpty();

        assertThat(EnrollmentAttempts.read(dataDir).orElseThrow().reason())
                .contains("the configuration lacks server-ca-file or server-ca");
    }

    @Test
    void aDataDirectoryOthersMayWriteToIsRefusedBeforeAnyKeyIsWritten() throws Exception {
        Files.writeString(tokenFile, server.issueToken());
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(enrollment(settings(server.baseUri().toString())).attempt()).isEmpty();

        assertThat(EnrollmentAttempts.read(dataDir).orElseThrow().reason()).contains("writable by other users");
        assertThat(server.devices()).isEmpty();
        assertThat(dataDir.resolve("device")).doesNotExist();
    }

    @Test
    void waitingForTheNextAttemptEndsAsSoonAsTheAgentIsStopped() throws Exception {
        Files.writeString(tokenFile, server.issueToken());
        SilentEnrollment enrollment = SilentEnrollment.create(dataDir,
                () -> settings(Ports.closedHttpsPort().toString()), clock, () -> 0.5);
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<Optional<EnrolledDevice>> result = new AtomicReference<>();
        Thread agent = new Thread(() -> {
            try {
                result.set(enrollment.enroll(stop));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        agent.start();
        // the first attempt fails at once (a closed port) and the agent then waits 10 s on the test clock's terms
        for (int i = 0; i < 200 && EnrollmentAttempts.read(dataDir).isEmpty(); i++) {
            TimeUnit.MILLISECONDS.sleep(25);
        }
        assertThat(EnrollmentAttempts.read(dataDir)).isPresent();

        stop.countDown();
        agent.join(TimeUnit.SECONDS.toMillis(5));

        assertThat(agent.isAlive()).isFalse();
        assertThat(result.get()).isEmpty();
    }
}
