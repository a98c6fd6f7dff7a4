package com.xentracker.server.people;

import com.xentracker.server.access.Actor;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The people behind an organization's devices and which device accounts are theirs. Every call is checked against
 * the acting account's role and audit-logged by the server; an id of another organization behaves as unknown.
 */
public interface People {

    /** The people and device accounts the actor may see. */
    PeopleDirectory directory(Actor actor);

    /**
     * Creates a person (e.g. to map several devices' accounts to).
     *
     * @throws com.xentracker.server.InvalidRequestException for a name outside 1 to 200 characters
     */
    Person create(Actor actor, String displayName);

    /**
     * Maps an OS account on a device to a person. The device's stored spans and rollups of that account move to the
     * person too, so reports show the corrected history. The person ingest made for the account's login, left with
     * nothing by this, is merged into the person (it does not linger as an empty name).
     *
     * @throws com.xentracker.server.NoSuchDeviceException when the organization has no such device
     * @throws com.xentracker.server.NotFoundException when the device has no such account or the organization no such
     *         person
     */
    void assign(Actor actor, UUID deviceId, String osUser, UUID personId);

    /**
     * Creates a person named {@code displayName} and maps the device account to it, in one step (nothing is created
     * for an account that turns out to be unknown).
     */
    Person assignToNewPerson(Actor actor, UUID deviceId, String osUser, String displayName);

    /**
     * Deletes a person and everything recorded of them: spans, rollups and device mappings. A device account that
     * reports again later gets a new person.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such person
     */
    void delete(Actor actor, UUID personId);

    /**
     * The people the actor may see that match {@code filter} (name or login containing its text, ignoring case;
     * members of its group), each with their groups, device accounts and last active day; the groups the actor may
     * filter by; and the whole directory. One audit entry, naming the group filtered by but never the text searched
     * for (it may be a name).
     *
     * @throws com.xentracker.server.NotFoundException when the filter names a group the organization does not have or
     *         a viewer was not given with individual detail
     */
    PeopleListing find(Actor actor, PeopleFilter filter);

    /**
     * One person's page: the timeline of {@code day} and the totals, top applications and top sites of the period
     * {@code first} to {@code last} (both included; days of the organization's time zone), their devices and groups.
     * Audit-logged with the person as the subject.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such person, or a viewer may not
     *         see them individually
     * @throws com.xentracker.server.InvalidRequestException when the period ends before it starts or is over 366
     *         days
     */
    PersonActivity activity(Actor actor, UUID personId, LocalDate day, LocalDate first, LocalDate last);

    /**
     * {@link #activity} of today in the organization's zone (by the server's clock) and the {@code days} days
     * ending today: what a person's page shows when no day is chosen.
     *
     * @throws com.xentracker.server.InvalidRequestException when {@code days} is not 1 to 366
     */
    PersonActivity activityUntilToday(Actor actor, UUID personId, int days);

    /**
     * What {@link #activity} shows, for a self-service account about its own person: the person is the one the
     * account is linked to, read in the use case's transaction; no request can name another. Audit-logged with that
     * person as the subject.
     *
     * @throws com.xentracker.server.NotPermittedException for every role but {@link
     *         com.xentracker.server.access.Role#SELF}, and while the organization has self-service turned off
     * @throws com.xentracker.server.InvalidRequestException as {@link #activity}
     */
    PersonActivity ownActivity(Actor actor, LocalDate day, LocalDate first, LocalDate last);

    /** {@link #ownActivity} of today and the {@code days} days ending today, as {@link #activityUntilToday}. */
    PersonActivity ownActivityUntilToday(Actor actor, int days);

    /**
     * Renames a person.
     *
     * @throws com.xentracker.server.InvalidRequestException for a name outside 1 to 200 characters
     * @throws com.xentracker.server.NotFoundException when the organization has no such person
     */
    void rename(Actor actor, UUID personId, String displayName);

    /**
     * Merges person {@code personId} into {@code intoPersonId}: their device accounts, spans, rollups and group
     * memberships move to it and {@code personId} is deleted; the one left keeps its name and login. For one human
     * behind two people (the same employee's logins on two machines).
     *
     * @throws com.xentracker.server.InvalidRequestException when both are the same person
     * @throws com.xentracker.server.NotFoundException when the organization has no such person (either of them)
     */
    void merge(Actor actor, UUID personId, UUID intoPersonId);
}
