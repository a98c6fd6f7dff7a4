package com.xentracker.server.account;

/** What a portal account may do in its organization. */
public enum Role {
    /** Everything, including managing other accounts. Created on first run. */
    OWNER,
    /** Devices, enrollment, reports. */
    ADMIN,
    /** Read-only reports and CSV exports. */
    AUDITOR
}
