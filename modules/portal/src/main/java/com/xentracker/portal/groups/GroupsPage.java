package com.xentracker.portal.groups;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;

/**
 * Model of {@code groups.jte}.
 *
 * @param forms     which forms to show (the server decides on every post)
 * @param csrfToken the token every form posts
 */
public record GroupsPage(Frame frame, Forms forms, List<GroupRow> groups, String csrfToken) {

    public GroupsPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(forms, "forms");
        Objects.requireNonNull(csrfToken, "csrfToken");
        groups = List.copyOf(groups);
    }

    /** The forms the signed-in account's role reaches. */
    public record Forms(boolean create, boolean rename, boolean delete, boolean addMember, boolean removeMember,
            boolean grant, boolean revoke) {
    }

    /**
     * A group.
     *
     * @param membersShown whether the account may see who is in it (otherwise only its size)
     * @param candidates   the organization's people not in it yet, for the add form
     * @param grantsShown  whether the account may see which accounts were given it
     * @param grantable    the viewer accounts not given it yet, for the grant form
     * @param smallGroup   whether its totals come close to one person's usage (one or two members)
     */
    public record GroupRow(String id, String name, int size, boolean membersShown, List<Choice> members,
            List<Choice> candidates, boolean grantsShown, List<GrantRow> grants, List<Choice> grantable,
            boolean smallGroup) {

        public GroupRow {
            members = List.copyOf(members);
            candidates = List.copyOf(candidates);
            grants = List.copyOf(grants);
            grantable = List.copyOf(grantable);
        }

        /** "1 person", "3 people". */
        public String sizeText() {
            return size == 1 ? "1 person" : size + " people";
        }
    }

    /**
     * An account given a group.
     *
     * @param inEffect whether it limits what the account sees now (it is a viewer)
     * @param role     the account's role in words, for a grant not in effect
     */
    public record GrantRow(String accountId, String email, boolean individualDetail, boolean inEffect, String role) {

        /** What the account sees of the group. */
        public String sees() {
            return individualDetail ? "Totals and individuals" : "Totals only";
        }
    }

    /** Something to pick in a form (a person, an account), or a member in a list. */
    public record Choice(String id, String label) {
    }
}
