package com.xentracker.server.audit;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One place where an organization's audit chain does not verify.
 *
 * @param sequence where it is: the entry's sequence number, or the first of a range ({@code detail} names the rest)
 * @param entry    the entry concerned, when there is one (a missing entry has none)
 * @param detail   what was found, in numbers and ids only
 */
public record ChainBreak(Kind kind, long sequence, Optional<UUID> entry, String detail) {

    /** What kind of change a break shows. */
    public enum Kind {
        /** The entry's fields (or its stored hashes) are not those it was written with. */
        EDITED,
        /** The entry is as written, but it now sits at another sequence number: entries were reordered. */
        MOVED,
        /** Entries are missing from the middle of the chain: deleted. */
        MISSING,
        /**
         * The entry is as written but does not follow the entry before it (its previous hash is not that entry's
         * hash): an entry was inserted or removed there, or the one before was rewritten with a recomputed hash.
         */
        LINK_BROKEN,
        /**
         * The chain starts after entry 1 but no checkpoint accounts for the entries before it: they were deleted
         * outside retention, or retention's checkpoint was.
         */
        CHECKPOINT_MISSING,
        /** A checkpoint's MAC does not verify: it was written or changed without the server's key. */
        CHECKPOINT_INVALID,
        /**
         * The entry at a checkpoint has another hash than the checkpoint recorded: entries up to it were rewritten
         * and their hashes recomputed (by someone without the server's key) after the checkpoint was made.
         */
        CHECKPOINT_MISMATCH,
        /**
         * The chain's head does not match its newest entry, or its MAC does not verify: the newest entries were
         * deleted, the chain was rewritten with recomputed hashes, or the head was forged.
         */
        HEAD_MISMATCH,
        /**
         * Entries without a place in the chain yet (written by a node of an older version); the server links them
         * within minutes. Until then nothing protects them.
         */
        UNCHAINED
    }

    public ChainBreak {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(detail, "detail");
    }
}
