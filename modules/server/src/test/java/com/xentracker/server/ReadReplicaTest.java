package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.access.Actor;
import com.xentracker.server.export.Dataset;
import com.xentracker.server.export.ExportFilter;
import com.xentracker.server.export.ExportReceipt;
import com.xentracker.server.export.ExportRequest;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.Person;
import com.xentracker.server.usage.Period;
import com.xentracker.server.usage.PersonChoice;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.database.HotStandby;
import com.xentracker.testing.database.TestDatabase;
import com.xentracker.testing.https.Https;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Report, person-page and export reads against a real Debian PostgreSQL hot standby ({@link HotStandby}: made with
 * {@code pg_basebackup} from the external PostgreSQL), its replay paused and the standby stopped under the running
 * server. Reads are proven to come from the standby by what only it lacks: data written to the primary while its
 * replay is paused.
 */
class ReadReplicaTest {

    /** Small, so that a paused standby is past it within seconds (checks run every sixth: 333 ms). */
    private static final Duration MAX_LAG = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @RegisterExtension
    static final HotStandby standby = new HotStandby();

    private static TestDatabase database;
    private static Path directory;
    private static XentrackerServer server;
    private static Https https;
    private static Organization organization;
    private static Actor operator;

    @BeforeAll
    static void start() throws IOException {
        database = standby.primary().createDatabase();
        standby.awaitCaughtUp(); // the new database exists on the standby too
        directory = Files.createTempDirectory("xt-replica-test-");
        ServerConfig config = ServerFixture.config(directory).withDatabase(ServerFixture.database(database))
                .withReadReplica(Optional.of(new ServerConfig.ReadReplica(
                        ServerFixture.database(standby.onStandby(database)), MAX_LAG)));
        server = XentrackerServer.start(config, MutableClock.at("2026-11-29T10:15:30Z"), List.of());
        https = Https.trusting(server.baseUri(), server.certificateAuthority());
        organization = server.administration().createOrganization("Replicated", ZoneId.of("UTC"));
        operator = server.administration().operator(organization.id());
        standby.awaitCaughtUp();
        awaitReads("replica");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            standby.primary().drop(database);
        }
        ServerFixture.delete(directory);
    }

    /** Every test leaves the standby running, replaying and in use. */
    @AfterEach
    void replicaBackInUse() {
        if (!standby.superuser("SELECT 1").isBlank() && standby.superuser("SELECT pg_is_wal_replay_paused()")
                .strip().equals("t")) {
            standby.resumeReplay();
        }
        awaitReads("replica");
    }

    @Test
    void reportsPersonPagesAndExportsReadTheReplica() {
        Person seen = server.services().people().create(operator, "Seen before the pause");
        standby.awaitCaughtUp();
        awaitReads("replica");
        standby.pauseReplay();
        // written on the primary while the standby shows nothing newer: only a read on the primary would see it
        Person unseen = server.services().people().create(operator, "Written during the pause");

        assertThat(choices()).contains(seen.displayName()).doesNotContain(unseen.displayName());
        assertThat(peopleCsv()).contains(seen.displayName()).doesNotContain(unseen.displayName());
        assertThat(catching(() -> server.services().people().activityUntilToday(operator, unseen.id(), 7)))
                .as("the person page of someone the replica does not know yet")
                .isInstanceOf(NotFoundException.class);

        standby.resumeReplay();
        standby.awaitCaughtUp();
        assertThat(choices()).contains(seen.displayName(), unseen.displayName());
    }

    @Test
    void aReplicaPastTheLagBoundIsLeftForThePrimaryUntilItCatchesUp() {
        standby.pauseReplay();
        Person during = server.services().people().create(operator, "Written while replay is paused");
        awaitReads("primary (replica lagging ");
        assertThat(https.get("/readyz").status()).as("the node still serves").isEqualTo(200);
        assertThat(choices()).as("read on the primary").contains(during.displayName());
        assertThat(peopleCsv()).contains(during.displayName());
        assertThat(scrape()).contains("xentracker_read_replica_in_use 0.0");

        standby.resumeReplay();
        awaitReads("replica");
        assertThat(scrape()).contains("xentracker_read_replica_in_use 1.0");
        // and it really is the replica again: what the primary gets during a new pause is not seen
        standby.pauseReplay();
        Person next = server.services().people().create(operator, "Written during the second pause");
        assertThat(choices()).contains(during.displayName()).doesNotContain(next.displayName());
    }

    @Test
    void aStoppedReplicaLeavesReadsToThePrimaryAndReadyzSaysSo() {
        long shownBefore = auditEntries("view-usage", "SUCCESS");
        standby.stop();
        try {
            Person after = server.services().people().create(operator, "Written while the replica is down");
            // at once: either the monitor noticed first, or the read fails on the replica and runs again on the primary
            // (ReplicaReadGuardTest forces the latter)
            assertThat(choices()).contains(after.displayName());
            assertThat(auditEntries("view-usage", "SUCCESS")).as("one entry for the one read shown")
                    .isEqualTo(shownBefore + 1);
            assertThat(auditEntries("view-usage", "FAILED")).isZero();
            awaitReads("primary (replica down)");
            assertThat(https.get("/readyz").status()).isEqualTo(200);
            assertThat(peopleCsv()).contains(after.displayName());
            assertThat(scrape()).contains("xentracker_read_replica_lag_seconds NaN")
                    .containsPattern("xentracker_reads_total\\{database=\"primary\"} [1-9]");
        } finally {
            standby.start();
        }
        awaitReads("replica");
    }

    @Test
    void writesSessionsAndAuditEntriesGoToThePrimaryWhileReadsGoToTheReplica() {
        standby.pauseReplay();
        long entries = allEntries();
        // a write, a report (whose entry is appended on the primary) and a sign-in, all while the standby is frozen
        Person written = server.services().people().create(operator, "A write while the standby is frozen");
        choices();
        server.administration().createAccount(organization.id(), "reader@example.org",
                "a long enough password".toCharArray(), com.xentracker.server.access.Role.AUDITOR);
        assertThat(server.services().signIn().withPassword("reader@example.org",
                "a long enough password".toCharArray(), "127.0.0.1"))
                .isInstanceOf(com.xentracker.server.account.SignIn.SignedIn.class);

        assertThat(allEntries()).as("person created, report shown, account created, signed in")
                .isGreaterThanOrEqualTo(entries + 4);
        assertThat(standby.superuser("SELECT pg_is_in_recovery()").strip()).isEqualTo("t");
        // the replica's pool refuses writes itself, standby or not
        Throwable refused = catching(() -> server.database().readReplica().orElseThrow().jdbi()
                .useHandle(handle -> handle.execute("CREATE TEMPORARY TABLE t (x int)")));
        assertThat(refused).hasMessageContaining("read-only transaction");
        assertThat(choices()).doesNotContain(written.displayName());
    }

    // --- helpers

    private static List<String> choices() {
        return server.services().usage().overview(operator, UsageFilter.of(Period.today())).coverage().people()
                .stream().map(PersonChoice::displayName).toList();
    }

    private static String peopleCsv() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportReceipt receipt = server.services().exports().export(operator,
                ExportRequest.of(Dataset.PEOPLE, ExportFilter.none()), (name, type) -> out);
        assertThat(receipt.complete()).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The organization's audit entries, counted on the primary. */
    private static long allEntries() {
        return server.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM audit_log WHERE organization_id = :o").bind("o", organization.id())
                .mapTo(Long.class).one());
    }

    private static long auditEntries(String action, String outcome) {
        return server.database().jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM audit_log WHERE organization_id = :o AND action = :a AND outcome = :c")
                .bind("o", organization.id()).bind("a", action).bind("c", outcome).mapTo(Long.class).one());
    }

    /** Waits until /readyz names where reads go as {@code expected} (a prefix). */
    private static void awaitReads(String expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Https.Response response = https.get("/readyz");
            last = response.text();
            if (response.status() == 200 && last.contains("\"reads\":\"" + expected)) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("reads did not go to " + expected + " within " + PATIENCE.toSeconds()
                + " s; /readyz said " + last);
    }

    private static String scrape() {
        URI uri = server.metricsUri().orElseThrow();
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Throwable catching(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    private static Throwable catching(Supplier<?> action) {
        return catching((Runnable) action::get);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
