package com.xentracker.collector.browser;

/** What a web span counts as. */
public enum WebSpanState {
    /** Browsing: the tab was the active tab of the focused browser window while the person was active. */
    ACTIVE,
    /** A tab playing sound while the browser was not in focus or the person idle: not active browsing. */
    AUDIBLE,
    /** Browsing on a domain the policy excludes: only the time is kept. */
    EXCLUDED
}
