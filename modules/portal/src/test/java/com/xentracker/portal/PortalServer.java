package com.xentracker.portal;

import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.testing.clock.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real server (embedded PostgreSQL, HTTPS on a free port) with the portal found by {@link java.util.ServiceLoader}
 * the way production finds it, one per test class, and a clock the test moves. Register it as
 * {@code @RegisterExtension static final PortalServer server = new PortalServer();}. Tests keep out of each other's
 * way by creating organizations of their own.
 */
final class PortalServer implements BeforeAllCallback, AfterAllCallback {

    /** Sunday 29 November 2026, 10:15:30 UTC: every portal test starts here, whatever day it runs. */
    static final Instant START = Instant.parse("2026-11-29T10:15:30Z");
    static final String PASSWORD = "correct horse battery staple";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final MutableClock clock = MutableClock.at(START);
    private Path dataDirectory;
    private XentrackerServer server;
    private Portal portal;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDirectory = Files.createTempDirectory("xt-portal-test-");
        server = XentrackerServer.start(ServerConfig.forDataDirectory(dataDirectory).withHttpsPort(0).withPoolSize(4),
                clock);
        portal = new Portal(server.baseUri(), server.certificateAuthority());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
        }
        if (dataDirectory != null) {
            try (Stream<Path> paths = Files.walk(dataDirectory)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    XentrackerServer server() {
        return server;
    }

    ServerServices services() {
        return server.services();
    }

    Portal portal() {
        return portal;
    }

    MutableClock clock() {
        return clock;
    }

    /** The server's data directory (its embedded PostgreSQL, master key file and TLS material). */
    Path dataDirectory() {
        return dataDirectory;
    }

    Organization newOrganization() {
        return newOrganization(ZoneId.of("Europe/Berlin"));
    }

    Organization newOrganization(ZoneId zone) {
        return server.administration().createOrganization("Organization " + COUNTER.incrementAndGet(), zone);
    }

    /** An account of {@code role} in {@code organization}, password {@link #PASSWORD}. */
    /** An account of {@code role}; a self-service one for a new person of its own ("Self Person N"). */
    Account account(Organization organization, Role role) {
        String email = role.name().toLowerCase() + "-" + COUNTER.incrementAndGet() + "@example.org";
        if (role == Role.SELF) {
            UUID person = services().people().create(operator(organization), "Self Person "
                    + COUNTER.incrementAndGet()).id();
            return server.administration().createSelfAccount(organization.id(), person, email,
                    PASSWORD.toCharArray());
        }
        return server.administration().createAccount(organization.id(), email, PASSWORD.toCharArray(), role);
    }

    Actor operator(Organization organization) {
        return server.administration().operator(organization.id());
    }

    /**
     * Enrolls a device in {@code organization} (host {@code hostname}, OS user {@code osUser}) over HTTPS, as an agent
     * does, and uploads {@code spans} as its first batch.
     */
    TestAgent deviceWith(Organization organization, String hostname, String osUser,
            List<com.xentracker.core.activity.Span> spans) {
        TestAgent agent = TestAgent.enroll(server, services().enrollmentTokens().issue(operator(organization), "test",
                Duration.ofHours(1), 1).token(), hostname, osUser);
        agent.upload(spans, java.util.Optional.empty(), java.util.Optional.empty());
        return agent;
    }

    /** The organization's audit entries of one action, newest first (read as the operator). */
    List<AuditEntry> audit(Organization organization, String action) {
        return services().audit().search(operator(organization), AuditQuery.newest(AuditQuery.MAX_LIMIT)
                .withAction(action)).entries();
    }

    static String uniqueEmail(String name) {
        return name + "-" + UUID.randomUUID() + "@example.org";
    }
}
