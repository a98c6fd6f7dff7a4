package com.xentracker.portal.page;

/** The portal's routes. Nothing under {@code /api/}: that belongs to the server, which refuses it anyway. */
public final class PortalPaths {

    public static final String HOME = "/";
    public static final String LOGIN = "/login";
    public static final String LOGOUT = "/logout";
    public static final String DASHBOARD = "/dashboard";
    public static final String DEVICES = "/devices";
    public static final String PEOPLE = "/people";
    public static final String PEOPLE_ASSIGN = "/people/assign";
    /** The organization's audit log, filtered and paged by query parameters. */
    public static final String AUDIT = "/audit";
    /** Verifies the audit log's hash chain and shows where it breaks. */
    public static final String AUDIT_VERIFY = "/audit/verify";
    /** The signed-in account's own page (password, two-factor sign-in, recent sign-ins). */
    public static final String ACCOUNT = "/account";
    public static final String STYLESHEET = "/portal.css";

    private PortalPaths() {
    }
}
