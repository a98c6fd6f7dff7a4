package com.xentracker.portal.reports;

import com.xentracker.portal.page.Frame;
import java.util.List;

/**
 * Model of {@code report-users.jte}: who used one application, site or category.
 *
 * @param backHref the report the question came from
 */
public record UsersPage(Frame frame, String heading, Filters filters, String what, String backHref,
        List<Person> people, String total, int limit) {

    public UsersPage {
        people = List.copyOf(people);
    }

    /** One person's use, linking to their applications in the same period. */
    public record Person(String name, String active, long activeSeconds, String share, long devices, String href) {
    }
}
