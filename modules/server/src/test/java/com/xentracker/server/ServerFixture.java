package com.xentracker.server;

import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.core.activity.Span;
import com.xentracker.server.spi.WebModule;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.database.ExternalPostgres;
import com.xentracker.testing.database.TestDatabase;
import com.xentracker.testing.device.TestDevice;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.WireCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server: PostgreSQL in a fresh data directory (or a fresh database on the external PostgreSQL, see
 * {@link #externalPostgres()}), HTTPS on a free port, and a clock that starts where the test says and that tests
 * move. Per test class: {@code @RegisterExtension static final ServerFixture server = new ServerFixture(START);}; per
 * test (a server for one origin of a parameterized test): {@code try (ServerFixture server =
 * ServerFixture.startedAt(origin)) ...}. Tests sharing one keep out of each other's way by creating their own
 * organization.
 *
 * <p>TLS certificates are issued by the real clock whatever this clock says (the server does that), so the start may
 * be any instant, past or future.
 */
final class ServerFixture implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /**
     * The system property that makes the integration tests use the external PostgreSQL ({@code external}) instead of
     * an embedded one; the pom's {@code external-database} execution sets it when {@code XT_TEST_EXTERNAL_JDBC_URL}
     * is set.
     */
    private static final String DATABASE_PROPERTY = "xt.test.database";
    private static final AtomicInteger ORGANIZATIONS = new AtomicInteger();

    private final List<WebModule> modules;
    private final MutableClock clock;
    private final WireCodec codec = WireCodec.create();
    private Path dataDirectory;
    private XentrackerServer server;
    private Https https;
    /** The database of this server on the external PostgreSQL, when the run uses one. */
    private Optional<TestDatabase> ownDatabase = Optional.empty();

    /** A server whose clock starts at {@code start} (it stands still until a test moves it). */
    ServerFixture(Instant start) {
        this(start, List.of());
    }

    ServerFixture(Instant start, List<WebModule> modules) {
        this.clock = MutableClock.at(Objects.requireNonNull(start, "start"));
        this.modules = modules;
    }

    /** A running server whose clock starts at {@code start}; close it when done. */
    static ServerFixture startedAt(Instant start) {
        ServerFixture fixture = new ServerFixture(start);
        fixture.start();
        return fixture;
    }

    /**
     * Whether this run's integration tests use the external PostgreSQL: each server then gets a database of its own
     * there, because tests move their clocks and the jobs (retention!) act on a whole database.
     */
    static Optional<ExternalPostgres> externalPostgres() {
        if (!"external".equals(System.getProperty(DATABASE_PROPERTY, "embedded"))) {
            return Optional.empty();
        }
        return Optional.of(ExternalPostgres.fromEnvironment().orElseThrow(() -> new IllegalStateException(
                DATABASE_PROPERTY + "=external needs " + ExternalPostgres.URL_VARIABLE)));
    }

    /** The server's configuration for a database of this run's kind, made for it. */
    private ServerConfig configWithDatabase() {
        ServerConfig config = config(dataDirectory);
        Optional<ExternalPostgres> postgres = externalPostgres();
        if (postgres.isPresent()) {
            ownDatabase = Optional.of(postgres.get().createDatabase());
            config = config.withDatabase(database(ownDatabase.get()));
        }
        return config;
    }

    /** The server's description of a database the testing module made. */
    static ServerConfig.ExternalDatabase database(TestDatabase database) {
        return new ServerConfig.ExternalDatabase(database.url(), database.user(), database.password());
    }

    private void start() {
        try {
            dataDirectory = Files.createTempDirectory("xt-server-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            server = XentrackerServer.start(configWithDatabase(), clock, modules);
            https = Https.trusting(server.baseUri(), server.certificateAuthority());
        } catch (RuntimeException e) {
            close(); // what did start (a database, a directory) must not outlive the failure
            throw e;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Stops the server and removes its data (the external database too). */
    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        ownDatabase.ifPresent(database -> externalPostgres().orElseThrow().drop(database));
        ownDatabase = Optional.empty();
        delete(dataDirectory);
    }

    /**
     * The configuration tests use: everything under {@code dataDirectory}, any free port, a small pool, and the
     * metrics listener on any free loopback port.
     */
    static ServerConfig config(Path dataDirectory) {
        return ServerConfig.forDataDirectory(dataDirectory).withHttpsPort(0).withPoolSize(4)
                .withObservability(new ServerConfig.Observability(java.util.OptionalInt.of(0), "127.0.0.1",
                        ServerConfig.LogFormat.TEXT));
    }

    XentrackerServer server() {
        return server;
    }

    MutableClock clock() {
        return clock;
    }

    Https https() {
        return https;
    }

    WireCodec codec() {
        return codec;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    /** Direct access to the server's database, for checks no API offers (row counts, raw columns). */
    Jdbi jdbi() {
        return server.database().jdbi();
    }

    /** The server's use cases, as front ends call them. */
    com.xentracker.server.spi.ServerServices services() {
        return server.services();
    }

    /** The host's operator acting in {@code organizationId}. */
    com.xentracker.server.access.Actor operator(java.util.UUID organizationId) {
        return server.administration().operator(organizationId);
    }

    /** Signs in with a password from this test's address; the actor when it worked. */
    java.util.Optional<com.xentracker.server.access.Actor> signIn(String email, char[] password) {
        return server.services().signIn().withPassword(email, password, "127.0.0.1") instanceof
                com.xentracker.server.account.SignIn.SignedIn signedIn ? java.util.Optional.of(signedIn.actor())
                : java.util.Optional.empty();
    }

    /** A new organization in Berlin's time zone. */
    Organization newOrganization() {
        return newOrganization(ZoneId.of("Europe/Berlin"));
    }

    Organization newOrganization(ZoneId zone) {
        return server.administration().createOrganization("Test organization " + ORGANIZATIONS.incrementAndGet(),
                zone);
    }

    IssuedEnrollmentToken token(Organization organization) {
        return server.services().enrollmentTokens().issue(operator(organization.id()), "test devices",
                Duration.ofHours(1), 10);
    }

    /** A device enrolled over HTTPS, with its signing keys. */
    record EnrolledDevice(KeyPair keys, EnrollmentResponse enrollment) {
        UUID id() {
            return enrollment.deviceId();
        }

        /** This device as the testing module seals and uploads for it. */
        TestDevice sealing() {
            return TestDevice.of(keys, enrollment);
        }
    }

    EnrolledDevice enroll(Organization organization) {
        KeyPair keys = DeviceKeys.generate();
        Https.Response response = https.post(Routes.ENROLL, "application/json", codec.encode(
                enrollmentRequest(token(organization).token(), keys)));
        if (response.status() != 200) {
            throw new AssertionError("enrollment failed: " + response.status() + " " + response.text());
        }
        return new EnrolledDevice(keys, codec.decode(response.body(), EnrollmentResponse.class));
    }

    /** Seals a batch of {@code device} with these spans, as its agent would, and posts it; the answer as it came. */
    Https.Response upload(EnrolledDevice device, long sequence, List<Span> spans) {
        return device.sealing().upload(https, sequence, spans);
    }

    static EnrollmentRequest enrollmentRequest(String token, KeyPair keys) {
        return new EnrollmentRequest(token, Pem.encodePublicKey(keys.getPublic()), "test-host", "Linux 6.1",
                "alice", "0.1.0-test");
    }

    long count(String sql, Object... arguments) {
        return jdbi().withHandle(handle -> {
            var query = handle.createQuery(sql);
            for (int i = 0; i < arguments.length; i++) {
                query.bind(i, arguments[i]);
            }
            return query.mapTo(Long.class).one();
        });
    }

    static void delete(Path directory) {
        if (directory == null || Files.notExists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
