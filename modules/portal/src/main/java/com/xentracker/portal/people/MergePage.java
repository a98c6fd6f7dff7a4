package com.xentracker.portal.people;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;

/** Model of {@code person-merge.jte}: whom to merge a person into, and what merging does. */
public record MergePage(Frame frame, String id, String name, String login, List<PeoplePage.Choice> choices,
        String csrfToken) {

    public MergePage {
        Objects.requireNonNull(frame, "frame");
        choices = List.copyOf(choices);
        Objects.requireNonNull(csrfToken, "csrfToken");
    }
}
