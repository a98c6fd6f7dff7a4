package com.xentracker.server.audit;

import com.xentracker.server.crypto.MasterKey;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends to the organizations' audit logs, each a hash chain ({@link ChainHash}). The server's own: it takes the
 * caller's open transaction, so an entry commits with the change or the read it records, or not at all. Front ends
 * never get one (it is made from the master key, which they cannot reach); they only read through {@link AuditTrail}.
 *
 * <p>Appending locks the organization's row in {@code audit_chain_heads}, so entries of one organization get gap-free
 * sequence numbers in commit order across every server node; organizations do not wait for each other.
 */
public final class AuditChain {

    private static final Logger LOG = LoggerFactory.getLogger(AuditChain.class);
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    static final String HEAD = "head";
    static final String CHECKPOINT = "checkpoint";

    private final byte[] macKey;
    private final Clock clock;

    private AuditChain(byte[] macKey, Clock clock) {
        this.macKey = macKey;
        this.clock = clock;
    }

    public static AuditChain create(MasterKey masterKey, Clock clock) {
        return new AuditChain(masterKey.derive("xentracker audit chain mac"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Appends one entry in {@code handle}'s transaction and returns it as stored.
     *
     * @param actorAccount the acting account, for {@link ActorKind#ACCOUNT} (and optionally a failed sign-in's)
     */
    public AuditEntry append(Handle handle, UUID organizationId, ActorKind actorKind, Optional<UUID> actorAccount,
            String action, Subject subject, Outcome outcome) {
        Objects.requireNonNull(organizationId, "organizationId");
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("an audit action is a lower-case-dashed verb, e.g. view-people");
        }
        Head head = lockHead(handle, organizationId);
        AuditEntry entry = new AuditEntry(head.sequence() + 1, UUID.randomUUID(), ChainHash.truncate(clock.instant()),
                actorKind, actorAccount, action, subject, outcome);
        byte[] hash = ChainHash.of(organizationId, entry, head.hash());
        insert(handle, organizationId, entry, head.hash(), hash);
        moveHead(handle, organizationId, entry.sequence(), hash);
        return entry;
    }

    /**
     * Links entries that have no place in the chain yet (written before the chain existed, or by a node of an older
     * version during a rolling upgrade) to the end of their organization's chain, oldest first.
     *
     * @return how many entries were linked
     */
    public int linkUnchained(Jdbi jdbi) {
        List<UUID> organizations = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT DISTINCT organization_id FROM audit_log WHERE seq IS NULL")
                .mapTo(UUID.class).list());
        int linked = 0;
        for (UUID organization : organizations) {
            linked += jdbi.inTransaction(handle -> {
                Head head = lockHead(handle, organization);
                record Row(UUID id, Instant at, Optional<UUID> actor, String kind, String action, Optional<UUID> person,
                        Optional<UUID> device, String subject, String outcome) {
                }
                List<Row> rows = handle.createQuery("""
                                SELECT id, occurred_at, actor_account_id, actor_kind, action, subject_person_id,
                                       subject_device_id, subject, outcome
                                FROM audit_log WHERE organization_id = :organization AND seq IS NULL
                                ORDER BY occurred_at, id""")
                        .bind("organization", organization)
                        .map((rs, ctx) -> new Row(rs.getObject("id", UUID.class),
                                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                                Optional.ofNullable(rs.getObject("actor_account_id", UUID.class)),
                                rs.getString("actor_kind"), rs.getString("action"),
                                Optional.ofNullable(rs.getObject("subject_person_id", UUID.class)),
                                Optional.ofNullable(rs.getObject("subject_device_id", UUID.class)),
                                rs.getString("subject"), rs.getString("outcome")))
                        .list();
                long sequence = head.sequence();
                byte[] previous = head.hash();
                for (Row row : rows) {
                    sequence++;
                    String subjectText = row.subject().length() > Subject.MAX_TEXT
                            ? row.subject().substring(0, Subject.MAX_TEXT) : row.subject();
                    AuditEntry entry = new AuditEntry(sequence, row.id(), row.at(), ActorKind.valueOf(row.kind()),
                            row.actor(), row.action(), new Subject(row.person(), row.device(), subjectText),
                            Outcome.valueOf(row.outcome()));
                    byte[] hash = ChainHash.of(organization, entry, previous);
                    handle.createUpdate("""
                                    UPDATE audit_log SET seq = :seq, prev_hash = :prev, hash = :hash, subject = :subject
                                    WHERE organization_id = :organization AND id = :id""")
                            .bind("seq", sequence)
                            .bind("prev", previous)
                            .bind("hash", hash)
                            .bind("subject", subjectText)
                            .bind("organization", organization)
                            .bind("id", row.id())
                            .execute();
                    previous = hash;
                }
                if (!rows.isEmpty()) {
                    moveHead(handle, organization, sequence, previous);
                }
                return rows.size();
            });
        }
        if (linked > 0) {
            LOG.info("Linked {} audit entries written without a place in the chain", linked);
        }
        return linked;
    }

    private record Head(long sequence, byte[] hash) {
    }

    /** Locks the organization's head row (creating it for a first entry) and reads it. */
    private Head lockHead(Handle handle, UUID organizationId) {
        handle.createUpdate("""
                        INSERT INTO audit_chain_heads (organization_id, last_seq, last_hash, mac)
                        VALUES (:organization, 0, :genesis, :mac) ON CONFLICT (organization_id) DO NOTHING""")
                .bind("organization", organizationId)
                .bind("genesis", ChainHash.GENESIS)
                .bind("mac", ChainHash.mac(macKey, HEAD, organizationId, 0, ChainHash.GENESIS))
                .execute();
        return handle.createQuery("""
                        SELECT last_seq, last_hash FROM audit_chain_heads WHERE organization_id = :organization
                        FOR UPDATE""")
                .bind("organization", organizationId)
                .map((rs, ctx) -> new Head(rs.getLong(1), rs.getBytes(2)))
                .one();
    }

    private void moveHead(Handle handle, UUID organizationId, long sequence, byte[] hash) {
        handle.createUpdate("""
                        UPDATE audit_chain_heads SET last_seq = :seq, last_hash = :hash, mac = :mac
                        WHERE organization_id = :organization""")
                .bind("seq", sequence)
                .bind("hash", hash)
                .bind("mac", ChainHash.mac(macKey, HEAD, organizationId, sequence, hash))
                .bind("organization", organizationId)
                .execute();
    }

    private static void insert(Handle handle, UUID organizationId, AuditEntry entry, byte[] previous, byte[] hash) {
        handle.createUpdate("""
                        INSERT INTO audit_log (organization_id, id, seq, occurred_at, actor_kind, actor_account_id,
                                               action, subject_person_id, subject_device_id, subject, outcome,
                                               prev_hash, hash)
                        VALUES (:organization, :id, :seq, :at, :kind, CAST(:actor AS uuid), :action,
                                CAST(:person AS uuid), CAST(:device AS uuid), :subject, :outcome, :prev, :hash)""")
                .bind("organization", organizationId)
                .bind("id", entry.id())
                .bind("seq", entry.sequence())
                .bind("at", entry.occurredAt())
                .bind("kind", entry.actorKind().name())
                // a null parameter is sent untyped (varchar); the casts let PostgreSQL take it as a uuid
                .bind("actor", entry.actorAccount().map(UUID::toString).orElse(null))
                .bind("action", entry.action())
                .bind("person", entry.subject().person().map(UUID::toString).orElse(null))
                .bind("device", entry.subject().device().map(UUID::toString).orElse(null))
                .bind("subject", entry.subject().text())
                .bind("outcome", entry.outcome().name())
                .bind("prev", previous)
                .bind("hash", hash)
                .execute();
    }

    /** The HMAC key, for verification in this package. */
    byte[] macKey() {
        return macKey.clone();
    }
}
