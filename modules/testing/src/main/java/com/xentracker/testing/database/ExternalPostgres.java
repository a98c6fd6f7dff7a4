package com.xentracker.testing.database;

import com.xentracker.testing.prerequisite.Prerequisites;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The external PostgreSQL the tests may use besides the embedded one: {@code XT_TEST_EXTERNAL_JDBC_URL} (a
 * {@code jdbc:postgresql://host:port/database} URL of a database the role can connect to, usually {@code postgres})
 * with {@code XT_TEST_EXTERNAL_USER} and {@code XT_TEST_EXTERNAL_PASSWORD}; the role needs {@code CREATEDB}. CI
 * ({@code .ci/run}) starts Debian's PostgreSQL and sets them.
 *
 * <p>Every test (class) gets a fresh database of its own, because tests move their clocks and the server's jobs
 * (retention!) act on a whole database: {@link #createDatabase()}, then {@link #drop}.
 */
public final class ExternalPostgres {

    public static final String URL_VARIABLE = "XT_TEST_EXTERNAL_JDBC_URL";
    public static final String USER_VARIABLE = "XT_TEST_EXTERNAL_USER";
    public static final String PASSWORD_VARIABLE = "XT_TEST_EXTERNAL_PASSWORD";

    /** Only databases with this prefix are ever dropped, whatever a caller passes. */
    private static final String PREFIX = "xt_test_";
    private static final Pattern DATABASE = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");
    /** How long a drop waits for autovacuum workers to leave the database (see {@link #drop}). */
    private static final long DROP_PATIENCE_SECONDS = 30;

    private final String url;
    private final String user;
    private final String password;

    private ExternalPostgres(String url, String user, String password) {
        if (!DATABASE.matcher(url).matches()) {
            throw new IllegalStateException(URL_VARIABLE + " must look like jdbc:postgresql://host:port/database");
        }
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The external PostgreSQL, when {@code XT_TEST_EXTERNAL_JDBC_URL} is set. */
    public static Optional<ExternalPostgres> fromEnvironment() {
        return Optional.ofNullable(System.getenv(URL_VARIABLE)).filter(url -> !url.isBlank())
                .map(url -> new ExternalPostgres(url,
                        Optional.ofNullable(System.getenv(USER_VARIABLE)).orElse("postgres"),
                        Optional.ofNullable(System.getenv(PASSWORD_VARIABLE)).orElse("")));
    }

    /**
     * The external PostgreSQL; skips the test without it, or fails it under {@code XT_REQUIRE_ALL=1}.
     */
    public static ExternalPostgres required() {
        Optional<ExternalPostgres> postgres = fromEnvironment();
        Prerequisites.require(postgres.isPresent(), "the external PostgreSQL (" + URL_VARIABLE + "; .ci/run starts"
                + " Debian's and sets it)");
        return postgres.orElseThrow();
    }

    /** The URL of the database the role connects to (usually {@code postgres}). */
    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** A fresh, empty database, owned by the configured role. */
    public TestDatabase createDatabase() {
        String name = PREFIX + UUID.randomUUID().toString().replace("-", "");
        try {
            execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("the external PostgreSQL refused to create a database (the role " + user
                    + " needs CREATEDB)", e);
        }
        Matcher matcher = DATABASE.matcher(url);
        matcher.matches();
        return new TestDatabase(matcher.group(1) + name + matcher.group(3), user, password);
    }

    /**
     * Drops a database {@link #createDatabase()} made, disconnecting whoever is still in it ({@code WITH (FORCE)}).
     * PostgreSQL up to 15 refuses that while an autovacuum worker is in the database and the role is no member of
     * {@code pg_signal_backend} (SQLSTATE 42501, "must be a member of the role whose process is being terminated":
     * the worker runs as the bootstrap superuser); the worker is done in moments, so this tries again for a while.
     * A database of another name is left alone.
     */
    public void drop(TestDatabase database) {
        Matcher matcher = DATABASE.matcher(database.url());
        if (!matcher.matches() || !matcher.group(2).startsWith(PREFIX)) {
            return;
        }
        String drop = "DROP DATABASE IF EXISTS " + matcher.group(2) + " WITH (FORCE)";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DROP_PATIENCE_SECONDS);
        while (true) {
            try {
                execute(drop);
                return;
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the external PostgreSQL refused: " + drop, e);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while dropping " + matcher.group(2), e);
                }
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
