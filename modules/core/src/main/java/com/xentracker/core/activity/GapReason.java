package com.xentracker.core.activity;

/** Why recorded activity was lost before it reached the server. */
public enum GapReason {
    /** The agent's buffer reached its size bound and dropped its oldest unsent spans. */
    BUFFER_FULL,
    /** Unsent spans were older than the buffer's age bound and were dropped. */
    BUFFER_EXPIRED,
    /** The server refused a batch for good (it could never be opened or stored); the agent dropped it. */
    UPLOAD_REJECTED
}
