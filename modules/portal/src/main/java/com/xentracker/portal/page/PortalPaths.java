package com.xentracker.portal.page;

import com.xentracker.server.account.AccountLinks;

/** The portal's routes. Nothing under {@code /api/}: that belongs to the server, which refuses it anyway. */
public final class PortalPaths {

    public static final String HOME = "/";
    public static final String LOGIN = "/login";
    public static final String LOGOUT = "/logout";
    /** The old address of the overview; redirects there, keeping its query. */
    public static final String DASHBOARD = "/dashboard";
    /** Active time per day, productivity, top applications and sites, silent devices (filters as the reports'). */
    public static final String OVERVIEW = "/overview";
    /** Ranked reports; each takes {@code period}, {@code from}, {@code to}, {@code group} and {@code person}. */
    public static final String REPORTS_APPLICATIONS = "/reports/applications";
    public static final String REPORTS_SITES = "/reports/sites";
    public static final String REPORTS_CATEGORIES = "/reports/categories";
    /** Who used {@code ?of=application|site|category&name=…} (individual usage). */
    public static final String REPORTS_USERS = "/reports/users";
    /** The groups with their team views. */
    public static final String TEAMS = "/teams";
    public static final String DEVICES = "/devices";
    /** GET: asks to confirm revoking {@code ?device=ID}; POST: revokes it. */
    public static final String DEVICES_REVOKE = "/devices/revoke";
    /** GET: asks to confirm deleting {@code ?device=ID} and what it sent; POST: deletes it. */
    public static final String DEVICES_DELETE = "/devices/delete";
    /** The organization's enrollment tokens. */
    public static final String ENROLLMENT = "/enrollment";
    /** POST: issues a token and shows it, once. */
    public static final String ENROLLMENT_ISSUE = "/enrollment/issue";
    /** POST: revokes a token. */
    public static final String ENROLLMENT_REVOKE = "/enrollment/revoke";
    public static final String PEOPLE = "/people";
    public static final String PEOPLE_ASSIGN = "/people/assign";
    /** One person's page: {@code ?id=ID&day=2026-11-29&period=7|30|90} (without a day: today). */
    public static final String PERSON = "/people/person";
    /** POST: renames {@code personId}. */
    public static final String PEOPLE_RENAME = "/people/rename";
    /** GET: asks whom to merge {@code ?person=ID} into; POST: merges {@code personId} into {@code intoId}. */
    public static final String PEOPLE_MERGE = "/people/merge";
    /** GET: asks to confirm deleting {@code ?person=ID} and their data; POST: deletes {@code personId}. */
    public static final String PEOPLE_DELETE = "/people/delete";
    /** The second step of signing in: a code from the authenticator app or a recovery code. */
    public static final String LOGIN_SECOND_FACTOR = "/login/second-factor";
    public static final String GROUPS = "/groups";
    public static final String GROUPS_CREATE = "/groups/create";
    public static final String GROUPS_RENAME = "/groups/rename";
    /** GET: the confirmation page; POST: deletes. */
    public static final String GROUPS_DELETE = "/groups/delete";
    public static final String GROUPS_ADD_MEMBER = "/groups/members/add";
    public static final String GROUPS_REMOVE_MEMBER = "/groups/members/remove";
    public static final String GROUPS_GRANT = "/groups/grants/add";
    public static final String GROUPS_REVOKE = "/groups/grants/revoke";
    /** The organization's audit log, filtered and paged by query parameters. */
    public static final String AUDIT = "/audit";
    /** Verifies the audit log's hash chain and shows where it breaks. */
    public static final String AUDIT_VERIFY = "/audit/verify";
    /** The signed-in account's own page (password, two-factor sign-in, recent sign-ins). */
    public static final String ACCOUNT = "/account";
    public static final String ACCOUNT_PASSWORD = "/account/password";
    /** Begins setting up two-factor sign-in. */
    public static final String ACCOUNT_TWO_FACTOR = "/account/two-factor";
    public static final String ACCOUNT_TWO_FACTOR_CONFIRM = "/account/two-factor/confirm";
    public static final String ACCOUNT_TWO_FACTOR_DISABLE = "/account/two-factor/disable";
    public static final String ACCOUNT_RECOVERY_CODES = "/account/recovery-codes";
    /**
     * Setting a password with an owner's one-time link, before signing in: the server's links point here, so the
     * path is the server's ({@link AccountLinks#SETUP_PATH}).
     */
    public static final String ACCOUNT_SETUP = AccountLinks.SETUP_PATH;
    /** The organization's accounts (owners manage them; auditors read) and the owners' forms. */
    public static final String ACCOUNTS = "/accounts";
    public static final String ACCOUNTS_INVITE = "/accounts/invite";
    public static final String ACCOUNTS_ROLE = "/accounts/role";
    public static final String ACCOUNTS_DISABLE = "/accounts/disable";
    public static final String ACCOUNTS_ENABLE = "/accounts/enable";
    public static final String ACCOUNTS_DELETE = "/accounts/delete";
    public static final String ACCOUNTS_RESET_PASSWORD = "/accounts/reset-password";
    public static final String ACCOUNTS_END_SESSIONS = "/accounts/end-sessions";
    /** The organization's own settings: name, time zone, two-factor requirement, group size, silent devices. */
    public static final String SETTINGS = "/settings";
    /** The collection policy; POST saves it. */
    public static final String SETTINGS_POLICY = "/settings/policy";
    /** POST: the policy page again, with a sample title through the redaction rules as edited (nothing saved). */
    public static final String SETTINGS_POLICY_PREVIEW = "/settings/policy/preview";
    /** Categories, their ratings, the rules in order, group ratings and the re-categorisation's progress. */
    public static final String SETTINGS_CATEGORIES = "/settings/categories";
    public static final String SETTINGS_CATEGORIES_CREATE = "/settings/categories/create";
    /** POST: renames and rates a category. */
    public static final String SETTINGS_CATEGORIES_UPDATE = "/settings/categories/update";
    /** GET: asks to confirm deleting {@code ?category=ID}; POST: deletes it. */
    public static final String SETTINGS_CATEGORIES_DELETE = "/settings/categories/delete";
    public static final String SETTINGS_RULES_ADD = "/settings/categories/rules/add";
    /** POST: the categories page again, with what the rule as typed would match in the last seven days. */
    public static final String SETTINGS_RULES_TEST = "/settings/categories/rules/test";
    public static final String SETTINGS_RULES_MOVE = "/settings/categories/rules/move";
    public static final String SETTINGS_RULES_DELETE = "/settings/categories/rules/delete";
    /** POST: one group's own ratings of the categories. */
    public static final String SETTINGS_GROUP_RATINGS = "/settings/categories/group-ratings";
    /** The background re-categorisation's progress, loading itself again until it is done. */
    public static final String SETTINGS_RECATEGORIZATION = "/settings/categories/progress";
    /** How long data is kept; POST shows what a change would delete and asks to confirm. */
    public static final String SETTINGS_RETENTION = "/settings/retention";
    /** POST: the confirmed retention change. */
    public static final String SETTINGS_RETENTION_CONFIRM = "/settings/retention/confirm";
    /** Every version of one area of the settings ({@code ?area=POLICY}). */
    public static final String SETTINGS_HISTORY = "/settings/history";
    /** CSV exports (a form), the account's API tokens and, for owners and administrators, access packages. */
    public static final String EXPORTS = "/exports";
    /** GET: streams one dataset as CSV, filtered by the query parameters. */
    public static final String EXPORTS_DOWNLOAD = "/exports/download";
    /** GET: streams the Art. 15 access package of {@code ?person=ID} as a ZIP. */
    public static final String EXPORTS_ACCESS_PACKAGE = "/exports/access-package";
    /** A self-service account's own activity: {@code ?day=2026-11-29&period=7|30|90} (without a day: today). */
    public static final String ME = "/me";
    /** Who viewed or exported a self-service account's own data ({@code ?before=SEQUENCE} for older entries). */
    public static final String ME_ACCESSES = "/me/accesses";
    /** GET: streams a self-service account's own access package as a ZIP. */
    public static final String ME_PACKAGE = "/me/package";
    /** POST: gives {@code personId} a self-service account for {@code email} (shows the invitation link once). */
    public static final String PEOPLE_SELF_ACCOUNT = "/people/self-account";
    /** POST: creates an API token and shows it, once. */
    public static final String EXPORTS_TOKENS_CREATE = "/exports/tokens/create";
    /** POST: revokes one of the account's API tokens. */
    public static final String EXPORTS_TOKENS_REVOKE = "/exports/tokens/revoke";
    public static final String STYLESHEET = "/portal.css";

    private PortalPaths() {
    }
}
