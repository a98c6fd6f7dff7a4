package com.xentracker.portal.groups;

import com.xentracker.portal.page.Frame;
import java.util.Objects;

/**
 * Model of {@code group-delete.jte}: what deleting a group does, and the form that does it.
 *
 * @param grants    how many accounts were given the group, when the signed-in account may see that (-1 otherwise)
 * @param canDelete whether the form is shown (the server decides on the post)
 */
public record DeleteGroupPage(Frame frame, String groupId, String name, int size, int grants, boolean canDelete,
        String csrfToken) {

    public DeleteGroupPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(csrfToken, "csrfToken");
    }

    /** What happens to the group's people. */
    public String members() {
        String who = switch (size) {
            case 0 -> "It has no members.";
            case 1 -> "Its member stays in the organization, with all their data;";
            default -> "Its " + size + " members stay in the organization, with all their data;";
        };
        return size == 0 ? who : who + " only the membership is deleted.";
    }

    /** What happens to the viewer accounts given it. */
    public String viewers() {
        return switch (grants) {
            case -1 -> "Viewer accounts given this group no longer see its usage.";
            case 0 -> "No viewer account was given this group.";
            case 1 -> "The viewer account given this group no longer sees its usage.";
            default -> "The " + grants + " viewer accounts given this group no longer see its usage.";
        };
    }
}
