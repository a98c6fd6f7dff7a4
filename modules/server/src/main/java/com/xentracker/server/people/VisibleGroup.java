package com.xentracker.server.people;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A group as the acting account may see it.
 *
 * @param size    how many people are in it
 * @param members by name; empty when the actor may see only the group's size (a viewer without individual detail
 *                on it)
 * @param grants  the accounts given the group, by e-mail address; empty when the actor may not see accounts
 *                (administrators, viewers)
 */
public record VisibleGroup(Group group, int size, Optional<List<GroupMember>> members,
        Optional<List<ViewerGrant>> grants) {

    public VisibleGroup {
        Objects.requireNonNull(group, "group");
        members = Objects.requireNonNull(members, "members").map(List::copyOf);
        grants = Objects.requireNonNull(grants, "grants").map(List::copyOf);
        if (size < 0 || members.filter(list -> list.size() != size).isPresent()) {
            throw new IllegalArgumentException("a group's size is the number of its members");
        }
    }
}
