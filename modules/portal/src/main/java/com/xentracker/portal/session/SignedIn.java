package com.xentracker.portal.session;

import com.xentracker.portal.page.Frame;
import com.xentracker.portal.page.Section;
import com.xentracker.server.access.Actor;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/** The actor behind a request's session cookie, and the CSRF token its forms must carry. */
public record SignedIn(Actor actor, String csrfToken) {

    public SignedIn {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(csrfToken, "csrfToken");
    }

    /**
     * The frame of a page in {@code section} for this account: its email in the header, the sign-out form's CSRF
     * token, the sections its role reaches and the section marked in the navigation.
     */
    public Frame frame(String title, Section section) {
        return Frame.of(title, section, viewer());
    }

    /** The frame of a page outside the sections (an error page). */
    public Frame frame(String title) {
        return Frame.of(title, viewer());
    }

    /** The signed-in account as the layout shows it. */
    public Frame.Viewer viewer() {
        return new Frame.Viewer(actor.name(), csrfToken, Arrays.stream(Section.values())
                .filter(section -> actor.may(section.action())).collect(Collectors.toSet()));
    }
}
