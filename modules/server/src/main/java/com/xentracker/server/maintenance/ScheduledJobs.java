package com.xentracker.server.maintenance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the server's periodic jobs once across all nodes sharing the database. Each node looks every tick; a job runs
 * only on the node that holds its PostgreSQL advisory lock ({@code pg_try_advisory_lock}, never waiting), and only
 * when {@code job_runs} says its period has passed since the last run on any node. The lock is a session lock on the
 * job's own connection, released when the job ends (or by PostgreSQL when the node dies).
 */
public final class ScheduledJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledJobs.class);
    /** High bits of every advisory lock key the server takes, so they do not collide with other applications'. */
    private static final long LOCK_NAMESPACE = 0x5854_0000_0000_0000L;

    /** A job: its name (the key in {@code job_runs}), how often it runs, and what it does. */
    public record Job(String name, Duration period, JobBody body) {
        public Job {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(body, "body");
        }
    }

    /** What a job does, on the connection that holds its lock, at the time the run started. */
    @FunctionalInterface
    public interface JobBody {
        void run(Handle handle, Instant now);
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final List<Job> jobs;
    private final ScheduledExecutorService executor;

    private ScheduledJobs(Jdbi jdbi, Clock clock, List<Job> jobs) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.jobs = List.copyOf(jobs);
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "xentracker-jobs");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static ScheduledJobs create(Jdbi jdbi, Clock clock, List<Job> jobs) {
        return new ScheduledJobs(jdbi, clock, jobs);
    }

    /** Looks for due jobs every {@code tick} from now on. */
    public void start(Duration tick) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                runDue();
            } catch (RuntimeException e) {
                LOG.warn("Scheduled jobs failed; trying again in {}", tick, e);
            }
        }, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs every job that is due and whose lock this node gets.
     *
     * @return the names of the jobs this call ran
     */
    public synchronized List<String> runDue() {
        List<String> ran = new ArrayList<>();
        for (Job job : jobs) {
            if (runIfDue(job)) {
                ran.add(job.name());
            }
        }
        return ran;
    }

    private boolean runIfDue(Job job) {
        long key = LOCK_NAMESPACE | (job.name().hashCode() & 0xffff_ffffL);
        try (Handle handle = jdbi.open()) {
            boolean locked = handle.createQuery("SELECT pg_try_advisory_lock(:key)").bind("key", key)
                    .mapTo(Boolean.class).one();
            if (!locked) {
                LOG.debug("Job {} runs on another node now", job.name());
                return false;
            }
            try {
                Instant now = clock.instant();
                Optional<Instant> last = handle.createQuery("SELECT last_run_at FROM job_runs WHERE job = :job")
                        .bind("job", job.name())
                        .mapTo(Instant.class)
                        .findOne();
                if (last.isPresent() && last.get().plus(job.period()).isAfter(now)) {
                    return false;
                }
                long started = System.nanoTime();
                job.body().run(handle, now);
                handle.createUpdate("""
                                INSERT INTO job_runs (job, last_run_at, runs) VALUES (:job, :now, 1)
                                ON CONFLICT (job) DO UPDATE SET last_run_at = :now, runs = job_runs.runs + 1""")
                        .bind("job", job.name())
                        .bind("now", now)
                        .execute();
                LOG.debug("Job {} ran in {} ms", job.name(), (System.nanoTime() - started) / 1_000_000);
                return true;
            } finally {
                handle.createQuery("SELECT pg_advisory_unlock(:key)").bind("key", key).mapTo(Boolean.class).one();
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
