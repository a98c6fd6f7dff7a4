package com.xentracker.core.activity;

/**
 * What the person at the device was doing during a span. Idle, locked, excluded and paused are neutral states, never
 * violations; none of them carries an application name.
 */
public enum ActivityState {
    /** Input within the idle threshold, with a foreground application. */
    ACTIVE,
    /** No input for longer than the idle threshold. */
    IDLE,
    /** The session is locked or the screen saver is on. */
    LOCKED,
    /** The agent could not tell (no display, unsupported session such as Wayland). Recorded so gaps are visible. */
    UNKNOWN,
    /** The foreground application is excluded by the organization's policy: only the time is kept, not the app. */
    EXCLUDED,
    /** The employee started private time (where the policy allows it): only the time is kept. */
    PAUSED
}
