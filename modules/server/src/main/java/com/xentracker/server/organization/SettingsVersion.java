package com.xentracker.server.organization;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One version of one area of an organization's settings: the whole area as it was after a change.
 *
 * @param changedBy     who made the change, as the reader may see it: an e-mail address for readers who may list
 *                      accounts, otherwise "you", "another account" or "the host operator"
 * @param changedFields the top-level fields that differ from the version before (all of them for the first)
 * @param value         the area's settings after the change, as indented JSON
 */
public record SettingsVersion(SettingsArea area, long version, Instant changedAt, String changedBy,
        List<String> changedFields, String value) {

    public SettingsVersion {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(changedAt, "changedAt");
        Objects.requireNonNull(changedBy, "changedBy");
        changedFields = List.copyOf(changedFields);
        Objects.requireNonNull(value, "value");
    }
}
