package com.xentracker.portal.page;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the layout template needs around a page's content: its title and, when someone is signed in, who it is, the
 * CSRF token for the sign-out form, the sections to offer and the section the page belongs to.
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

    /** A page of no section (an error, the account's own page) shown to a signed-in account. */
    public static Frame of(String title, Viewer viewer) {
        return new Frame(title, Optional.of(viewer), Optional.empty());
    }

    /** The sections to offer in the navigation: those the signed-in account's role reaches, none to anyone else. */
    public List<Section> sections() {
        return viewer.map(v -> Arrays.stream(Section.values()).filter(v.sections()::contains).toList())
                .orElse(List.of());
    }

    /** Whether {@code candidate} is the section this page belongs to. */
    public boolean isCurrent(Section candidate) {
        return section.filter(candidate::equals).isPresent();
    }

    /** The signed-in account as the layout shows it, with the sections its role reaches. */
    public record Viewer(String email, String csrfToken, Set<Section> sections) {

        public Viewer {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(csrfToken, "csrfToken");
            sections = Set.copyOf(sections);
        }
    }
}
