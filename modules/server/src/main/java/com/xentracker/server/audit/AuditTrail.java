package com.xentracker.server.audit;

import com.xentracker.server.access.Actor;
import java.util.List;
import java.util.Optional;

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

    /**
     * For a self-service account: who viewed, exported or changed its own person's data and when, newest first, as
     * in the person's access package (entries whose subject is the person, and exports of the whole organization,
     * which held their data too). The person is the account's own, read in the use case's transaction; the account's
     * own entries are left out (its views of its own data are not news to it). At most {@code limit} (1 to
     * {@value AuditQuery#MAX_LIMIT}) entries older than {@code beforeSequence} when given. Audit-logged with the
     * person as the subject.
     *
     * @throws com.xentracker.server.NotPermittedException for every role but {@link
     *         com.xentracker.server.access.Role#SELF}, and while the organization has self-service turned off
     */
    List<DataAccess> ownDataAccesses(Actor actor, Optional<Long> beforeSequence, int limit);
}
