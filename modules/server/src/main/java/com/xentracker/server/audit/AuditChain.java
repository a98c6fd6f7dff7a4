package com.xentracker.server.audit;

import com.xentracker.server.crypto.MasterKey;
import com.xentracker.server.rollup.TenantSql;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends to the organizations' audit logs, each a hash chain ({@link ChainHash}). The server's own: it takes the
 * caller's open transaction, so an entry commits with the change or the read it records, or not at all. Front ends
 * never get one (it is made from the master key, which they cannot reach); they only read through {@link AuditTrail}.
 *
 * <p>Appending locks the organization's row in {@code audit_chain_heads}, so entries of one organization get gap-free
 * sequence numbers in commit order across every server node; organizations do not wait for each other.
 *
 * <p>Checkpoints ({@code audit_checkpoints}) pin the hash of one entry under the chain key's HMAC, like the head: the
 * server makes one of its head every hour ({@link #checkpointHeads}), so that a rewrite with recomputed hashes is
 * found between two checkpoints rather than somewhere before the head, and retention makes one of the newest entry
 * it removes ({@link #checkpointAndDelete}), from which the remaining chain verifies.
 */
public final class AuditChain {

    private static final Logger LOG = LoggerFactory.getLogger(AuditChain.class);
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    static final String HEAD = "head";
    static final String CHECKPOINT = "checkpoint";
    /**
     * How long a checkpoint below retention's newest is kept: a verification reads the checkpoints before and after
     * it walks the entries, so one that takes less than this always finds the checkpoint its entries start from.
     */
    static final Duration CHECKPOINT_OVERLAP = Duration.ofDays(1);
    /** What a head gets when the server found it not verifying: a MAC no key makes (see {@link #moveHead}). */
    private static final byte[] UNVERIFIED_MAC = new byte[32];

    private final byte[] macKey;
    private final Clock clock;
    /** Organizations whose unverifiable head this process logged already (once each, not with every entry). */
    private final Set<UUID> reportedHeads = ConcurrentHashMap.newKeySet();

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
        moveHead(handle, organizationId, head, entry.sequence(), hash);
        return entry;
    }

    /**
     * Removes the organization's entries older than {@code cutoff}, in {@code handle}'s transaction, as a prefix of
     * its chain: first it verifies the entries it is about to remove, then stores a checkpoint of the newest of them
     * (its sequence number and hash under the chain key's HMAC), from which the remaining chain verifies, and removes
     * them. Entries not linked into the chain yet stay until they are.
     *
     * <p>When the entries to remove do not verify, it removes nothing and logs an error: they are the evidence of a
     * change to the log, which the server must not destroy itself. Retention of the audit log then waits until an
     * operator has looked ({@code audit verify}).
     *
     * <p>The prefix ends at the newest entry older than {@code cutoff}; an entry of a node whose clock was a little
     * behind may sit before it and be removed with it, a little early, rather than leave a hole in the chain.
     *
     * @return how many entries were removed
     */
    public long checkpointAndDelete(Handle handle, UUID organizationId, Instant cutoff) {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(cutoff, "cutoff");
        Optional<Long> through = Optional.ofNullable(TenantSql.query(handle, organizationId, """
                        SELECT max(seq) FROM audit_log
                        WHERE organization_id = :organization AND seq IS NOT NULL AND occurred_at < :cutoff""")
                .bind("cutoff", cutoff)
                .mapTo(Long.class).one());
        if (through.isEmpty()) {
            return 0;
        }
        ChainVerifier.Prefix prefix = ChainVerifier.verifyPrefix(handle, organizationId, through.get(), macKey);
        if (!prefix.intact()) {
            ChainBreak first = prefix.breaks().get(0);
            LOG.error("Audit retention for organization {} removes nothing: the entries up to {} do not verify ({}"
                    + " break(s), the first {} at {}). Run 'audit verify' and look into it; retention of the audit"
                    + " log resumes once they verify", organizationId, through.get(), prefix.breaks().size(),
                    first.kind(), first.sequence());
            return 0;
        }
        Instant now = clock.instant();
        TenantSql.update(handle, organizationId, """
                        INSERT INTO audit_checkpoints (organization_id, seq, hash, mac, created_at)
                        VALUES (:organization, :seq, :hash, :mac, :now) ON CONFLICT (organization_id, seq) DO NOTHING""")
                .bind("seq", through.get())
                .bind("hash", prefix.lastHash())
                .bind("mac", ChainHash.mac(macKey, CHECKPOINT, organizationId, through.get(), prefix.lastHash()))
                .bind("now", now)
                .execute();
        int removed = TenantSql.update(handle, organizationId,
                        "DELETE FROM audit_log WHERE organization_id = :organization AND seq <= :through")
                .bind("through", through.get())
                .execute();
        // older checkpoints serve no verification once this one exists, except one already under way
        TenantSql.update(handle, organizationId, """
                        DELETE FROM audit_checkpoints
                        WHERE organization_id = :organization AND seq < :through AND created_at < :overlap""")
                .bind("through", through.get())
                .bind("overlap", now.minus(CHECKPOINT_OVERLAP))
                .execute();
        return removed;
    }

    /**
     * Stores a checkpoint of each organization's head that moved since its newest checkpoint (a scheduled job, hourly).
     * A head whose MAC does not verify is not checkpointed: that would vouch for what someone else wrote.
     *
     * @return how many checkpoints were made
     */
    public int checkpointHeads(Handle handle, Instant now) {
        record Moved(UUID organization, Head head) {
        }
        List<Moved> moved = handle.createQuery("""
                        SELECT h.organization_id, h.last_seq, h.last_hash, h.mac FROM audit_chain_heads h
                        WHERE h.last_seq > COALESCE((SELECT max(c.seq) FROM audit_checkpoints c
                                                     WHERE c.organization_id = h.organization_id), 0)""")
                .map((rs, ctx) -> {
                    UUID organization = rs.getObject(1, UUID.class);
                    return new Moved(organization, head(organization, rs.getLong(2), rs.getBytes(3), rs.getBytes(4)));
                })
                .list();
        int made = 0;
        for (Moved head : moved) {
            if (!head.head().verified()) {
                reportUnverified(head.organization());
                continue;
            }
            made += TenantSql.update(handle, head.organization(), """
                            INSERT INTO audit_checkpoints (organization_id, seq, hash, mac, created_at)
                            VALUES (:organization, :seq, :hash, :mac, :now)
                            ON CONFLICT (organization_id, seq) DO NOTHING""")
                    .bind("seq", head.head().sequence())
                    .bind("hash", head.head().hash())
                    .bind("mac", ChainHash.mac(macKey, CHECKPOINT, head.organization(), head.head().sequence(),
                            head.head().hash()))
                    .bind("now", now)
                    .execute();
        }
        LOG.debug("Checkpointed {} audit chain head(s)", made);
        return made;
    }

    /** Verifies the organization's whole chain in {@code handle}'s transaction (see {@link ChainVerifier}). */
    ChainVerification verify(Handle handle, UUID organizationId) {
        return ChainVerifier.verify(handle, organizationId, macKey);
    }

    /**
     * Links entries that have no place in the chain yet (written before the chain existed, or by a node of an older
     * version during a rolling upgrade) to the end of their organization's chain, oldest first.
     *
     * @return how many entries were linked
     */
    public int linkUnchained(Jdbi jdbi) {
        return jdbi.withHandle(this::linkUnchained);
    }

    /** {@link #linkUnchained(Jdbi)} on {@code handle}, one transaction per organization (a scheduled job). */
    public int linkUnchained(Handle connection) {
        List<UUID> organizations = connection.createQuery(
                        "SELECT DISTINCT organization_id FROM audit_log WHERE seq IS NULL")
                .mapTo(UUID.class).list();
        int linked = 0;
        for (UUID organization : organizations) {
            linked += connection.inTransaction(handle -> {
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
                // one round trip for all of them: a node of an older version may have written thousands
                PreparedBatch updates = handle.prepareBatch("""
                        UPDATE audit_log SET seq = :seq, prev_hash = :prev, hash = :hash, subject = :subject
                        WHERE organization_id = :organization AND id = :id""");
                for (Row row : rows) {
                    sequence++;
                    String subjectText = row.subject().length() > Subject.MAX_TEXT
                            ? row.subject().substring(0, Subject.MAX_TEXT) : row.subject();
                    AuditEntry entry = new AuditEntry(sequence, row.id(), row.at(), ActorKind.valueOf(row.kind()),
                            row.actor(), row.action(), new Subject(row.person(), row.device(), subjectText),
                            Outcome.valueOf(row.outcome()));
                    byte[] hash = ChainHash.of(organization, entry, previous);
                    updates.bind("seq", sequence)
                            .bind("prev", previous)
                            .bind("hash", hash)
                            .bind("subject", subjectText)
                            .bind("organization", organization)
                            .bind("id", row.id())
                            .add();
                    previous = hash;
                }
                if (!rows.isEmpty()) {
                    updates.execute();
                    moveHead(handle, organization, head, sequence, previous);
                }
                return rows.size();
            });
        }
        if (linked > 0) {
            LOG.info("Linked {} audit entries written without a place in the chain", linked);
        }
        return linked;
    }

    /** The head as read; {@code verified} when its MAC is the chain key's. */
    private record Head(long sequence, byte[] hash, boolean verified) {
    }

    private Head head(UUID organizationId, long sequence, byte[] hash, byte[] mac) {
        return new Head(sequence, hash, MessageDigest.isEqual(
                ChainHash.mac(macKey, HEAD, organizationId, sequence, hash), mac));
    }

    private void reportUnverified(UUID organizationId) {
        if (reportedHeads.add(organizationId)) {
            LOG.error("The head of organization {}'s audit chain does not verify with the server's key: it was"
                    + " changed in the database. The chain is appended to, but stays unverified until an operator"
                    + " has looked ('audit verify')", organizationId);
        }
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
                        SELECT last_seq, last_hash, mac FROM audit_chain_heads WHERE organization_id = :organization
                        FOR UPDATE""")
                .bind("organization", organizationId)
                .map((rs, ctx) -> head(organizationId, rs.getLong(1), rs.getBytes(2), rs.getBytes(3)))
                .one();
    }

    /**
     * Moves the head past what was appended. A head found not verifying keeps a MAC that does not verify: a fresh
     * MAC over a head someone else wrote would vouch for their rewrite of the chain, while refusing to append would
     * stop every use case of the organization, an outage any database writer could cause at will.
     */
    private void moveHead(Handle handle, UUID organizationId, Head from, long sequence, byte[] hash) {
        if (!from.verified()) {
            reportUnverified(organizationId);
        }
        handle.createUpdate("""
                        UPDATE audit_chain_heads SET last_seq = :seq, last_hash = :hash, mac = :mac
                        WHERE organization_id = :organization""")
                .bind("seq", sequence)
                .bind("hash", hash)
                .bind("mac", from.verified() ? ChainHash.mac(macKey, HEAD, organizationId, sequence, hash)
                        : UNVERIFIED_MAC)
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
}
