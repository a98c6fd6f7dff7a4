package com.xentracker.portal.audit;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code audit.jte}.
 *
 * @param filters     the filter form as submitted (empty strings where nothing was chosen)
 * @param accounts    the accounts to filter by
 * @param actions     the action names to filter by
 * @param older       the link to the next, older page, when there is one
 * @param newest      the link back to the newest entries, on a later page
 * @param verifyHref  the chain verification's page, when the account may verify
 */
public record AuditLogPage(Frame frame, Filters filters, List<Choice> accounts, List<Choice> actions, List<Row> rows,
        Optional<String> older, Optional<String> newest, Optional<String> verifyHref) {

    public AuditLogPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(filters, "filters");
        accounts = List.copyOf(accounts);
        actions = List.copyOf(actions);
        rows = List.copyOf(rows);
        Objects.requireNonNull(older, "older");
        Objects.requireNonNull(newest, "newest");
        Objects.requireNonNull(verifyHref, "verifyHref");
    }

    /** The filter form's values. */
    public record Filters(String actor, String action, String person, String from, String to) {
    }

    /** An option of a filter's list; {@code selected} when it is the current filter. */
    public record Choice(String value, String label, boolean selected) {
    }

    /**
     * One entry.
     *
     * @param person the subject person's id, empty when none
     * @param device the subject device's id, empty when none
     * @param subject what else the entry names (ids, counts, periods)
     */
    public record Row(long sequence, String time, String datetime, String actor, String action, String person,
            String device, String subject, String outcome, String outcomeClass) {
    }
}
