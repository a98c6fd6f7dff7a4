package com.xentracker.server.audit;

import com.xentracker.server.access.Actor;

/**
 * Reading the acting account's organization's audit log (owners and auditors). There is no way to write: entries are
 * made by the server, in the transaction of what they record. Reading is itself audit-logged.
 */
public interface AuditTrail {

    /** The entries the query selects, newest first. */
    AuditPage search(Actor actor, AuditQuery query);

    /**
     * Verifies the organization's audit chain: every entry's hash against its fields, each link to the entry before,
     * the checkpoints with the server's key, and the head. Reads the whole log (streamed), so it takes a while for a
     * long one; its result, intact or the first break, is itself audit-logged.
     *
     * @throws com.xentracker.server.NotPermittedException unless the actor may verify it (owners, auditors)
     */
    ChainVerification verify(Actor actor);
}
