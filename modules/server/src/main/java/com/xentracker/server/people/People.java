package com.xentracker.server.people;

import com.xentracker.server.access.Actor;
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
     * person too, so reports show the corrected history.
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
}
