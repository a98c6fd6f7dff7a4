package com.xentracker.server.access;

/**
 * What an account may do in its organization. The server decides with {@link Action#allows(Role)}; front ends only
 * use it to leave out what would be refused anyway.
 */
public enum Role {
    /** Everything, including accounts, keys, retention and the organization's settings. */
    OWNER,
    /** Devices, enrollment, people, groups, the collection policy and categories; reads usage and settings. */
    ADMIN,
    /** Read-only: usage, people, devices, settings, accounts and the audit log. */
    AUDITOR,
    /**
     * Read-only usage of the groups the viewer is given, as aggregates; individuals only in groups whose grant says
     * so.
     */
    VIEWER,
    /**
     * A person's self-service account, linked to that one person: sees only their own timeline and totals, who viewed
     * or exported their data, and downloads their own access package. Only while the organization has self-service
     * turned on.
     */
    SELF
}
