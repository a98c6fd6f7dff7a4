package com.xentracker.server.audit;

import java.util.UUID;

/** Who looked at or changed what. Every view of personal data is recorded here. */
public interface AuditLog {

    /**
     * Records one event in the same database as the data it concerns.
     *
     * @param action  a stable verb such as {@code view-dashboard} or {@code sign-in}
     * @param subject what was viewed or changed, never personal data itself beyond identifiers
     */
    void record(UUID organizationId, UUID actorAccountId, String action, String subject);
}
