package com.xentracker.server.access;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Every use case the server offers, with the roles allowed to perform it and the name its audit entries carry. This
 * enum <em>is</em> the role × action matrix: {@link Guard} checks it before any use case runs, the server README
 * prints it, and a test runs every action as every role.
 *
 * <p>Actions without roles are performed by the server itself, a device or someone not signed in; no account can
 * invoke them, they only name audit entries.
 */
public enum Action {

    // --- one's own account: every role, also before two-factor sign-in is set up where the organization requires it
    SIGN_OUT("sign-out", Kind.OWN_ACCOUNT, Role.values()),
    VIEW_OWN_ACCOUNT("view-own-account", Kind.OWN_ACCOUNT, Role.values()),
    CHANGE_OWN_PASSWORD("change-own-password", Kind.OWN_ACCOUNT, Role.values()),
    BEGIN_TWO_FACTOR_SETUP("begin-two-factor-setup", Kind.OWN_ACCOUNT, Role.values()),
    CONFIRM_TWO_FACTOR("confirm-two-factor", Kind.OWN_ACCOUNT, Role.values()),
    DISABLE_TWO_FACTOR("disable-two-factor", Kind.OWN_ACCOUNT, Role.values()),
    REGENERATE_RECOVERY_CODES("regenerate-recovery-codes", Kind.OWN_ACCOUNT, Role.values()),

    // --- reading personal data and settings
    /**
     * Usage aggregates (overview, applications, sites, categories, team views); a viewer's are limited to its groups,
     * and a group's shown only from the organization's minimum group size on.
     */
    VIEW_USAGE("view-usage", Kind.READ, Role.OWNER, Role.ADMIN, Role.AUDITOR, Role.VIEWER),
    /** One person's usage and who used an application, site or category; a viewer needs individual detail. */
    VIEW_INDIVIDUAL_USAGE("view-individual-usage", Kind.READ_INDIVIDUALS, Role.OWNER, Role.ADMIN, Role.AUDITOR,
            Role.VIEWER),
    /** People and who is behind each device account; a viewer needs individual detail on a group. */
    VIEW_PEOPLE("view-people", Kind.READ_INDIVIDUALS, Role.OWNER, Role.ADMIN, Role.AUDITOR, Role.VIEWER),
    /**
     * One person's day timeline, daily totals, top applications and sites, devices (the person is the audit entry's
     * subject); a viewer only for people of its groups granted with individual detail.
     */
    VIEW_PERSON("view-person", Kind.READ_INDIVIDUALS, Role.OWNER, Role.ADMIN, Role.AUDITOR, Role.VIEWER),
    VIEW_DEVICES("view-devices", Kind.READ, Role.OWNER, Role.ADMIN, Role.AUDITOR),
    /** Groups and their sizes; a viewer sees only its own groups. */
    VIEW_GROUPS("view-groups", Kind.READ, Role.OWNER, Role.ADMIN, Role.AUDITOR, Role.VIEWER),
    VIEW_ENROLLMENT_TOKENS("view-enrollment-tokens", Kind.READ, Role.OWNER, Role.ADMIN, Role.AUDITOR),
    /**
     * The organization's settings: collection policy, categories, retention, time zone, two-factor requirement; their
     * history and the re-categorisation's progress.
     */
    VIEW_SETTINGS("view-settings", Kind.READ, Role.OWNER, Role.ADMIN, Role.AUDITOR),
    /** A sample title through redaction rules being edited: part of editing the policy. */
    PREVIEW_TITLE_REDACTION("preview-title-redaction", Kind.READ, Role.OWNER, Role.ADMIN),
    /** What a category rule would match in the last seven days: part of editing categories. */
    TEST_CATEGORY_RULE("test-category-rule", Kind.READ, Role.OWNER, Role.ADMIN),
    /** What a retention change would delete: part of changing it, which only owners do. */
    PREVIEW_RETENTION_CHANGE("preview-retention-change", Kind.READ, Role.OWNER),
    VIEW_ACCOUNTS("view-accounts", Kind.READ, Role.OWNER, Role.AUDITOR),
    VIEW_AUDIT_LOG("view-audit-log", Kind.READ, Role.OWNER, Role.AUDITOR),
    VERIFY_AUDIT_TRAIL("verify-audit-trail", Kind.READ, Role.OWNER, Role.AUDITOR),
    EXPORT_DATA("export-data", Kind.READ_INDIVIDUALS, Role.OWNER, Role.ADMIN, Role.AUDITOR),
    EXPORT_AUDIT_LOG("export-audit-log", Kind.READ, Role.OWNER, Role.AUDITOR),
    VIEW_API_TOKENS("view-api-tokens", Kind.READ, Role.OWNER, Role.ADMIN, Role.AUDITOR),

    // --- a self-service account: its own person only, whatever a request names (the person is the entry's subject)
    /** One's own day timeline and daily totals, top applications and sites: what the person page shows. */
    VIEW_OWN_ACTIVITY("view-own-activity", Kind.READ, Role.SELF),
    /** Who viewed or exported one's own data and when, from the audit log. */
    VIEW_OWN_DATA_ACCESSES("view-own-data-accesses", Kind.READ, Role.SELF),
    /** One's own access package (GDPR Art. 15). */
    EXPORT_OWN_ACCESS_PACKAGE("export-own-access-package", Kind.READ, Role.SELF),

