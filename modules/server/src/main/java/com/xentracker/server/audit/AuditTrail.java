package com.xentracker.server.audit;

import com.xentracker.server.access.Actor;

/**
 * Reading the acting account's organization's audit log (owners and auditors). There is no way to write: entries are
 * made by the server, in the transaction of what they record. Reading is itself audit-logged.
 */
public interface AuditTrail {

    /** The entries the query selects, newest first. */
    AuditPage search(Actor actor, AuditQuery query);
}
