package com.xentracker.server.audit;

/** Who an audit entry says acted. */
public enum ActorKind {
    /** A signed-in account ({@code actor_account_id} names it). */
    ACCOUNT,
    /** The host's operator on the command line. */
    OPERATOR,
    /** An enrolled device (the subject names it). */
    DEVICE,
    /** The server on its own (first-run set-up, locks after failed sign-ins). */
    SYSTEM,
    /** Someone not signed in (a failed sign-in, a one-time link). */
    ANONYMOUS
}
