package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.maintenance.Partitions;
import com.xentracker.server.maintenance.ScheduledJobs;
import com.xentracker.testing.https.Https;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Partitions made ahead and on demand, and scheduled jobs that run once across nodes: at every origin, on a server
 * of its own per origin (partitions and jobs are database-wide). The tests of one origin share that server, and some
 * move its clock by hours (across the midnight, month end or year end of the origin): what they check is therefore
 * stated against the origin, or against the clock right after they ran the jobs themselves, never against wherever
 * another test left it.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("com.xentracker.server.Origin#calendarEdges")
class MaintenanceTest {

    private static ServerFixture server;

    private final Origin origin;

    MaintenanceTest(Origin origin) {
        this.origin = origin;
    }

    @BeforeParameterizedClassInvocation
    static void startServer(Origin origin) {
        server = ServerFixture.startedAt(origin.instant());
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
    }

    private static void upload(EnrolledDevice device, Span span) {
        Https.Response response = server.upload(device, 0, List.of(span));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private YearMonth originMonth() {
        return YearMonth.from(origin.instant().atOffset(ZoneOffset.UTC));
    }

    private String partitionOf(EnrolledDevice device) {
        return server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT tableoid::regclass::text FROM spans WHERE device_id = :d")
                .bind("d", device.id()).mapTo(String.class).one());
    }

    @Test
    void partitionsExistFromLastMonthToTwoMonthsAhead() {
        // The server started without organizations, and retention over none keeps nothing: its first run dropped
        // last month's partition. With an organization, the next partitions run (an hour on) makes it again.
        server.newOrganization(origin.zone());
        server.clock().advance(Duration.ofHours(1));
        server.server().jobs().runDue();

        YearMonth now = YearMonth.from(server.clock().instant().atOffset(ZoneOffset.UTC));
        List<YearMonth> months = server.jdbi().withHandle(Partitions::existing);

        assertThat(months).contains(now.minusMonths(1), now, now.plusMonths(1), now.plusMonths(2));
    }

    @Test
    void aSpanWithoutItsMonthWaitsInTheDefaultPartitionAndMovesWhenTheMonthIsMade() {
        EnrolledDevice device = server.enroll(server.newOrganization(origin.zone()));
        // two months before the origin's: no partition (they start at last month), within the default 90 days kept
        Instant start = originMonth().minusMonths(2).atDay(15).atStartOfDay(ZoneOffset.UTC).toInstant();
        upload(device, Span.of(start, start.plusSeconds(60), Activity.active("editor", "", Optional.empty())));
        assertThat(partitionOf(device)).isEqualTo("spans_default");

        server.clock().advance(Duration.ofHours(2));
        server.server().jobs().runDue();

        YearMonth month = YearMonth.from(start.atOffset(ZoneOffset.UTC));
        assertThat(partitionOf(device)).isEqualTo(String.format("spans_y%04dm%02d", month.getYear(),
                month.getMonthValue()));
        assertThat(server.count("SELECT count(*) FROM spans WHERE device_id = ?", device.id())).isEqualTo(1);
    }

    @Test
    void aJobRunsOnceAcrossNodesEvenWhenTheyLookAtTheSameTime() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch bothStarted = new CountDownLatch(2);
        ScheduledJobs.Job job = new ScheduledJobs.Job("test-once", Duration.ofHours(1), (handle, now) -> {
            runs.incrementAndGet();
            sleep(300);
        });
        // two nodes: separate schedulers, separate connections, one database
        ScheduledJobs first = ScheduledJobs.create(server.jdbi(), server.clock(), List.of(job));
        ScheduledJobs second = ScheduledJobs.create(server.jdbi(), server.clock(), List.of(job));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> results = List.of(
                    threads.submit(() -> { bothStarted.countDown(); bothStarted.await(); return first.runDue(); }),
                    threads.submit(() -> { bothStarted.countDown(); bothStarted.await(); return second.runDue(); }));
            for (Future<List<String>> result : results) {
                result.get();
            }
            assertThat(runs).hasValue(1);
            // later, still within the period: neither runs it again
            first.runDue();
            second.runDue();
            assertThat(runs).hasValue(1);

            server.clock().advance(Duration.ofHours(1));
            second.runDue();
            first.runDue();
            assertThat(runs).hasValue(2);
            assertThat(server.count("SELECT runs FROM job_runs WHERE job = 'test-once'")).isEqualTo(2);
        } finally {
            threads.shutdownNow();
            first.close();
            second.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
