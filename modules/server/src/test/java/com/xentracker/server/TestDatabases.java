package com.xentracker.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which PostgreSQL the integration tests use. Embedded (zonky) always; an external server when
 * {@code XT_TEST_EXTERNAL_JDBC_URL} (with {@code XT_TEST_EXTERNAL_USER}, {@code XT_TEST_EXTERNAL_PASSWORD}) is set —
 * CI starts Debian's PostgreSQL for it. The surefire execution {@code external-database} (module pom, active when
 * the variable is set) runs the integration tests again with {@code -Dxt.test.database=external}. Each test class
 * gets a database of its own on the external server (created here, dropped afterwards), because tests move their
 * clocks and the jobs (retention!) act on the whole database.
 */
final class TestDatabases {

    static final String URL = "XT_TEST_EXTERNAL_JDBC_URL";
    static final String USER = "XT_TEST_EXTERNAL_USER";
    static final String PASSWORD = "XT_TEST_EXTERNAL_PASSWORD";
    private static final Pattern DATABASE = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");

    private TestDatabases() {
    }

    /** Whether this run's integration tests use the external server. */
    static boolean external() {
        boolean wanted = "external".equals(System.getProperty("xt.test.database", "embedded"));
        if (wanted && externalUrl().isEmpty()) {
            throw new IllegalStateException("xt.test.database=external needs " + URL);
        }
        return wanted;
    }

    static Optional<String> externalUrl() {
        return Optional.ofNullable(System.getenv(URL)).filter(url -> !url.isBlank());
    }

    /** A fresh, empty database on the external server. */
    static ServerConfig.ExternalDatabase createExternal() {
        String name = "xt_test_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE DATABASE " + name);
        Matcher matcher = DATABASE.matcher(externalUrl().orElseThrow());
        if (!matcher.matches()) {
            throw new IllegalStateException(URL + " must look like jdbc:postgresql://host:port/database");
        }
        return new ServerConfig.ExternalDatabase(matcher.group(1) + name + matcher.group(3), user(), password());
    }

    /** Drops a database {@link #createExternal()} made, disconnecting whoever is left. */
    static void dropExternal(ServerConfig.ExternalDatabase database) {
        Matcher matcher = DATABASE.matcher(database.jdbcUrl());
        if (matcher.matches() && matcher.group(2).startsWith("xt_test_")) {
            String drop = "DROP DATABASE IF EXISTS " + matcher.group(2) + " WITH (FORCE)";
            // PostgreSQL up to 15 refuses FORCE while an autovacuum worker (it runs as the bootstrap superuser) is
            // in the database (SQLSTATE 42501, "must be a member of the role whose process is being terminated");
            // the worker is done in moments, so try again for a while.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    execute(drop);
                    return;
                } catch (IllegalStateException e) {
                    boolean autovacuum = e.getCause() instanceof SQLException sql
                            && "42501".equals(sql.getSQLState());
                    if (!autovacuum || System.nanoTime() > deadline) {
                        throw e;
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(externalUrl().orElseThrow(), user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("the external PostgreSQL refused: " + sql, e);
        }
    }

    private static String user() {
        return Optional.ofNullable(System.getenv(USER)).orElse("postgres");
    }

    private static String password() {
        return Optional.ofNullable(System.getenv(PASSWORD)).orElse("");
    }
}
