package com.xentracker.server.database;

import com.xentracker.server.ServerConfig;
import com.xentracker.server.access.ReadRoute;
import com.xentracker.server.metrics.ServerMetrics;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hot standby of the primary that report and export reads go to (docs/decisions/0050), behind a read-only pool of
 * its own. A monitor checks it every few seconds: whether it answers, is still a standby, has the schema this node
 * migrated to, and how far its replay is behind the primary ({@link ReplicaLag}). Reads go to it only while all of
 * that holds and the lag is within the configured bound; otherwise to the primary, which {@code /readyz} and the
 * metrics say, and the log says once per change, never per request.
 */
public final class ReadReplica implements ReadRoute, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadReplica.class);
    /** A down standby must cost a request little before it reads on the primary (Hikari's minimum is 250 ms). */
    private static final long CONNECTION_TIMEOUT_MS = 1_000;
    private static final Duration SHORTEST_CHECK = Duration.ofMillis(200);
    private static final Duration LONGEST_CHECK = Duration.ofSeconds(5);

    /** Where reads go and why. */
    enum Kind {
        /** Not checked yet: reads go to the primary until the first check says otherwise. */
        UNCHECKED,
        IN_USE,
        LAGGING,
        DOWN,
        NOT_STANDBY,
        SCHEMA_BEHIND
    }

    /** What the last check (or a failed read) found; {@code lag} as last measured. */
    record State(Kind kind, Optional<Duration> lag) {

        String describe() {
            return switch (kind) {
                case IN_USE -> "replica";
                case UNCHECKED -> "primary (replica not checked yet)";
                case LAGGING -> "primary (replica lagging " + lag.orElseThrow().toSeconds() + " s)";
                case DOWN -> "primary (replica down)";
                case NOT_STANDBY -> "primary (replica is not a standby)";
                case SCHEMA_BEHIND -> "primary (replica behind the schema)";
            };
        }
    }

    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final Jdbi primary;
    private final Supplier<String> schemaVersion;
    private final Duration maxLag;
    private final ReplicaLag lag = new ReplicaLag();
    private final ScheduledExecutorService monitor;
    private volatile State state = new State(Kind.UNCHECKED, Optional.empty());
    private final AtomicLong readsOnReplica = new AtomicLong();
    private final AtomicLong readsOnPrimary = new AtomicLong();
    private final AtomicLong replicaFailures = new AtomicLong();

    private ReadReplica(HikariDataSource pool, Jdbi primary, Supplier<String> schemaVersion, Duration maxLag) {
        this.pool = pool;
        this.jdbi = Database.configured(Jdbi.create(pool));
        this.primary = primary;
        this.schemaVersion = schemaVersion;
        this.maxLag = maxLag;
        this.monitor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "xentracker-read-replica-monitor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the standby's pool and starts watching it; a standby that is down now is no reason not to start (reads go
     * to the primary until it answers).
     *
     * @param schemaVersion the schema version this node migrated the primary to
     */
    static ReadReplica start(ServerConfig.ReadReplica config, int poolSize, Jdbi primary,
            Supplier<String> schemaVersion) {
        Objects.requireNonNull(config, "config");
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.database().jdbcUrl());
        hikari.setUsername(config.database().user());
        hikari.setPassword(config.database().password());
        // as for the primary: no row values in the driver's messages
        hikari.addDataSourceProperty("logServerErrorDetail", "false");
        hikari.addDataSourceProperty("ApplicationName", "xentracker-read");
        // Every transaction on it BEGINs READ ONLY: a write sent here by mistake fails even on a standby that was
        // promoted, instead of forking the data.
        hikari.setReadOnly(true);
        hikari.setPoolName("xentracker-read");
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        hikari.setInitializationFailTimeout(-1);
        ReadReplica replica = new ReadReplica(new HikariDataSource(hikari), primary, schemaVersion, config.maxLag());
        Duration period = checkPeriod(config.maxLag());
        replica.monitor.scheduleWithFixedDelay(replica::check, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Report and export reads may go to the read replica when it is at most {} ms behind (checked every"
                + " {} ms)", config.maxLag().toMillis(), period.toMillis());
        return replica;
    }

    /** Often enough that a replica past its bound is noticed within a sixth of the bound, at most every 5 s. */
    static Duration checkPeriod(Duration maxLag) {
        Duration sixth = maxLag.dividedBy(6);
        return sixth.compareTo(SHORTEST_CHECK) < 0 ? SHORTEST_CHECK
                : sixth.compareTo(LONGEST_CHECK) > 0 ? LONGEST_CHECK : sixth;
    }

    @Override
    public Optional<Jdbi> replica() {
        if (state.kind() == Kind.IN_USE) {
            readsOnReplica.incrementAndGet();
            return Optional.of(jdbi);
        }
        readsOnPrimary.incrementAndGet();
        return Optional.empty();
    }

    @Override
    public void replicaFailed(RuntimeException failure) {
        replicaFailures.incrementAndGet();
        readsOnPrimary.incrementAndGet();
        // A lost or refused connection: the next reads go to the primary at once, not after the next check. A
        // statement cancelled for a conflict with recovery says nothing about the next one.
        if (DatabaseErrors.isOverload(failure)) {
            change(new State(Kind.DOWN, Optional.empty()), sqlState(failure));
        }
    }

    /** Where reads go now, for {@code /readyz}: {@code replica} or {@code primary (replica lagging 45 s)} and so on. */
    public String describe() {
        return state.describe();
    }

    /** Whether reads go to the replica now. */
    public boolean inUse() {
        return state.kind() == Kind.IN_USE;
    }

    State state() {
        return state;
    }

    /** The standby's own read-only pool, for checks and tests; reads go through {@link #replica()}. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** The figures the metrics report. */
    public ServerMetrics.ReplicaState metrics() {
        State now = state;
        return new ServerMetrics.ReplicaState(now.lag().map(d -> d.toMillis() / 1e3).orElse(Double.NaN),
                now.kind() == Kind.IN_USE, readsOnReplica.get(), readsOnPrimary.get(), replicaFailures.get());
    }

    /** One check; runs on the monitor's thread (and from tests). Never throws: a failed check is a finding. */
    void check() {
        try {
            record Position(long position, Instant at) {
            }
            Position primaryNow;
            try {
                primaryNow = primary.withHandle(handle -> handle.createQuery(
                                "SELECT pg_wal_lsn_diff(pg_current_wal_flush_lsn(), '0/0')::bigint, clock_timestamp()")
                        .map((rs, ctx) -> new Position(rs.getLong(1), rs.getObject(2, OffsetDateTime.class)
                                .toInstant()))
                        .one());
            } catch (JdbiException e) {
                // without the primary nothing can be judged (and nothing served either): keep the last finding
                LOG.debug("the read replica check could not reach the primary: {}", sqlState(e));
                return;
            }
            record Standby(boolean recovering, long replayed, Optional<Instant> lastCommit, boolean schema) {
            }
            Standby standby;
            try {
                standby = jdbi.inTransaction(handle -> {
                    handle.execute("SET LOCAL statement_timeout = '2s'");
                    return handle.createQuery("""
                                    SELECT pg_is_in_recovery(),
                                           coalesce(pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0'), 0)::bigint,
                                           pg_last_xact_replay_timestamp(),
                                           EXISTS (SELECT 1 FROM flyway_schema_history
                                                   WHERE version = :version AND success)""")
                            .bind("version", schemaVersion.get())
                            .map((rs, ctx) -> new Standby(rs.getBoolean(1), rs.getLong(2),
                                    Optional.ofNullable(rs.getObject(3, OffsetDateTime.class))
                                            .map(OffsetDateTime::toInstant), rs.getBoolean(4)))
                            .one();
                });
            } catch (JdbiException e) {
                change(new State(Kind.DOWN, Optional.empty()), sqlState(e));
                return;
            }
            if (!standby.recovering()) {
                // promoted or a primary of its own: its data may go its own way, and the lag cannot be measured
                change(new State(Kind.NOT_STANDBY, Optional.empty()), "pg_is_in_recovery() is false");
                return;
            }
            Duration behind = lag.observe(primaryNow.position(), primaryNow.at(), standby.replayed(),
                    standby.lastCommit());
            if (!standby.schema()) {
                change(new State(Kind.SCHEMA_BEHIND, Optional.of(behind)), "schema version " + schemaVersion.get());
            } else if (behind.compareTo(maxLag) > 0) {
                change(new State(Kind.LAGGING, Optional.of(behind)), "");
            } else {
                change(new State(Kind.IN_USE, Optional.of(behind)), "");
            }
        } catch (RuntimeException e) {
            LOG.warn("The read replica check failed", e);
        }
    }

    /** Records the new state; logs only when where reads go, or why, changes. */
    private synchronized void change(State next, String detail) {
        State previous = state;
        state = next;
        if (previous.kind() == next.kind()) {
            return;
        }
        switch (next.kind()) {
            case IN_USE -> LOG.info("Report and export reads go to the read replica ({} ms behind)",
                    next.lag().orElse(Duration.ZERO).toMillis());
            case LAGGING -> LOG.warn("Report and export reads go to the primary: the read replica is {} ms behind"
                    + " (at most {} ms allowed)", next.lag().orElseThrow().toMillis(), maxLag.toMillis());
            case DOWN -> LOG.warn("Report and export reads go to the primary: the read replica does not answer ({})",
                    detail);
            case NOT_STANDBY -> LOG.error("Report and export reads go to the primary: the read replica is not a hot"
                    + " standby ({})", detail);
            case SCHEMA_BEHIND -> LOG.warn("Report and export reads go to the primary: the read replica has not"
                    + " replayed {} yet", detail);
            case UNCHECKED -> {
            }
        }
    }

    /** The SQL state of a failure, or its kind: never the driver's message, which can carry values. */
    private static String sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return "SQL state " + sql.getSQLState();
            }
        }
        return e.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        monitor.shutdownNow();
        try {
            monitor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }
}
