package com.xentracker.server.export;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What can be exported as CSV, each with its file name and its columns (the header row). Times are in the
 * organization's time zone with their offset (ISO 8601, e.g. {@code 2026-09-14T10:30:00.000+02:00}); durations are
 * seconds with milliseconds.
 */
public enum Dataset {
    /** Raw spans: who used what, where and when. Title and URL are empty where the policy does not collect them. */
    SPANS("spans", "person_id", "person", "device_id", "device", "application", "domain", "title", "url", "category",
            "productivity", "state", "start", "end", "duration_seconds"),
    /** Daily totals per person × application/site × category (devices added up), in the organization's days. */
    ROLLUPS("rollups", "day", "person_id", "person", "application", "domain", "category", "productivity",
            "active_seconds", "idle_seconds", "locked_seconds"),
    DEVICES("devices", "device_id", "number", "hostname", "operating_system", "os_user", "agent_version",
            "enrolled_at", "revoked_at", "last_span_end", "person_ids"),
    /** People with their groups and how many devices they use. */
    PEOPLE("people", "person_id", "person", "login", "created_at", "groups", "devices"),
    /** Group memberships: one row per member, a group without members once with empty person columns. */
    GROUPS("groups", "group_id", "group", "person_id", "person"),
    /** The audit log (only for those who may read it). */
    AUDIT("audit", "sequence", "occurred_at", "actor_kind", "actor_account_id", "actor", "action",
            "subject_person_id", "subject_device_id", "subject", "outcome");

    private final String name;
    private final List<String> columns;

    Dataset(String name, String... columns) {
        this.name = name;
        this.columns = List.of(columns);
    }

    /** Its name in URLs and audit entries, e.g. {@code spans}. */
    public String externalName() {
        return name;
    }

    /** {@code spans.csv}. */
    public String fileName() {
        return name + ".csv";
    }

    public List<String> columns() {
        return columns;
    }

    /** The dataset called {@code name} (as in {@link #externalName()}, case-insensitive). */
    public static Optional<Dataset> named(String name) {
        String wanted = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(dataset -> dataset.name.equals(wanted)).findFirst();
    }
}
