package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.access.ReadRoute;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.AuditChain;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.MasterKey;
import com.xentracker.server.organization.Organization;
import com.xentracker.testing.https.Ports;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the guard composes a read on a replica with its checks and audit entry on the primary (docs/decisions/0050),
 * with replicas that fail on purpose: one that refuses connections, one whose connection breaks in the middle of a
 * read. ReadReplicaTest does the same against a real hot standby.
 */
class ReplicaReadGuardTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-29T10:15:30Z"));

    /** A route that offers one replica and counts what the guard asked and reported. */
    private static final class CountingRoute implements ReadRoute {
        private final Jdbi replica;
        final AtomicInteger asked = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        CountingRoute(Jdbi replica) {
            this.replica = replica;
        }

        @Override
        public Optional<Jdbi> replica() {
            asked.incrementAndGet();
            return Optional.of(replica);
        }

        @Override
        public void replicaFailed(RuntimeException failure) {
            failed.incrementAndGet();
        }
    }

    private Guard guard(ReadRoute route) {
        MasterKey key = MasterKey.loadOrCreate(server.server().config().masterKeyFile(), new SecureRandom());
        return Guard.create(server.jdbi(), AuditChain.create(key, server.clock()), server.clock(), route);
    }

    private long entries(Organization organization, Action action, Outcome outcome) {
        return server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action = ? AND outcome = ?",
                organization.id(), action.auditName(), outcome.name());
    }

    @Test
    void aReplicaThatRefusesConnectionsLeavesTheReadToThePrimaryWithOneEntry() {
        Organization organization = server.newOrganization();
        CountingRoute route = new CountingRoute(Jdbi.create("jdbc:postgresql://127.0.0.1:"
                + Ports.free() + "/nothing-listens", "nobody", "none"));

        String answer = guard(route).read(server.operator(organization.id()), Action.VIEW_USAGE, Subject.of("report"),
                (handle, access) -> handle.createQuery("SELECT 'read on the primary'").mapTo(String.class).one());

        assertThat(answer).isEqualTo("read on the primary");
        assertThat(route.failed).hasValue(1);
        assertThat(entries(organization, Action.VIEW_USAGE, Outcome.SUCCESS)).isEqualTo(1);
        assertThat(entries(organization, Action.VIEW_USAGE, Outcome.FAILED)).isZero();
    }

    @Test
    void aReadTheReplicaBreaksOffRunsAgainOnThePrimaryAndIsRecordedOnce() {
        Organization organization = server.newOrganization();
        CountingRoute route = new CountingRoute(anotherJdbi());
        AtomicInteger runs = new AtomicInteger();

        String answer = guard(route).read(server.operator(organization.id()), Action.VIEW_PERSON,
                Subject.of("person page"), (handle, access) -> {
                    if (runs.incrementAndGet() == 1) {
                        breakConnection(handle);
                    }
                    return handle.createQuery("SELECT 'the second run'").mapTo(String.class).one();
                });

        assertThat(answer).isEqualTo("the second run");
        assertThat(runs).hasValue(2);
        assertThat(route.failed).hasValue(1);
        assertThat(entries(organization, Action.VIEW_PERSON, Outcome.SUCCESS)).isEqualTo(1);
    }

    @Test
    void aDownloadTheReplicaBreaksOffIsRecordedAsFailedNeverAsShown() {
        Organization organization = server.newOrganization();
        CountingRoute route = new CountingRoute(anotherJdbi());
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> guard(route).readStreamed(server.operator(organization.id()), Action.EXPORT_DATA,
                Subject.of("spans.csv"), (handle, access) -> {
                    runs.incrementAndGet();
                    handle.createQuery("SELECT 1").mapTo(Integer.class).one(); // the first rows went out
                    breakConnection(handle);
                    handle.createQuery("SELECT 2").mapTo(Integer.class).one();
                    return new Guard.Streamed<>("complete", Subject.of("spans.csv"), Outcome.SUCCESS);
                }))
                .isInstanceOf(StorageException.class);

        assertThat(runs).as("bytes may have left: never run twice").hasValue(1);
        assertThat(entries(organization, Action.EXPORT_DATA, Outcome.SUCCESS)).isZero();
        assertThat(entries(organization, Action.EXPORT_DATA, Outcome.FAILED)).isEqualTo(1);
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action = ?"
                + " AND subject LIKE '%broken off: the read replica failed%'", organization.id(),
                Action.EXPORT_DATA.auditName())).isEqualTo(1);
    }

    @Test
    void aRefusedReadNeverReachesTheReplica() {
        Organization organization = server.newOrganization();
        server.server().administration().createAccount(organization.id(), "viewer-" + organization.id()
                + "@example.org", "a long enough password".toCharArray(), Role.VIEWER);
        Actor viewer = server.signIn("viewer-" + organization.id() + "@example.org",
                "a long enough password".toCharArray()).orElseThrow();
        CountingRoute route = new CountingRoute(anotherJdbi());

        assertThatThrownBy(() -> guard(route).read(viewer, Action.VIEW_DEVICES, Subject.of("devices"),
                (handle, access) -> "shown"))
                .isInstanceOf(NotPermittedException.class);

        assertThat(route.asked).hasValue(0);
        assertThat(entries(organization, Action.VIEW_DEVICES, Outcome.DENIED)).isEqualTo(1);
        assertThat(entries(organization, Action.VIEW_DEVICES, Outcome.SUCCESS)).isZero();
    }

    /**
     * A Jdbi of its own on the server's database, standing in for a replica: not the server's instance, whose
     * callbacks would join the guard's open handle on the same thread instead of taking a connection of their own.
     */
    private static Jdbi anotherJdbi() {
        return Jdbi.create(() -> server.jdbi().open().getConnection());
    }

    /** Closes the connection under the handle, as a replica that went away would. */
    private static void breakConnection(org.jdbi.v3.core.Handle handle) {
        try {
            handle.getConnection().close();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
