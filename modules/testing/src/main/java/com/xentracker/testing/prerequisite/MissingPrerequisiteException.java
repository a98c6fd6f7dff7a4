package com.xentracker.testing.prerequisite;

/**
 * A test needs something the machine does not have (a tool, a database), and {@code XT_REQUIRE_ALL=1} says that
 * nothing may be skipped for that reason.
 */
public final class MissingPrerequisiteException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MissingPrerequisiteException(String message) {
        super(message);
    }
}
