package com.xentracker.portal.audit;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;

/**
 * Model of {@code audit-verify.jte}.
 *
 * @param range        the entries checked, e.g. "1 to 4,312"
 * @param unlisted     breaks found beyond those listed
 */
public record VerificationPage(Frame frame, boolean intact, long breakCount, long entries, String range,
        long headSequence, String headHash, List<BreakRow> breaks, long unlisted) {

    public VerificationPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(headHash, "headHash");
        breaks = List.copyOf(breaks);
    }

    /** One break: where, what kind (words and the server's name), the entry's id if any, what was found. */
    public record BreakRow(long sequence, String kind, String kindCode, String entry, String detail) {
    }
}
