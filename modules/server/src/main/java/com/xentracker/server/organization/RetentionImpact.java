package com.xentracker.server.organization;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * What changing the retention from {@code current} to {@code proposed} would delete at the retention job's next run
 * (within the hour), counted now: everything older than the proposed limits that the current ones still keep.
 *
 * @param spansBefore      spans that started before this are deleted
 * @param spans            how many spans that is, and when the oldest of them started
 * @param rollupsBefore    daily rollups of days before this (the first of a month) are deleted
 * @param rollupDays       how many days with rollups that is
 * @param auditBefore      audit entries older than this are deleted (behind a checkpoint, so the rest still verifies)
 * @param auditEntries     how many entries that is
 */
public record RetentionImpact(RetentionSettings current, RetentionSettings proposed, Instant spansBefore,
        long spans, Optional<Instant> oldestSpan, LocalDate rollupsBefore, long rollupDays,
        Optional<LocalDate> oldestRollupDay, Instant auditBefore, long auditEntries, Optional<Instant> oldestAudit) {

    public RetentionImpact {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(proposed, "proposed");
        Objects.requireNonNull(spansBefore, "spansBefore");
        Objects.requireNonNull(oldestSpan, "oldestSpan");
        Objects.requireNonNull(rollupsBefore, "rollupsBefore");
        Objects.requireNonNull(oldestRollupDay, "oldestRollupDay");
        Objects.requireNonNull(auditBefore, "auditBefore");
        Objects.requireNonNull(oldestAudit, "oldestAudit");
    }

    /** Whether the change deletes anything that exists now. */
    public boolean deletesData() {
        return spans > 0 || rollupDays > 0 || auditEntries > 0;
    }
}