    // --- people, groups, devices and enrollment: owners and administrators
    CREATE_PERSON("create-person", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    ASSIGN_PERSON("assign-person", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    DELETE_PERSON("delete-person", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    RENAME_PERSON("rename-person", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    MERGE_PEOPLE("merge-people", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    CREATE_GROUP("create-group", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    RENAME_GROUP("rename-group", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    DELETE_GROUP("delete-group", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    ADD_GROUP_MEMBER("add-group-member", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    REMOVE_GROUP_MEMBER("remove-group-member", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    REVOKE_DEVICE("revoke-device", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    DELETE_DEVICE("delete-device", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    ISSUE_ENROLLMENT_TOKEN("issue-enrollment-token", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    REVOKE_ENROLLMENT_TOKEN("revoke-enrollment-token", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    UPDATE_COLLECTION_POLICY("update-collection-policy", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    CREATE_CATEGORY("create-category", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    ADD_CATEGORY_RULE("add-category-rule", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    DELETE_CATEGORY_RULE("delete-category-rule", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    /** Rename a category and rate its productivity. */
    UPDATE_CATEGORY("update-category", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    DELETE_CATEGORY("delete-category", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    /** Move a rule earlier or later in the order rules are tried. */
    MOVE_CATEGORY_RULE("move-category-rule", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    /** A group's own productivity ratings of categories, for its team views. */
    RATE_CATEGORIES_FOR_GROUP("rate-categories-for-group", Kind.CHANGE, Role.OWNER, Role.ADMIN),
    EXPORT_ACCESS_PACKAGE("export-access-package", Kind.READ_INDIVIDUALS, Role.OWNER, Role.ADMIN),
    CREATE_API_TOKEN("create-api-token", Kind.CHANGE, Role.OWNER, Role.ADMIN, Role.AUDITOR),
    REVOKE_API_TOKEN("revoke-api-token", Kind.CHANGE, Role.OWNER, Role.ADMIN, Role.AUDITOR),
    /** A self-service account for one person, while the organization has self-service turned on. */
    INVITE_SELF_ACCOUNT("invite-self-account", Kind.CHANGE, Role.OWNER, Role.ADMIN),

    // --- owners only
    UPDATE_RETENTION("update-retention", Kind.CHANGE, Role.OWNER),
    ROTATE_ORGANIZATION_KEY("rotate-organization-key", Kind.CHANGE, Role.OWNER),
    UPDATE_ORGANIZATION_SETTINGS("update-organization-settings", Kind.CHANGE, Role.OWNER),
    INVITE_ACCOUNT("invite-account", Kind.CHANGE, Role.OWNER),
    CHANGE_ACCOUNT_ROLE("change-account-role", Kind.CHANGE, Role.OWNER),
    DISABLE_ACCOUNT("disable-account", Kind.CHANGE, Role.OWNER),
    ENABLE_ACCOUNT("enable-account", Kind.CHANGE, Role.OWNER),
    DELETE_ACCOUNT("delete-account", Kind.CHANGE, Role.OWNER),
    RESET_ACCOUNT_PASSWORD("reset-account-password", Kind.CHANGE, Role.OWNER),
    END_ACCOUNT_SESSIONS("end-account-sessions", Kind.CHANGE, Role.OWNER),
    GRANT_VIEWER_GROUP("grant-viewer-group", Kind.CHANGE, Role.OWNER),
    REVOKE_VIEWER_GROUP("revoke-viewer-group", Kind.CHANGE, Role.OWNER),

    // --- not invocable by accounts: the server, a device or someone signing in acted
    SIGN_IN("sign-in", Kind.SERVER),
    SIGN_IN_FAILED("sign-in-failed", Kind.SERVER),
    SIGN_IN_LOCKED("sign-in-locked", Kind.SERVER),
    SET_PASSWORD_BY_LINK("set-password-by-link", Kind.SERVER),
    CREATE_ORGANIZATION("create-organization", Kind.SERVER),
    CREATE_ACCOUNT("create-account", Kind.SERVER),
    ENROLL_DEVICE("enroll-device", Kind.SERVER),
    ROTATE_DEVICE_KEY("rotate-device-key", Kind.SERVER),
    CONFIRM_ERASURE("confirm-erasure", Kind.SERVER);

    /** What kind of use case an action is, which decides its transaction and its place in the matrix. */
    public enum Kind {
        /** The actor's own account; allowed before two-factor setup. */
        OWN_ACCOUNT,
        /** Reads data or settings; changes nothing but the audit log. */
        READ,
        /** Reads data about individuals: a viewer needs a group granted with individual detail. */
        READ_INDIVIDUALS,
        /** Changes something. */
        CHANGE,
        /** Not invocable by an account: only names audit entries of the server, devices and sign-in. */
        SERVER
    }

    private final String auditName;
    private final Kind kind;
    private final Set<Role> roles;

    Action(String auditName, Kind kind, Role... roles) {
        this.auditName = auditName;
        this.kind = kind;
        this.roles = roles.length == 0 ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(Arrays.asList(roles));
    }

    /** The stable name of this action's audit entries, e.g. {@code assign-person}. */
    public String auditName() {
        return auditName;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether an account of this role may perform the action (a viewer also within its groups only). */
    public boolean allows(Role role) {
        return roles.contains(Objects.requireNonNull(role, "role"));
    }

    /** The roles allowed, for the matrix in documentation and tests. */
    public Set<Role> roles() {
        return roles.isEmpty() ? Set.of() : EnumSet.copyOf(roles);
    }

    /** Whether an account can invoke it at all (otherwise it only names entries the server writes). */
    public boolean invocable() {
        return kind != Kind.SERVER;
    }

    /**
     * Whether a personal API token may perform it: tokens are read-only and open the exports alone, whatever the
     * role of their account.
     */
    public boolean openToApiTokens() {
        return this == EXPORT_DATA || this == EXPORT_AUDIT_LOG;
    }

    /** The action whose audit entries carry this name. */
    public static Optional<Action> ofAuditName(String name) {
        return Arrays.stream(values()).filter(action -> action.auditName.equals(name)).findFirst();
    }
}
