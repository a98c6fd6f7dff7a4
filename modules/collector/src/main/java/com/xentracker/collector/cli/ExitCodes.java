package com.xentracker.collector.cli;

import com.xentracker.collector.AgentAlreadyRunningException;
import com.xentracker.collector.EnrollmentException;
import com.xentracker.collector.InvalidConfigException;
import com.xentracker.collector.NotEnrolledException;
import com.xentracker.collector.PrivateTimeNotAllowedException;
import com.xentracker.collector.ProbeUnavailableException;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.ServerUnreachableException;
import picocli.CommandLine;

/** The agent's exit codes; listed in README.md. */
final class ExitCodes {

    static final int OK = 0;
    /** An unexpected failure (a bug, a broken buffer file). */
    static final int FAILURE = 1;
    /** Bad command line or configuration. */
    static final int USAGE = CommandLine.ExitCode.USAGE;
    /** Not enrolled (run), already enrolled (enroll), or an unreadable enrollment. */
    static final int ENROLLMENT = 3;
    /** This session cannot be observed: no display, Wayland, unsupported OS, missing X libraries. */
    static final int NO_PROBE = 4;
    /** The server could not be reached (network, TLS trust). */
    static final int SERVER_UNREACHABLE = 5;
    /** The server refused the request (e.g. an invalid or used token). */
    static final int SERVER_REJECTED = 6;
    /** Another agent already runs with this data directory. */
    static final int ALREADY_RUNNING = 7;
    /** The organization's policy does not allow what was asked (private time). */
    static final int NOT_ALLOWED = 8;

    private ExitCodes() {}

    static int of(Throwable failure) {
        if (failure instanceof InvalidConfigException || failure instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (failure instanceof NotEnrolledException || failure instanceof EnrollmentException) {
            return ENROLLMENT;
        }
        if (failure instanceof ProbeUnavailableException) {
            return NO_PROBE;
        }
        if (failure instanceof ServerUnreachableException) {
            return SERVER_UNREACHABLE;
        }
        if (failure instanceof ServerRejectedRequestException) {
            return SERVER_REJECTED;
        }
        if (failure instanceof AgentAlreadyRunningException) {
            return ALREADY_RUNNING;
        }
        if (failure instanceof PrivateTimeNotAllowedException) {
            return NOT_ALLOWED;
        }
        return FAILURE;
    }
}
