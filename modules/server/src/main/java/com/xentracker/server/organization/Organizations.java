package com.xentracker.server.organization;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.server.access.Actor;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The acting account's organization: its settings, collection policy, categories, retention and encryption key. Each
 * call is checked against the account's role and audit-logged by the server; an id of another organization behaves
 * as unknown. Every change of settings is also kept as a new version of its {@link SettingsArea} ({@link #history}).
 *
 * <p>Invalid input is refused with {@link com.xentracker.server.InvalidRequestException}, which names the parameter
 * to blame where there is one ({@code field()}): the names are given with each method.
 */
public interface Organizations {

    /** Name, time zone, two-factor requirement, minimum group size and silent-after hours. */
    OrganizationSettings settings(Actor actor);

    /**
     * Changes the organization's own settings (owners).
     *
     * @throws com.xentracker.server.InvalidRequestException about {@code name} outside 1 to 200 characters
     */
    OrganizationSettings updateSettings(Actor actor, OrganizationSettings settings);

    /**
     * The collection policy: {@link CollectionPolicy#defaults()} with version 0 until one is set. Devices receive it
     * when they enroll and with every upload receipt.
     */
    CollectionPolicy policy(Actor actor);

    /**
     * Replaces the collection policy. The server assigns the version (the previous one plus 1; the given policy's
     * version is ignored), so agents can tell the new policy from their cached one. Switching window titles on or off
     * re-categorises the rollups when there are title rules (they count only while titles are collected).
     *
     * @return the policy as stored, with its new version
     * @throws com.xentracker.server.InvalidRequestException about {@code idleThreshold} (outside 30 s to 1 h),
     *         {@code titleRedactions} (a rule is empty, matches the empty text or has a replacement naming a group its
     *         pattern lacks; the message says which rule), {@code workingHours} (intervals overlap or there is none),
     *         {@code excludedApplications} or {@code excludedDomains} (a limit is exceeded)
     */
    CollectionPolicy updatePolicy(Actor actor, CollectionPolicy policy);

    /**
     * What an agent would store of {@code sample} as a window title under these redaction rules (those being edited,
     * not necessarily the stored ones): the same code the agents run. Changes nothing (owners and administrators,
     * who edit the policy).
     *
     * @throws com.xentracker.server.InvalidRequestException about {@code titleRedactions} as for
     *         {@link #updatePolicy}, or {@code sample} (empty, or over {@value RedactionPreview#MAX_SAMPLE} characters)
     */
    RedactionPreview previewRedaction(Actor actor, List<RedactionRule> rules, String sample);

    /** How long the organization's data is kept. */
    RetentionSettings retention(Actor actor);

    /**
     * What changing the retention to {@code proposed} would delete (owners, before they confirm the change).
     */
    RetentionImpact retentionImpact(Actor actor, RetentionSettings proposed);

    /** Changes how long the data is kept (owners); the retention job applies it on its next run. */
    RetentionSettings updateRetention(Actor actor, RetentionSettings settings);

    /**
     * Rotates the organization's encryption key (owners): devices seal new batches to the new certificate as soon as
     * a receipt tells them; the old private key is kept, encrypted under the master key, so that batches sealed to it
     * and still buffered on devices can be opened.
     */
    void rotateKey(Actor actor);

    /** The categories by name, each with its rules in the order they are tried. */
    List<Category> categories(Actor actor);

    /** Every rule of the organization in the order they are tried (the first that matches decides). */
    List<CategoryRule> categoryRules(Actor actor);

    /**
     * Creates a category (rated neutral); names are unique in an organization.
     *
     * @throws com.xentracker.server.ConflictException when the name is taken
     * @throws com.xentracker.server.InvalidRequestException about {@code name} outside 1 to 100 characters
     */
    Category createCategory(Actor actor, String name);

    /** Creates a category with a rating; see {@link #createCategory(Actor, String)}. */
    Category createCategory(Actor actor, String name, Productivity productivity);

    /**
     * Renames a category and rates it. A new name re-categorises the rollups (they keep the category's name).
     *
     * @throws com.xentracker.server.NotFoundException for an unknown category
     * @throws com.xentracker.server.ConflictException when another category has the name
     * @throws com.xentracker.server.InvalidRequestException about {@code name} outside 1 to 100 characters
     */
    Category updateCategory(Actor actor, UUID categoryId, String name, Productivity productivity);

    /**
     * Deletes a category with its rules and group ratings; its time becomes uncategorised or goes to whatever rule
     * matches next, in the background.
     *
     * @throws com.xentracker.server.NotFoundException for an unknown category
     */
    void deleteCategory(Actor actor, UUID categoryId);

    /**
     * Adds an application rule (pattern lower-cased) after every other rule. Rollups are re-categorised in the
     * background; new uploads use it at once.
     *
     * @throws com.xentracker.server.NotFoundException for an unknown category
     * @throws com.xentracker.server.InvalidRequestException about {@code pattern} (empty or over-long)
     * @throws com.xentracker.server.ConflictException when a rule of that kind has this pattern already
     */
    CategoryRule addCategoryRule(Actor actor, UUID categoryId, CategoryRule.Kind kind, String pattern);

    /**
     * Adds a rule after every other rule (it is tried last until moved). Rollups are re-categorised in the
     * background; new uploads use it at once.
     *
     * @throws com.xentracker.server.NotFoundException for an unknown category
     * @throws com.xentracker.server.InvalidRequestException about {@code pattern}: empty or over-long, a domain that
     *         is not a host name, or a title rule while the policy does not collect titles
     * @throws com.xentracker.server.ConflictException when a rule of that kind has this pattern already
     */
    CategoryRule addCategoryRule(Actor actor, UUID categoryId, NewCategoryRule rule);

    /**
     * Moves a rule one place earlier ({@code earlier}) or later in the order; the rules are numbered afresh in
     * steps of 10. Rollups are re-categorised in the background.
     *
     * @throws com.xentracker.server.NotFoundException for an unknown rule
     */
    List<CategoryRule> moveCategoryRule(Actor actor, UUID ruleId, boolean earlier);

    /**
     * Removes a rule; rollups are re-categorised in the background.
     *
     * @throws com.xentracker.server.NotFoundException for an unknown rule
     */
    void deleteCategoryRule(Actor actor, UUID ruleId);

    /**
     * Sets how one group rates the categories in its own views: {@code ratings} per category id; a category left
     * out uses the organization's rating again.
     *
     * @throws com.xentracker.server.NotFoundException for an unknown group or category
     */
    void rateCategoriesForGroup(Actor actor, UUID groupId, Map<UUID, Productivity> ratings);

    /**
     * What {@code rule} would match over the last seven days, before it is added (owners and administrators).
     *
     * @throws com.xentracker.server.InvalidRequestException about {@code pattern} as for {@link #addCategoryRule}
     */
    RuleTest testCategoryRule(Actor actor, NewCategoryRule rule);

    /** Where the background re-categorisation of the rollups stands. */
    Recategorization recategorization(Actor actor);

    /** The versions of one area of the settings, newest first (at most {@code limit}). */
    List<SettingsVersion> history(Actor actor, SettingsArea area, int limit);
}
