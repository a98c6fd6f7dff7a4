package com.xentracker.server.organization;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.access.Actor;
import java.util.List;
import java.util.UUID;

/**
 * The acting account's organization: its settings, collection policy, categories, retention and encryption key. Each
 * call is checked against the account's role and audit-logged by the server; an id of another organization behaves
 * as unknown.
 */
public interface Organizations {

    /** Name, time zone and whether two-factor sign-in is required. */
    OrganizationSettings settings(Actor actor);

    /**
     * Changes name, time zone and the two-factor requirement (owners).
     *
     * @throws com.xentracker.server.InvalidRequestException for a name outside 1 to 200 characters
     */
    OrganizationSettings updateSettings(Actor actor, OrganizationSettings settings);

    /**
     * The collection policy: {@link CollectionPolicy#defaults()} with version 0 until one is set. Devices receive it
     * when they enroll and with every upload receipt.
     */
    CollectionPolicy policy(Actor actor);

    /**
     * Replaces the collection policy. The server assigns the version (the previous one plus 1; the given policy's
     * version is ignored), so agents can tell the new policy from their cached one.
     *
     * @return the policy as stored, with its new version
     * @throws com.xentracker.server.InvalidRequestException when the idle threshold is outside 30 s to 1 h, a
     *         redaction rule is empty, matches the empty text or has a replacement naming a group its pattern lacks,
     *         working hours overlap or have no interval at all, or a limit is exceeded
     */
    CollectionPolicy updatePolicy(Actor actor, CollectionPolicy policy);

    /** How long the organization's data is kept. */
    RetentionSettings retention(Actor actor);

    /** Changes how long the data is kept (owners); the retention job applies it on its next run. */
    RetentionSettings updateRetention(Actor actor, RetentionSettings settings);

    /**
     * Rotates the organization's encryption key (owners): devices seal new batches to the new certificate as soon as
     * a receipt tells them; the old private key is kept, encrypted under the master key, so that batches sealed to it
     * and still buffered on devices can be opened.
     */
    void rotateKey(Actor actor);

    /** The categories with their rules, by name. */
    List<Category> categories(Actor actor);

    /**
     * Creates a category; names are unique in an organization.
     *
     * @throws com.xentracker.server.ConflictException when the name is taken
     */
    Category createCategory(Actor actor, String name);

    /**
     * Adds a rule (pattern lower-cased). Rollups are re-categorised in the background; new uploads use it at once.
     *
     * @throws com.xentracker.server.NotFoundException for an unknown category
     * @throws com.xentracker.server.InvalidRequestException for an empty or over-long pattern
     * @throws com.xentracker.server.ConflictException when a rule of that kind has this pattern already
     */
    CategoryRule addCategoryRule(Actor actor, UUID categoryId, CategoryRule.Kind kind, String pattern);

    /**
     * Removes a rule; rollups are re-categorised in the background.
     *
     * @throws com.xentracker.server.NotFoundException for an unknown rule
     */
    void deleteCategoryRule(Actor actor, UUID ruleId);
}
