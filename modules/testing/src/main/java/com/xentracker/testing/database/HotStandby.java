package com.xentracker.testing.database;

import com.xentracker.testing.https.Ports;
import com.xentracker.testing.prerequisite.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real hot standby of the external PostgreSQL ({@link ExternalPostgres}), made for one test class: Debian's
 * {@code pg_basebackup -R -X stream} of the primary into a fresh directory, started with the primary's own PostgreSQL
 * binaries on a free loopback port, streaming from the primary; stopped and removed after the class. Tests stop and
 * start it, and pause and resume its replay, to see what a replica that is down or behind does to the server.
 *
 * <p>Needs, besides the external PostgreSQL: a role with {@code REPLICATION} ({@code XT_TEST_REPLICATION_USER},
 * {@code XT_TEST_REPLICATION_PASSWORD}; {@code .ci/prerequisites} makes it and Debian's {@code pg_hba.conf} lets it
 * stream from 127.0.0.1), the server binaries in {@code /usr/lib/postgresql/<major>/bin}, and root (the standby runs
 * as the {@code postgres} user, through {@code runuser}). Without them the test is skipped, or fails under
 * {@code XT_REQUIRE_ALL=1}.
 *
 * <p>{@code @RegisterExtension static final HotStandby standby = new HotStandby();}
 */
public final class HotStandby implements BeforeAllCallback, AfterAllCallback {

    public static final String USER_VARIABLE = "XT_TEST_REPLICATION_USER";
    public static final String PASSWORD_VARIABLE = "XT_TEST_REPLICATION_PASSWORD";
    private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^:/]+)(?::(\\d+))?/.*$");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private ExternalPostgres primary;
    private Path directory;
    private Path data;
    private Path binaries;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        primary = ExternalPostgres.required();
        Optional<String> user = variable(USER_VARIABLE);
        Prerequisites.require(user.isPresent(), "a PostgreSQL role with REPLICATION (" + USER_VARIABLE + ", "
                + PASSWORD_VARIABLE + "; .ci/prerequisites makes it as root)");
        Prerequisites.require("root".equals(System.getProperty("user.name")), "root (the hot standby runs as the"
                + " postgres user, started through runuser; ./test runs as root in CI)");
        int major = primaryQuery("SHOW server_version_num", result -> Integer.parseInt(result.getString(1))) / 10_000;
        binaries = Path.of("/usr/lib/postgresql/" + major + "/bin");
        Prerequisites.require(Files.isExecutable(binaries.resolve("pg_basebackup")), "PostgreSQL " + major
                + "'s server binaries in " + binaries + " (apt-get install postgresql)");
        Matcher primaryAddress = HOST_PORT.matcher(primary.url());
        if (!primaryAddress.matches()) {
            throw new IllegalStateException(ExternalPostgres.URL_VARIABLE + " names no host: " + primary.url());
        }
        directory = Files.createTempDirectory("xt-standby-");
        UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName("postgres");
        Files.setOwner(directory, postgres);
        data = directory.resolve("data");
        port = Ports.free();
        try {
            // a fast checkpoint: the primary is shared with other tests, and a spread one would take minutes
            run(Map.of("PGPASSWORD", variable(PASSWORD_VARIABLE).orElse("")), "runuser", "-u", "postgres", "--",
                    binaries.resolve("pg_basebackup").toString(), "-h", primaryAddress.group(1), "-p",
                    Optional.ofNullable(primaryAddress.group(2)).orElse("5432"), "-U", user.orElseThrow(), "-D",
                    data.toString(), "-R", "-X", "stream", "-c", "fast", "--no-sync");
            // Debian keeps the configuration outside the data directory, so the copy has none: a standby's own,
            // loopback only, its socket in its own directory. max_connections and the like stay at their defaults,
            // which a standby needs to be at least the primary's.
            write(data.resolve("postgresql.conf"), """
                    port = %d
                    listen_addresses = '127.0.0.1'
                    unix_socket_directories = '%s'
                    hot_standby = on
                    fsync = off
                    shared_buffers = 16MB
                    """.formatted(port, directory));
            write(data.resolve("pg_hba.conf"), """
                    local all postgres peer
                    host all all 127.0.0.1/32 scram-sha-256
                    """);
            write(data.resolve("pg_ident.conf"), "");
            start();
        } catch (RuntimeException | IOException e) {
            afterAll(context);
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (directory == null) {
            return;
        }
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stop();
            }
        } finally {
            delete(directory);
            directory = null;
        }
    }

    /** The external PostgreSQL this standby streams from. */
    public ExternalPostgres primary() {
        return primary;
    }

    /** The same database on the standby (it appears there once the standby has replayed its creation). */
    public TestDatabase onStandby(TestDatabase database) {
        String url = database.url().replaceFirst("^jdbc:postgresql://[^/]+/", "jdbc:postgresql://127.0.0.1:" + port
                + "/");
        return new TestDatabase(url, database.user(), database.password());
    }

    /** Stops the standby (fast shutdown: its sessions are ended). */
    public void stop() {
        run(Map.of(), "runuser", "-u", "postgres", "--", binaries.resolve("pg_ctl").toString(), "-D", data.toString(),
                "-m", "fast", "-w", "-t", "30", "stop");
    }

    /** Starts it (again) and waits until it accepts connections. */
    public void start() {
        run(Map.of(), "runuser", "-u", "postgres", "--", binaries.resolve("pg_ctl").toString(), "-D", data.toString(),
                "-l", directory.resolve("standby.log").toString(), "-w", "-t", "30", "start");
    }

    /** Pauses replay: the standby keeps receiving WAL but shows nothing newer until {@link #resumeReplay()}. */
    public void pauseReplay() {
        superuser("SELECT pg_wal_replay_pause()");
    }

    public void resumeReplay() {
        superuser("SELECT pg_wal_replay_resume()");
    }

    /** Waits until the standby has replayed everything the primary had flushed when this was called. */
    public void awaitCaughtUp() {
        String position = primaryQuery("SELECT pg_current_wal_flush_lsn()::text", result -> result.getString(1));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            String caughtUp = superuser("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '" + position
                    + "') >= 0");
            if (caughtUp.strip().equals("t")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the standby did not replay up to " + position + " within "
                        + PATIENCE.toSeconds() + " s");
            }
            sleep(50);
        }
    }

    /** Runs {@code sql} on the standby as its superuser (over its own socket) and returns psql's unaligned output. */
    public String superuser(String sql) {
        return run(Map.of(), "runuser", "-u", "postgres", "--", binaries.resolve("psql").toString(), "-h",
                directory.toString(), "-p", Integer.toString(port), "-d", "postgres", "-X", "-A", "-t", "-v",
                "ON_ERROR_STOP=1", "-c", sql);
    }

    @FunctionalInterface
    private interface Reading<T> {
        T read(ResultSet result) throws SQLException;
    }

    private <T> T primaryQuery(String sql, Reading<T> reading) {
        try (Connection connection = DriverManager.getConnection(primary.url(), primary.user(), primary.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return reading.read(result);
        } catch (SQLException e) {
            throw new IllegalStateException("the primary refused: " + sql, e);
        }
    }

    private static String run(Map<String, String> environment, String... command) {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command[4] + " failed (" + process.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static Optional<String> variable(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }

    private void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setOwner(file, Files.getOwner(directory));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
