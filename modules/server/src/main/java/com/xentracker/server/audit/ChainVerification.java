package com.xentracker.server.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The result of verifying one organization's audit chain: every entry's hash recomputed from its fields, each link
 * to the entry before, the checkpoint the chain starts from after retention, and the head with its MAC.
 *
 * @param entries       how many entries were checked
 * @param firstSequence the oldest entry's sequence number (entries before it were removed by retention); empty when
 *                      there are none
 * @param lastSequence  the newest entry's sequence number, empty when there are none
 * @param headSequence  the sequence number the chain's head records (0 for a chain never written to)
 * @param headHash      the hash the head records, hex; with {@code headSequence} what to note down elsewhere to
 *                      recognise a later rollback of the whole chain (which the chain alone cannot show)
 * @param breaks        where it does not verify, by sequence number; at most {@value #MAX_LISTED_BREAKS}
 * @param breakCount    how many breaks were found in all (more than listed when the chain is broken all over)
 */
public record ChainVerification(UUID organizationId, long entries, Optional<Long> firstSequence,
        Optional<Long> lastSequence, long headSequence, String headHash, List<ChainBreak> breaks, long breakCount) {

    /** At most this many breaks are listed: a chain broken all over says so in its first ones. */
    public static final int MAX_LISTED_BREAKS = 1000;

    public ChainVerification {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(firstSequence, "firstSequence");
        Objects.requireNonNull(lastSequence, "lastSequence");
        Objects.requireNonNull(headHash, "headHash");
        breaks = List.copyOf(breaks);
        if (breakCount < breaks.size()) {
            throw new IllegalArgumentException("fewer breaks counted than listed");
        }
    }

    /** Whether the chain verified without a single break. */
    public boolean intact() {
        return breakCount == 0;
    }
}
