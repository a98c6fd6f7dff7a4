package com.xentracker.collector.enrollment;

import com.xentracker.collector.CollectorException;
import com.xentracker.collector.DataDirectory;
import com.xentracker.collector.InvalidConfigException;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.ServerUnreachableException;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.wire.ErrorCode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first start of an agent that is not enrolled, on a machine whose system configuration names the server, its CA
 * and a token: enrolls without any prompt, and when that fails, tries again with back-off until it works or the agent
 * is stopped. Every attempt is noted in the data directory ({@link EnrollmentAttempts}), so that {@code status} says
 * why the device is not enrolled yet and when it tries next.
 *
 * <p>The settings are read again before every attempt (an administrator may fix the token file or the system file
 * meanwhile). A refused token is retried too, more slowly: the fix is on the administrator's side, and a person at
 * the device has nothing to do.
 */
public final class SilentEnrollment {

    private static final Logger LOG = LoggerFactory.getLogger(SilentEnrollment.class);
    /**
     * Waits after the first, second, … failure: quick at first (a server or network that is just coming up), then
     * at most every 30 minutes, so a fleet with a wrong token does not hammer the server.
     */
    static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(30));
    /** A refused token cannot start working by itself: wait at least this long. */
    static final Duration AFTER_REFUSAL = Duration.ofMinutes(5);

    /** One enrollment attempt; the production one is {@link Enrollment#enroll}. */
    @FunctionalInterface
    public interface Enroller {
        EnrolledDevice enroll(Path dataDir, URI server, java.security.cert.X509Certificate ca, String token);
    }

    private final Path dataDir;
    private final Supplier<EnrollmentSettings> settings;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Enroller enroller;

    private SilentEnrollment(Path dataDir, Supplier<EnrollmentSettings> settings, Clock clock, DoubleSupplier random,
            Enroller enroller) {
        this.dataDir = dataDir;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.enroller = enroller;
    }

    /**
     * Enrollment into {@code dataDir} with the settings {@code settings} gives at each attempt.
     *
     * @param random in [0, 1): spreads the waits by ±20 %, so that a fleet installed together does not retry together
     */
    public static SilentEnrollment create(Path dataDir, Supplier<EnrollmentSettings> settings, Clock clock,
            DoubleSupplier random) {
        return create(dataDir, settings, clock, random, Enrollment::enroll);
    }

    static SilentEnrollment create(Path dataDir, Supplier<EnrollmentSettings> settings, Clock clock,
            DoubleSupplier random, Enroller enroller) {
        return new SilentEnrollment(Objects.requireNonNull(dataDir, "dataDir"), Objects.requireNonNull(settings,
                "settings"), Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(random, "random"),
                Objects.requireNonNull(enroller, "enroller"));
    }

    /**
     * Enrolls, trying again after each failure, until it worked or {@code stop} was counted down.
     *
     * @return the enrolled device; empty when stopped first
     */
    public Optional<EnrolledDevice> enroll(CountDownLatch stop) throws InterruptedException {
        while (stop.getCount() > 0) {
            Optional<EnrolledDevice> device = attempt();
            if (device.isPresent()) {
                return device;
            }
            Instant next = EnrollmentAttempts.read(dataDir).map(EnrollmentAttempts::nextAttempt)
                    .orElse(clock.instant());
            long wait = Math.max(0, Duration.between(clock.instant(), next).toMillis());
            if (stop.await(wait, TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * One attempt: the enrolled device, or empty after noting why not (and when the next attempt is due) in the data
     * directory.
     */
    public Optional<EnrolledDevice> attempt() {
        Optional<EnrollmentAttempts> before = EnrollmentAttempts.read(dataDir);
        int attempt = before.map(EnrollmentAttempts::attempts).orElse(0) + 1;
        Instant now = clock.instant();
        EnrollmentSettings current;
        String server = "";
        try {
            current = settings.get();
            server = current.serverUrl().map(URI::toString).orElse("");
            if (!current.complete()) {
                throw new InvalidConfigException("the configuration lacks " + String.join(", ", current.missing()));
            }
            DataDirectory.requireOwnPrivate(dataDir);
            EnrolledDevice device = enroller.enroll(dataDir, current.serverUrl().orElseThrow(),
                    current.readServerCa(), current.readToken());
            EnrollmentAttempts.clear(dataDir);
            LOG.info("enrolled without a prompt at attempt {}: device {} of {}", attempt, device.deviceId(),
                    device.organizationName());
            return Optional.of(device);
        } catch (ServerRejectedRequestException e) {
            Duration wait = max(backoff(attempt), max(e.retryAfter().orElse(Duration.ZERO), AFTER_REFUSAL));
            note(before, attempt, now, server, e.errorCode().map(ErrorCode::code), "the server refused: "
                    + e.getMessage() + e.errorCode().flatMap(SilentEnrollment::advice).map(a -> " (" + a + ")")
                    .orElse(""), wait);
        } catch (ServerUnreachableException e) {
            note(before, attempt, now, server, Optional.empty(), "cannot reach the server: " + e.getMessage(),
                    backoff(attempt));
        } catch (TransportException | CollectorException e) {
            note(before, attempt, now, server, Optional.empty(), e.getMessage(), backoff(attempt));
        }
        return Optional.empty();
    }

    private void note(Optional<EnrollmentAttempts> before, int attempt, Instant now, String server,
            Optional<String> code, String reason, Duration wait) {
        Instant next = now.plus(wait);
        EnrollmentAttempts attempts = new EnrollmentAttempts(attempt,
                before.map(EnrollmentAttempts::firstAttempt).orElse(now), now, server, code, reason, next);
        attempts.write(dataDir);
        // the reason never holds the token: messages of the server and of the settings name keys and files only
        LOG.warn("enrollment attempt {} at {} failed: {}; next attempt in {} s", attempt,
                server.isEmpty() ? "(no server configured)" : server, reason, wait.toSeconds());
    }

    /** The wait after the {@code attempt}-th failure, spread by ±20 %. */
    Duration backoff(int attempt) {
        Duration base = BACKOFF.get(Math.min(attempt, BACKOFF.size()) - 1);
        double spread = 0.8 + 0.4 * random.getAsDouble();
        return Duration.ofMillis(Math.round(base.toMillis() * spread));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Optional<String> advice(ErrorCode code) {
        return switch (code) {
            case ENROLLMENT_TOKEN_UNKNOWN, ENROLLMENT_TOKEN_EXPIRED, ENROLLMENT_TOKEN_REVOKED,
                    ENROLLMENT_TOKEN_EXHAUSTED -> Optional.of("the administrator must put a valid token into the"
                    + " system configuration; this device keeps trying");
            default -> Optional.empty();
        };
    }
}
