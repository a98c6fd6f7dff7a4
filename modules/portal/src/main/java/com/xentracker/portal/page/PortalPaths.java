package com.xentracker.portal.page;

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
    /** The signed-in account's own page (password, two-factor sign-in, recent sign-ins). */
    public static final String ACCOUNT = "/account";
    public static final String STYLESHEET = "/portal.css";

    private PortalPaths() {
    }
}
