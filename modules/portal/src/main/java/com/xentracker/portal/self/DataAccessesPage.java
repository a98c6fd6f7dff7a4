package com.xentracker.portal.self;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code me-accesses.jte}: who viewed, exported or changed the signed-in person's own data, newest first.
 *
 * @param older the link to the next, older page; empty on the last
 */
public record DataAccessesPage(Frame frame, List<Row> rows, Optional<String> older) {

    public DataAccessesPage {
        Objects.requireNonNull(frame, "frame");
        rows = List.copyOf(rows);
        Objects.requireNonNull(older, "older");
    }

    /**
     * One entry of the audit log about the person's data.
     *
     * @param what    in words ("Looked at your page"), then the action's audit name
     * @param details the entry's text: ids, a period, a dataset
     */
    public record Row(String time, String datetime, String who, String what, String action, String details,
            String outcome, String outcomeClass) {
    }
}
