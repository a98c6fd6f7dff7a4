package com.xentracker.server.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit log about a person's data, as the person themselves sees it on their own view: when, who
 * (a role and an e-mail address, as their access package names them), what, and how it ended.
 *
 * @param sequence the entry's place in the organization's chain (for paging: older entries have smaller ones)
 * @param by       who acted: "administrator alice@example.org", "the host operator", "a deleted account", "the
 *                 server" ...
 * @param action   the action's audit name, e.g. {@code view-person}, {@code export-access-package}
 * @param subject  the entry's text (ids, a period, a dataset): never names or addresses
 */
public record DataAccess(long sequence, Instant at, String by, String action, String subject, Outcome outcome) {

    public DataAccess {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(outcome, "outcome");
    }
}
