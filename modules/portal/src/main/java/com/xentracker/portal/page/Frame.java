package com.xentracker.portal.page;

import java.util.Objects;
import java.util.Optional;

/**
 * What the layout template needs around a page's content: its title and, when someone is signed in, who it is, the
 * CSRF token for the sign-out form and the section of the portal the page belongs to (marked in the navigation).
 */
public record Frame(String title, Optional<Viewer> viewer, Optional<Section> section) {

    public Frame {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(viewer, "viewer");
        Objects.requireNonNull(section, "section");
    }

    /** A page shown to someone not signed in. */
    public static Frame anonymous(String title) {
        return new Frame(title, Optional.empty(), Optional.empty());
    }

    /** A page of {@code section} shown to a signed-in account. */
    public static Frame of(String title, Section section, Viewer viewer) {
        return new Frame(title, Optional.of(viewer), Optional.of(section));
    }

    /** The sections to offer in the navigation: all of them to a signed-in account, none to anyone else. */
    public Section[] sections() {
        return viewer.isPresent() ? Section.values() : new Section[0];
    }

    /** Whether {@code candidate} is the section this page belongs to. */
    public boolean isCurrent(Section candidate) {
        return section.filter(candidate::equals).isPresent();
    }

    /** The signed-in account as the layout shows it. */
    public record Viewer(String email, String csrfToken) {

        public Viewer {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(csrfToken, "csrfToken");
        }
    }
}
