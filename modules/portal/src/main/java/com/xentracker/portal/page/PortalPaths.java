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
    public static final String GROUPS = "/groups";
    public static final String GROUPS_CREATE = "/groups/create";
    public static final String GROUPS_RENAME = "/groups/rename";
    /** GET: the confirmation page; POST: deletes. */
    public static final String GROUPS_DELETE = "/groups/delete";
    public static final String GROUPS_ADD_MEMBER = "/groups/members/add";
    public static final String GROUPS_REMOVE_MEMBER = "/groups/members/remove";
    public static final String GROUPS_GRANT = "/groups/grants/add";
    public static final String GROUPS_REVOKE = "/groups/grants/revoke";
    /** The signed-in account's own page (password, two-factor sign-in, recent sign-ins). */
    public static final String ACCOUNT = "/account";
    public static final String STYLESHEET = "/portal.css";

    private PortalPaths() {
    }
}
