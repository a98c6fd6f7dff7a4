package com.xentracker.server.audit;

/** How an audited use case ended. */
public enum Outcome {
    /** Done (a change committed with its entry, or a read served). */
    SUCCESS,
    /** Refused before it ran: the role does not allow it. */
    DENIED,
    /** Allowed, but it failed (an unknown id, invalid input); nothing changed. */
    FAILED
}
