package com.xentracker.collector.browser;

import java.util.Locale;
import java.util.Optional;

/** What the browser extension saw when it sent an event. */
public enum BrowserState {
    /** A browser window has the focus and the person is not idle; the tab, if any, is the active tab. */
    ACTIVE,
    /** No input for the idle-detection time; the tab, if any, is one playing audio. */
    IDLE,
    /** The screen is locked; the tab, if any, is one playing audio. */
    LOCKED,
    /** No browser window has the focus; the tab, if any, is one playing audio. */
    UNFOCUSED;

    /** The wire name ({@code active}, {@code idle}, {@code locked}, {@code unfocused}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<BrowserState> ofWireName(String name) {
        for (BrowserState state : values()) {
            if (state.wireName().equals(name)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
