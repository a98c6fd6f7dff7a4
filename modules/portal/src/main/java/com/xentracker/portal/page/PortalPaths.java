package com.xentracker.portal.page;

import com.xentracker.server.account.AccountLinks;

/** The portal's routes. Nothing under {@code /api/}: that belongs to the server, which refuses it anyway. */
public final class PortalPaths {

    public static final String HOME = "/";
    public static final String LOGIN = "/login";
    public static final String LOGOUT = "/logout";
    public static final String DASHBOARD = "/dashboard";
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
    /** The organization's own settings: name, time zone, two-factor requirement. */
    public static final String SETTINGS = "/settings";
    /** CSV exports (a form), the account's API tokens and, for owners and administrators, access packages. */
    public static final String EXPORTS = "/exports";
    /** GET: streams one dataset as CSV, filtered by the query parameters. */
    public static final String EXPORTS_DOWNLOAD = "/exports/download";
    /** GET: streams the Art. 15 access package of {@code ?person=ID} as a ZIP. */
    public static final String EXPORTS_ACCESS_PACKAGE = "/exports/access-package";
    /** POST: creates an API token and shows it, once. */
    public static final String EXPORTS_TOKENS_CREATE = "/exports/tokens/create";
    /** POST: revokes one of the account's API tokens. */
    public static final String EXPORTS_TOKENS_REVOKE = "/exports/tokens/revoke";
    public static final String STYLESHEET = "/portal.css";

    private PortalPaths() {
    }
}
