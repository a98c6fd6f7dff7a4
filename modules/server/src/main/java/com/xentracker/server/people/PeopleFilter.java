package com.xentracker.server.people;

import com.xentracker.server.InvalidRequestException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Which people a listing shows: those whose name or login contains {@code text} (ignoring case; empty: everyone),
 * and, if given, only the members of one group.
 */
public record PeopleFilter(String text, Optional<UUID> group) {

    /** Longer than any name or login can be. */
    public static final int MAX_TEXT = 200;

    private static final PeopleFilter EVERYONE = new PeopleFilter("", Optional.empty());

    /** @throws InvalidRequestException for a text over 200 characters */
    public PeopleFilter {
        text = Objects.requireNonNull(text, "text").strip();
        Objects.requireNonNull(group, "group");
        if (text.length() > MAX_TEXT) {
            throw new InvalidRequestException("a search has at most " + MAX_TEXT + " characters");
        }
    }

    /** Everyone the actor may see. */
    public static PeopleFilter everyone() {
        return EVERYONE;
    }

    public static PeopleFilter of(String text, Optional<UUID> group) {
        return new PeopleFilter(text, group);
    }

    public PeopleFilter inGroup(UUID groupId) {
        return new PeopleFilter(text, Optional.of(groupId));
    }

    /** Whether the filter narrows anything. */
    public boolean narrows() {
        return !text.isEmpty() || group.isPresent();
    }
}
