package com.xentracker.server.organization;

/** The parts of an organization's settings that are versioned apart, each with a history of its own. */
public enum SettingsArea {
    /** Name, time zone, two-factor requirement, minimum group size, silent-after hours, self-service. */
    ORGANIZATION,
    /** The collection policy (its history versions are the policy versions agents report). */
    POLICY,
    /** Categories, their ratings and group ratings, and the rules in their order. */
    CATEGORIES,
    /** How long spans, rollups and the audit log are kept. */
    RETENTION
}
