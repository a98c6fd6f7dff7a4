package com.xentracker.server.audit;

import com.xentracker.server.rollup.TenantSql;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Walks an organization's audit chain in sequence order and records every place it does not verify. One walk per
 * verification; not thread-safe.
 *
 * <p>Entries are streamed from PostgreSQL with a bounded fetch size (an organization can have millions), in the
 * caller's transaction, which stays READ COMMITTED: a snapshot transaction would fail at the end, when the verification
 * appends its own audit entry to a head that other use cases moved meanwhile. The reads are ordered so that what runs
 * concurrently (appends at the end, linking, retention at the start) cannot look like a break: checkpoints first, then
 * the head, then the entries up to the head, then the checkpoints again (see {@link #verify}).
 *
 * <p>Each entry is checked on its own (its hash recomputed from its fields and its previous hash) and against the one
 * before it (sequence numbers without gaps, its previous hash that entry's hash). A link is reported broken only
 * between two entries that each verify on their own: an edited or moved entry is reported once, as what it is, not
 * again as the broken links around it.
 */
final class ChainVerifier {

    /** Rows per round trip while streaming the chain. */
    private static final int FETCH_SIZE = 1000;
    /** How far from its place a reordered entry is looked for (a moved entry further away is reported as edited). */
    private static final int MOVED_DISTANCE = 32;
    private static final HexFormat HEX = HexFormat.of();

    /** A checkpoint as stored: the sequence number and hash of an entry, with the chain key's HMAC over them. */
    record Checkpoint(long sequence, byte[] hash, byte[] mac) {
    }

    /** The head as stored. */
    record Head(long sequence, byte[] hash, byte[] mac) {
    }

    /** One stored row, as read: any field may have been changed since the server wrote it. */
    record Row(long sequence, UUID id, Instant occurredAt, String actorKind, Optional<UUID> actorAccount,
            String action, Optional<UUID> person, Optional<UUID> device, String subject, String outcome,
            byte[] previous, byte[] hash) {
    }

    static final String ROW_COLUMNS = DatabaseAuditTrail.COLUMNS + ", prev_hash, hash";

    static final RowMapper<Row> ROW = (rs, ctx) -> new Row(rs.getLong("seq"), rs.getObject("id", UUID.class),
            rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("actor_kind"),
            Optional.ofNullable(rs.getObject("actor_account_id", UUID.class)), rs.getString("action"),
            Optional.ofNullable(rs.getObject("subject_person_id", UUID.class)),
            Optional.ofNullable(rs.getObject("subject_device_id", UUID.class)), rs.getString("subject"),
            rs.getString("outcome"), rs.getBytes("prev_hash"), rs.getBytes("hash"));

    /** The part of a chain retention is about to remove, as verified. */
    record Prefix(List<ChainBreak> breaks, long entries, Optional<Long> lastSequence, byte[] lastHash) {

        boolean intact() {
            return breaks.isEmpty();
        }
    }

    private final UUID organization;
    private final byte[] macKey;
    /** The checkpoints read before the entries, by sequence number. */
    private final NavigableMap<Long, Checkpoint> checkpoints;
    private final List<ChainBreak> breaks = new ArrayList<>();
    private long breakCount;
    private long entries;
    private Optional<Row> first = Optional.empty();
    private boolean firstIntact;
    private long lastSequence;
    private byte[] lastHash = ChainHash.GENESIS;
    private boolean lastIntact;

    private ChainVerifier(UUID organization, byte[] macKey, NavigableMap<Long, Checkpoint> checkpoints) {
        this.organization = organization;
        this.macKey = macKey;
        this.checkpoints = checkpoints;
    }

    /**
     * Verifies the whole chain of {@code organization} in {@code handle}'s transaction.
     *
     * <p>Order of the reads, each its own snapshot: (1) the checkpoints, (2) the head, (3) the entries up to the
     * head's sequence number, streamed, (4) the checkpoints again. Entries appended after (2) are left to the next
     * verification. Retention may remove the oldest entries between (1) and (3); the checkpoint it writes with them
     * is then in (4). Retention prunes a checkpoint only once a newer one exists and a day has passed since it was
     * written, so the checkpoint the entries of (3) start from is in (1) or (4) unless the verification takes a day.
     */
    static ChainVerification verify(Handle handle, UUID organization, byte[] macKey) {
        ChainVerifier walk = new ChainVerifier(organization, macKey, checkpoints(handle, organization, Long.MAX_VALUE));
        Optional<Head> head = head(handle, organization);
        long headSequence = head.map(Head::sequence).orElse(0L);
        walk.stream(handle, headSequence);
        NavigableMap<Long, Checkpoint> all = new TreeMap<>(checkpoints(handle, organization, headSequence));
        walk.checkpoints.forEach(all::putIfAbsent);
        walk.checkCheckpoints(all, headSequence);
        walk.checkStart(all, head);
        walk.checkHead(head);
        walk.checkUnchained(handle, headSequence);
        return new ChainVerification(organization, walk.entries, walk.first.map(Row::sequence),
                walk.entries == 0 ? Optional.empty() : Optional.of(walk.lastSequence), headSequence,
                HEX.formatHex(head.map(Head::hash).orElse(ChainHash.GENESIS)), walk.sortedBreaks(), walk.breakCount);
    }

    /**
     * Verifies the entries up to and including {@code through}, which retention is about to remove, from the
     * checkpoint (or the chain's start) they follow. Retention runs alone (its job's lock) and nothing else removes
     * entries, so one read of the checkpoints suffices.
     */
    static Prefix verifyPrefix(Handle handle, UUID organization, long through, byte[] macKey) {
        NavigableMap<Long, Checkpoint> checkpoints = checkpoints(handle, organization, through);
        ChainVerifier walk = new ChainVerifier(organization, macKey, checkpoints);
        walk.stream(handle, through);
        walk.checkCheckpoints(checkpoints, through);
        walk.checkStart(checkpoints, Optional.empty());
        if (walk.entries > 0 && walk.lastSequence < through) {
            walk.add(new ChainBreak(ChainBreak.Kind.MISSING, walk.lastSequence + 1, Optional.empty(),
                    "entries " + (walk.lastSequence + 1) + " to " + through + " are missing"));
        }
        return new Prefix(walk.sortedBreaks(), walk.entries,
                walk.entries == 0 ? Optional.empty() : Optional.of(walk.lastSequence), walk.lastHash.clone());
    }

    static NavigableMap<Long, Checkpoint> checkpoints(Handle handle, UUID organization, long atMost) {
        NavigableMap<Long, Checkpoint> checkpoints = new TreeMap<>();
        TenantSql.query(handle, organization, """
                        SELECT seq, hash, mac FROM audit_checkpoints
                        WHERE organization_id = :organization AND seq <= :most ORDER BY seq""")
                .bind("most", atMost)
                .map((rs, ctx) -> new Checkpoint(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)))
                .forEach(checkpoint -> checkpoints.put(checkpoint.sequence(), checkpoint));
        return checkpoints;
    }

    static Optional<Head> head(Handle handle, UUID organization) {
        return TenantSql.query(handle, organization,
                        "SELECT last_seq, last_hash, mac FROM audit_chain_heads WHERE organization_id = :organization")
                .map((rs, ctx) -> new Head(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)))
                .findOne();
    }

    private void stream(Handle handle, long through) {
        TenantSql.query(handle, organization, "SELECT " + ROW_COLUMNS + """
                         FROM audit_log WHERE organization_id = :organization AND seq IS NOT NULL AND seq <= :through
                        ORDER BY seq""")
                .bind("through", through)
                // a cursor: PostgreSQL sends FETCH_SIZE rows at a time (the transaction keeps it open)
                .setFetchSize(FETCH_SIZE)
                .map(ROW)
                .useStream(rows -> rows.forEach(this::accept));
    }

    private void accept(Row row) {
        entries++;
        boolean intact = checkItself(row);
        if (first.isEmpty()) {
            first = Optional.of(row);
            firstIntact = intact;
        } else if (row.sequence() > lastSequence + 1) {
            add(missing(lastSequence + 1, row.sequence() - 1));
        } else if (intact && lastIntact && !Arrays.equals(row.previous(), lastHash)) {
            add(new ChainBreak(ChainBreak.Kind.LINK_BROKEN, row.sequence(), Optional.of(row.id()),
                    "entry " + row.sequence() + " does not follow entry " + lastSequence
                            + ": an entry was inserted or removed there, or entry " + lastSequence
                            + " was rewritten with a recomputed hash"));
        }
        Checkpoint checkpoint = checkpoints.get(row.sequence());
        if (checkpoint != null && macValid(checkpoint) && !Arrays.equals(checkpoint.hash(), row.hash())) {
            Long before = checkpoints.lowerKey(row.sequence());
            add(new ChainBreak(ChainBreak.Kind.CHECKPOINT_MISMATCH, row.sequence(), Optional.of(row.id()),
                    "entry " + row.sequence() + " has another hash than its checkpoint recorded: entries up to it"
                            + (before == null ? "" : " (after the checkpoint at " + before + ")")
                            + " were rewritten and their hashes recomputed"));
        }
        lastSequence = row.sequence();
        lastHash = row.hash() == null ? new byte[0] : row.hash();
        lastIntact = intact;
    }

    /** Recomputes the row's hash from its fields; reports it as edited, or moved when it verifies elsewhere. */
    private boolean checkItself(Row row) {
        Optional<AuditEntry> entry = entry(row, row.sequence());
        if (entry.isPresent() && row.previous() != null && row.previous().length == ChainHash.GENESIS.length
                && Arrays.equals(ChainHash.of(organization, entry.get(), row.previous()), row.hash())) {
            return true;
        }
        Optional<Long> writtenAt = breakCount < ChainVerification.MAX_LISTED_BREAKS ? writtenAt(row)
                : Optional.empty();
        if (writtenAt.isPresent()) {
            add(new ChainBreak(ChainBreak.Kind.MOVED, row.sequence(), Optional.of(row.id()),
                    "entry " + row.id() + " was written as number " + writtenAt.get() + " and now sits at "
                            + row.sequence()));
        } else {
            add(new ChainBreak(ChainBreak.Kind.EDITED, row.sequence(), Optional.of(row.id()),
                    "entry " + row.sequence() + " is not as it was written: its hash does not match its fields"));
        }
        return false;
    }

    /** The sequence number nearby under which the row's unchanged fields verify, if any. */
    private Optional<Long> writtenAt(Row row) {
        if (row.previous() == null || row.previous().length != ChainHash.GENESIS.length) {
            return Optional.empty();
        }
        for (int distance = 1; distance <= MOVED_DISTANCE; distance++) {
            for (long candidate : new long[] {row.sequence() - distance, row.sequence() + distance}) {
                if (candidate < 1) {
                    continue;
                }
                Optional<AuditEntry> moved = entry(row, candidate);
                if (moved.isPresent() && Arrays.equals(ChainHash.of(organization, moved.get(), row.previous()),
                        row.hash())) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The row as an entry at {@code sequence}; empty when a field is one the server never writes. */
    private static Optional<AuditEntry> entry(Row row, long sequence) {
        try {
            return Optional.of(new AuditEntry(sequence, row.id(), row.occurredAt(), ActorKind.valueOf(row.actorKind()),
                    row.actorAccount(), row.action(), new Subject(row.person(), row.device(), row.subject()),
                    Outcome.valueOf(row.outcome())));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty(); // e.g. a subject longer than the server writes: edited
        }
    }

    /** Every checkpoint's MAC, and none beyond the head (a chain rolled back behind its own checkpoint). */
    private void checkCheckpoints(NavigableMap<Long, Checkpoint> all, long headSequence) {
        for (Checkpoint checkpoint : all.values()) {
            if (!macValid(checkpoint)) {
                add(new ChainBreak(ChainBreak.Kind.CHECKPOINT_INVALID, checkpoint.sequence(), Optional.empty(),
                        "the checkpoint at " + checkpoint.sequence() + " does not verify with the server's key"));
            }
        }
        if (!checkpoints.tailMap(headSequence, false).isEmpty()) {
            addAlways(new ChainBreak(ChainBreak.Kind.HEAD_MISMATCH, headSequence, Optional.empty(),
                    "the head says the chain ends at " + headSequence + " but a checkpoint was made at "
                            + checkpoints.lastKey() + ": the chain was rolled back, or its head replaced"));
        }
    }

    /** The oldest entry follows the chain's start: nothing (entry 1) or the checkpoint retention left. */
    private void checkStart(NavigableMap<Long, Checkpoint> all, Optional<Head> head) {
        if (first.isEmpty()) {
            head.filter(h -> h.sequence() > 0).ifPresent(h -> {
                // every entry was removed by retention: its checkpoint is the head
                Optional<Checkpoint> last = Optional.ofNullable(all.floorEntry(h.sequence())).map(Map.Entry::getValue)
                        .filter(this::macValid);
                if (last.isEmpty()) {
                    addAlways(new ChainBreak(ChainBreak.Kind.CHECKPOINT_MISSING, 1, Optional.empty(),
                            "there are no entries, and no checkpoint accounts for entries 1 to " + h.sequence()));
                } else if (last.get().sequence() < h.sequence()) {
                    addAlways(missing(last.get().sequence() + 1, h.sequence()));
                } else if (!Arrays.equals(last.get().hash(), h.hash())) {
                    addAlways(new ChainBreak(ChainBreak.Kind.HEAD_MISMATCH, h.sequence(), Optional.empty(),
                            "the head and the checkpoint at " + h.sequence() + " record different hashes"));
                }
            });
            return;
        }
        Row start = first.get();
        if (start.sequence() == 1) {
            if (firstIntact && !Arrays.equals(start.previous(), ChainHash.GENESIS)) {
                addAlways(new ChainBreak(ChainBreak.Kind.LINK_BROKEN, 1, Optional.of(start.id()),
                        "entry 1 does not start the chain"));
            }
            return;
        }
        Optional<Checkpoint> anchor = all.headMap(start.sequence(), false).descendingMap().values().stream()
                .filter(this::macValid).findFirst();
        if (anchor.isEmpty()) {
            addAlways(new ChainBreak(ChainBreak.Kind.CHECKPOINT_MISSING, 1, Optional.empty(),
                    "the chain starts at " + start.sequence() + " but no checkpoint accounts for entries 1 to "
                            + (start.sequence() - 1) + ": they were deleted, or the checkpoint retention left was"));
        } else if (anchor.get().sequence() < start.sequence() - 1) {
            addAlways(missing(anchor.get().sequence() + 1, start.sequence() - 1));
        } else if (firstIntact && !Arrays.equals(start.previous(), anchor.get().hash())) {
            addAlways(new ChainBreak(ChainBreak.Kind.LINK_BROKEN, start.sequence(), Optional.of(start.id()),
                    "entry " + start.sequence() + " does not follow the checkpoint at " + anchor.get().sequence()));
        }
    }

    /** The head's MAC, and that it names the newest entry and its hash. */
    private void checkHead(Optional<Head> head) {
        if (head.isEmpty()) {
            if (entries > 0) {
                addAlways(new ChainBreak(ChainBreak.Kind.HEAD_MISMATCH, lastSequence, Optional.empty(),
                        "the chain has entries but no head"));
            }
            return;
        }
        Head h = head.get();
        if (!MessageDigest.isEqual(ChainHash.mac(macKey, AuditChain.HEAD, organization, h.sequence(), h.hash()),
                h.mac())) {
            addAlways(new ChainBreak(ChainBreak.Kind.HEAD_MISMATCH, h.sequence(), Optional.empty(),
                    "the head (at " + h.sequence() + ") does not verify with the server's key: it was written"
                            + " without it"));
        }
        if (entries == 0) {
            return;
        }
        if (lastSequence < h.sequence()) {
            addAlways(new ChainBreak(ChainBreak.Kind.HEAD_MISMATCH, lastSequence + 1, Optional.empty(),
                    "the head says the chain ends at " + h.sequence() + ": entries " + (lastSequence + 1) + " to "
                            + h.sequence() + " are missing (the newest entries were deleted)"));
        } else if (!Arrays.equals(lastHash, h.hash())) {
            addAlways(new ChainBreak(ChainBreak.Kind.HEAD_MISMATCH, h.sequence(), Optional.empty(),
                    "entry " + h.sequence() + " has another hash than the head recorded: entries were rewritten"
                            + " and their hashes recomputed"));
        }
    }

    private void checkUnchained(Handle handle, long headSequence) {
        long unchained = TenantSql.query(handle, organization,
                        "SELECT count(*) FROM audit_log WHERE organization_id = :organization AND seq IS NULL")
                .mapTo(Long.class).one();
        if (unchained > 0) {
            Optional<UUID> oldest = TenantSql.query(handle, organization, """
                            SELECT id FROM audit_log WHERE organization_id = :organization AND seq IS NULL
                            ORDER BY occurred_at, id LIMIT 1""")
                    .mapTo(UUID.class).findOne();
            addAlways(new ChainBreak(ChainBreak.Kind.UNCHAINED, headSequence + 1, oldest,
                    unchained + " entries have no place in the chain yet (written by a node of an older version?);"
                            + " the server links them within minutes"));
        }
    }

    private boolean macValid(Checkpoint checkpoint) {
        return checkpoint.hash() != null && MessageDigest.isEqual(ChainHash.mac(macKey, AuditChain.CHECKPOINT,
                organization, checkpoint.sequence(), checkpoint.hash()), checkpoint.mac());
    }

    private static ChainBreak missing(long from, long through) {
        return new ChainBreak(ChainBreak.Kind.MISSING, from, Optional.empty(), from == through
                ? "entry " + from + " is missing" : "entries " + from + " to " + through + " are missing");
    }

    /** A break found while streaming: counted always, listed up to the limit. */
    private void add(ChainBreak found) {
        breakCount++;
        if (breaks.size() < ChainVerification.MAX_LISTED_BREAKS) {
            breaks.add(found);
        }
    }

    /** A break about the chain as a whole (its start, its head): listed even past the limit. */
    private void addAlways(ChainBreak found) {
        breakCount++;
        breaks.add(found);
    }

    private List<ChainBreak> sortedBreaks() {
        return breaks.stream().sorted(Comparator.comparingLong(ChainBreak::sequence)).toList();
    }
}
