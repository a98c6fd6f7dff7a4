package com.xentracker.server.database;

import com.xentracker.server.StorageException;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;

/**
 * What a database failure means for the caller, decided from PostgreSQL's SQL state (never from a message, which may
 * carry values).
 */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /**
     * Whether the failure means "too slow or too busy now" rather than a bug: a statement or lock timeout, too many
     * connections, or a lost connection (SQL states 57014, 55P03, 53300, class 08).
     */
    public static boolean isOverload(Throwable e) {
        if (e instanceof ConnectionException) {
            return true;
        }
        return sqlState(e).filter(state -> state.equals("57014") || state.equals("55P03") || state.equals("53300")
                || state.startsWith("08")).isPresent();
    }

    /** Whether the transaction lost a race it may win when run again: a serialization failure or a deadlock. */
    public static boolean isRetryable(Throwable e) {
        return sqlState(e).filter(state -> state.equals("40001") || state.equals("40P01")).isPresent();
    }

    /** Whether the failure is a unique constraint violation (SQL state 23505). */
    public static boolean isUniqueViolation(Throwable e) {
        return sqlState(e).filter("23505"::equals).isPresent();
    }

    /**
     * The server's exception for a Jdbi failure, with a message of our own: {@code what} says what was being done
     * (e.g. {@code "assign-person"}), the driver's message is kept only as the cause, for the log.
     */
    public static StorageException wrap(JdbiException e, String what) {
        return isOverload(e) ? new StorageException("the database is unavailable or busy (" + what + ")", e)
                : StorageException.failed("the database refused " + what, e);
    }

    private static Optional<String> sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }
}
