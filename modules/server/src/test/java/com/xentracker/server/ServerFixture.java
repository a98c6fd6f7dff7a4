package com.xentracker.server;

import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.spi.WebModule;
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
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server per test class: embedded PostgreSQL in a fresh data directory, HTTPS on a free port, a clock the
 * tests can move. Register it as {@code @RegisterExtension static final ServerFixture server = new ServerFixture();}.
 * Tests keep out of each other's way by creating their own organization.
 */
final class ServerFixture implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicInteger ORGANIZATIONS = new AtomicInteger();

    private final List<WebModule> modules;
    private final MutableClock clock = new MutableClock();
    private final WireCodec codec = WireCodec.create();
    private Path dataDirectory;
    private XentrackerServer server;
    private Https https;
    /** The database of this class on the external PostgreSQL, when the run uses one. */
    private ServerConfig.ExternalDatabase external;

    ServerFixture() {
        this(List.of());
    }

    ServerFixture(List<WebModule> modules) {
        this.modules = modules;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDirectory = Files.createTempDirectory("xt-server-test-");
        ServerConfig config = config(dataDirectory);
        if (TestDatabases.external()) {
            external = TestDatabases.createExternal();
            config = config.withDatabase(external);
        }
        server = XentrackerServer.start(config, clock, modules);
        https = new Https(server.baseUri(), server.certificateAuthority());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
        if (external != null) {
            TestDatabases.dropExternal(external);
        }
        delete(dataDirectory);
    }

    /** The configuration tests use: everything under {@code dataDirectory}, any free port, a small pool. */
    static ServerConfig config(Path dataDirectory) {
        return ServerConfig.forDataDirectory(dataDirectory).withHttpsPort(0).withPoolSize(4);
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

    Organization newOrganization() {
        return server.administration().createOrganization("Test organization " + ORGANIZATIONS.incrementAndGet(),
                ZoneId.of("Europe/Berlin"));
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
