package com.xentracker.server.people;

import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import java.util.List;
import java.util.UUID;

/**
 * Groups of people (teams, departments; a person may be in several), managed by owners and administrators, and the
 * groups each viewer account is given. A viewer sees usage only of the people in its groups, and individuals only in
 * the groups it was given with individual detail. Every call is checked against the acting account's role and
 * audit-logged by the server (ids only); an id of another organization behaves as unknown.
 *
 * <p>A grant belongs to an account, not to a role: it takes effect only while the account's role is
 * {@link Role#VIEWER}. An account whose role changes keeps its grants (owners, administrators and auditors see the
 * whole organization anyway); should it become a viewer again, they apply again. Owners see such dormant grants in
 * {@link #list} ({@link ViewerGrant#inEffect()}) and can revoke them.
 */
public interface Groups {

    /**
     * The groups the actor may see, by name: all of the organization's, or a viewer's own. Each with its size; with
     * its members where the actor may see individuals (owners, administrators, auditors; a viewer only in the groups
     * granted with individual detail); with its viewer grants where the actor may see accounts (owners, auditors).
     */
    List<VisibleGroup> list(Actor actor);

    /**
     * Creates an empty group.
     *
     * @throws com.xentracker.server.InvalidRequestException for a name outside 1 to 100 characters
     * @throws com.xentracker.server.ConflictException when the organization has a group of that name (in any case)
     */
    Group create(Actor actor, String name);

    /**
     * Renames a group.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such group
     * @throws com.xentracker.server.ConflictException when another group has that name (in any case)
     */
    void rename(Actor actor, UUID groupId, String name);

    /**
     * Deletes a group: its memberships and its viewer grants go with it; the people and their data stay.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such group
     */
    void delete(Actor actor, UUID groupId);

    /**
     * Makes a person a member of a group; a member already changes nothing. Membership counts for the person's whole
     * history: a viewer of the group sees the person's usage of every day, also of days before they joined.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such group or person
     */
    void addMember(Actor actor, UUID groupId, UUID personId);

    /**
     * Takes a person out of a group; someone not a member changes nothing.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such group or person
     */
    void removeMember(Actor actor, UUID groupId, UUID personId);

    /**
     * Gives a viewer account a group: aggregates of its people, and with {@code individualDetail} the people
     * themselves and their device accounts. Granting again replaces the detail setting.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such group or account
     * @throws com.xentracker.server.ConflictException when the account's role is not viewer (other roles see the whole
     *         organization; a grant would say nothing)
     */
    void grantViewer(Actor actor, UUID groupId, UUID accountId, boolean individualDetail);

    /**
     * Takes a group away from an account; an account without that grant changes nothing.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such group or account
     */
    void revokeViewer(Actor actor, UUID groupId, UUID accountId);
}
