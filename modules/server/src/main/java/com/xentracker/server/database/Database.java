package com.xentracker.server.database;

import com.xentracker.server.ServerConfig;
import com.xentracker.server.ServerStartupException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's PostgreSQL: embedded or external, behind a HikariCP pool, its schema migrated by Flyway on start.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private static final long CONNECTION_TIMEOUT_MS = 5_000;

    private final Optional<EmbeddedPostgresServer> embedded;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    /** The schema version migrate() reached, e.g. "3". */
    private volatile String schemaVersion = "";

    /** The read replica, when one is configured; started once the schema is migrated. */
    private volatile Optional<ReadReplica> replica = Optional.empty();

    private Database(Optional<EmbeddedPostgresServer> embedded, HikariDataSource pool) {
        this.embedded = embedded;
        this.pool = pool;
        this.jdbi = configured(Jdbi.create(pool));
    }

    /** {@code jdbi} set up as every pool of the server's is: messages without values, instants as timestamptz. */
    static Jdbi configured(Jdbi jdbi) {
        // A statement's error message names the statement's short form only, never its bound values (e-mail
        // addresses, names, hashes): Jdbi's default renders them into the message.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        // Instants go to timestamptz as OffsetDateTime and come back the same way. Jdbi's default goes through
        // java.sql.Timestamp, which the driver renders in the JVM's time zone; this keeps the JVM zone out of it.
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.TIMESTAMP_WITH_TIMEZONE) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                return (position, statement, context) ->
                        statement.setObject(position, value.atOffset(ZoneOffset.UTC));
            }
        });
        jdbi.registerColumnMapper(Instant.class, (rs, column, context) -> {
            OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        });
        return jdbi;
    }

    /**
     * Starts the embedded PostgreSQL when configured, opens the pool and applies pending migrations.
     *
     * @param embeddedPassword the superuser password of the embedded cluster (ignored for an external database)
     */
    public static Database start(ServerConfig config, byte[] embeddedPassword) {
        Optional<EmbeddedPostgresServer> embedded = Optional.empty();
        try {
            HikariConfig hikari = new HikariConfig();
            if (config.database() instanceof ServerConfig.ExternalDatabase external) {
                hikari.setJdbcUrl(external.jdbcUrl());
                hikari.setUsername(external.user());
                hikari.setPassword(external.password());
            } else {
                String password = Base64.getUrlEncoder().withoutPadding().encodeToString(embeddedPassword);
                EmbeddedPostgresServer server = EmbeddedPostgresServer.start(config.dataDirectory(), password);
                embedded = Optional.of(server);
                hikari.setJdbcUrl(server.jdbcUrl());
                hikari.setUsername(server.user());
                hikari.setPassword(server.password());
            }
            // PostgreSQL's error details quote the values of a row ("Key (email)=(ada@example.org) already exists");
            // the driver copies them into its exception messages unless told not to. Those messages can reach a log
            // line or, wrapped, an HTTP answer: personal data must not.
            hikari.addDataSourceProperty("logServerErrorDetail", "false");
            hikari.setPoolName("xentracker");
            hikari.setMaximumPoolSize(config.poolSize());
            // Waiting for a connection is bounded (Hikari's default is 30 s): an exhausted pool answers 503 with
            // Retry-After soon, instead of holding requests and their threads.
            hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
            // The pool starts without a live connection check here; migrate() below fails fast if the database is
            // unreachable, with Flyway's clearer message.
            hikari.setInitializationFailTimeout(-1);
            Database database = new Database(embedded, new HikariDataSource(hikari));
            try {
                database.migrate();
                database.replica = config.readReplica().map(replica -> ReadReplica.start(replica, config.poolSize(),
                        database.jdbi, () -> database.schemaVersion));
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
            return database;
        } catch (IOException | SQLException | FlywayException e) {
            embedded.ifPresent(EmbeddedPostgresServer::close);
            throw new ServerStartupException("the database could not be started or migrated: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            embedded.ifPresent(EmbeddedPostgresServer::close);
            throw e;
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Where pure reads go: the read replica while it is usable, else the primary (docs/decisions/0050). */
    public com.xentracker.server.access.ReadRoute reads() {
        return replica.<com.xentracker.server.access.ReadRoute>map(r -> r).orElse(
                com.xentracker.server.access.ReadRoute.primaryOnly());
    }

    /** The read replica, when one is configured. */
    public Optional<ReadReplica> readReplica() {
        return replica;
    }

    /** Whether a connection can run a trivial query now. */
    public boolean isHealthy() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            LOG.warn("Database health check failed: {}", e.toString());
            return false;
        }
    }

    /** Reports the pool's timings (acquire, usage, timeouts) from now on. */
    public void trackPool(com.zaxxer.hikari.metrics.MetricsTrackerFactory timings) {
        pool.setMetricsTrackerFactory(timings);
    }

    /** The pool's connections now, for metrics. */
    public com.xentracker.server.metrics.ServerMetrics.PoolState poolState() {
        com.zaxxer.hikari.HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            return new com.xentracker.server.metrics.ServerMetrics.PoolState(0, 0, 0, 0, pool.getMaximumPoolSize());
        }
        return new com.xentracker.server.metrics.ServerMetrics.PoolState(bean.getActiveConnections(),
                bean.getIdleConnections(), bean.getTotalConnections(), bean.getThreadsAwaitingConnection(),
                pool.getMaximumPoolSize());
    }

    /**
     * Whether the database answers and has the schema this server migrated to at start-up (a node is ready only
     * then; another node's later migration does not make it unready, a reset database does).
     */
    public boolean isReady() {
        try {
            return jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT count(*) FROM flyway_schema_history WHERE version = :version AND success")
                    .bind("version", schemaVersion)
                    .mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            LOG.warn("Database readiness check failed: {}", e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        replica.ifPresent(ReadReplica::close);
        pool.close();
        embedded.ifPresent(EmbeddedPostgresServer::close);
    }

    private void migrate() {
        FluentConfiguration flyway = Flyway.configure(Database.class.getClassLoader()).dataSource(pool);
        Module module = Database.class.getModule();
        if (module.isNamed()) {
            ModuleMigrations migrations = ModuleMigrations.of(module);
            // there are no Java migrations; an empty provider also keeps Flyway from scanning for classes
            flyway.resourceProvider(migrations).javaMigrationClassProvider(List::of);
        } else {
            // on the class path nothing is encapsulated and Flyway's own scanning works
            flyway.locations("classpath:" + ModuleMigrations.LOCATION);
        }
        Flyway loaded = flyway.load();
        MigrateResult result = loaded.migrate();
        schemaVersion = loaded.info().current() == null ? "" : loaded.info().current().getVersion().getVersion();
        LOG.info("Database schema at version {} ({} migration(s) applied now)", result.targetSchemaVersion == null
                ? result.initialSchemaVersion : result.targetSchemaVersion, result.migrationsExecuted);
    }
}
