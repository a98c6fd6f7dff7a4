package com.xentracker.server.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of audit entries, newest first.
 *
 * @param next the {@link AuditQuery#before(long)} of the next (older) page; empty on the last page
 */
public record AuditPage(List<AuditEntry> entries, Optional<Long> next) {

    public AuditPage {
        entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
        Objects.requireNonNull(next, "next");
    }
}
