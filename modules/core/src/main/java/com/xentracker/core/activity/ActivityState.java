package com.xentracker.core.activity;

/** What the person at the device was doing during a span. Idle and locked are neutral states, never violations. */
public enum ActivityState {
    /** Input within the idle threshold, with a foreground application. */
    ACTIVE,
    /** No input for longer than the idle threshold. */
    IDLE,
    /** The session is locked or the screen saver is on. */
    LOCKED,
    /** The agent could not tell (no display, unsupported session). Recorded so that gaps are visible. */
    UNKNOWN
}
