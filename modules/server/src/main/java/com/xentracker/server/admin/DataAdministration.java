package com.xentracker.server.admin;

import java.util.List;
import java.util.UUID;

/**
 * Administering an organization's data: people and which device accounts are theirs, categories and their rules,
 * retention, and deletion. Every method is scoped by the organization: an id of another organization behaves as
 * unknown. Every change is written to the audit log.
 */
public interface DataAdministration {

    /** Creates a person (e.g. to map several devices' accounts to). */
    Person createPerson(UUID organizationId, String displayName);

    /** The organization's people by name. */
    List<Person> people(UUID organizationId);

    /** Which person each (device, OS user) belongs to. */
    List<DeviceUser> deviceUsers(UUID organizationId);

    /**
     * Maps an OS account on a device to a person. The device's stored spans and rollups of that account move to the
     * person too, so reports show the corrected history.
     *
     * @throws com.xentracker.server.NoSuchDeviceException when the organization has no such device
     * @throws com.xentracker.server.InvalidRequestException when the organization has no such person
     */
    void assignPerson(UUID organizationId, UUID deviceId, String osUser, UUID personId);

    /**
     * Deletes a person and everything recorded of them: spans, rollups and device mappings. A device account that
     * reports again later gets a new person.
     *
     * @throws com.xentracker.server.InvalidRequestException when the organization has no such person
     */
    void deletePerson(UUID organizationId, UUID personId);

    /**
     * Deletes a device and everything it sent: spans, gaps, rollups, its ledger and mappings. Its enrollment is gone,
     * so its uploads are refused as coming from an unknown device.
     *
     * @throws com.xentracker.server.NoSuchDeviceException when the organization has no such device
     */
    void deleteDevice(UUID organizationId, UUID deviceId);

    /** Creates a category; names are unique in an organization. */
    Category createCategory(UUID organizationId, String name);

    /** The organization's categories with their rules, by name. */
    List<Category> categories(UUID organizationId);

    /**
     * Adds a rule (pattern lower-cased). Rollups are re-categorised in the background; new uploads use it at once.
     *
     * @throws com.xentracker.server.InvalidRequestException for an unknown category, an empty or over-long pattern, or
     *         a pattern of that kind already in a rule
     */
    CategoryRule addCategoryRule(UUID organizationId, UUID categoryId, CategoryRule.Kind kind, String pattern);

    /** Removes a rule; rollups are re-categorised in the background. */
    void deleteCategoryRule(UUID organizationId, UUID ruleId);

    /** How long the organization's data is kept. */
    RetentionSettings retention(UUID organizationId);

    /** Changes how long the organization's data is kept; the retention job applies it on its next run. */
    RetentionSettings updateRetention(UUID organizationId, RetentionSettings settings);
}
