package com.xentracker.portal.page;

import java.util.Objects;
import java.util.Optional;

/**
 * What the layout template needs around a page's content: its title and, when someone is signed in, who it is and
 * the CSRF token for the sign-out form.
 */
public record Frame(String title, Optional<Viewer> viewer) {

    public Frame {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(viewer, "viewer");
    }

    /** A page shown to someone not signed in. */
    public static Frame anonymous(String title) {
        return new Frame(title, Optional.empty());
    }

    /** A page shown to a signed-in account. */
    public static Frame of(String title, Viewer viewer) {
        return new Frame(title, Optional.of(viewer));
    }

    /** The signed-in account as the layout shows it. */
    public record Viewer(String email, String csrfToken) {

        public Viewer {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(csrfToken, "csrfToken");
        }
    }
}
