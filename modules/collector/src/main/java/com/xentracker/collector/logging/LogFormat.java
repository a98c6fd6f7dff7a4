package com.xentracker.collector.logging;

import com.xentracker.collector.InvalidConfigException;
import java.util.Locale;

/** How the agent writes log lines: one line of text (default), or one JSON object per line ({@code log-format}). */
public enum LogFormat {
    TEXT, JSON;

    /** The format a {@code log-format} value names. */
    public static LogFormat of(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new InvalidConfigException("log-format is text or json, not '" + value + "'");
        };
    }
}
