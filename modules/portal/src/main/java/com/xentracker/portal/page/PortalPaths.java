package com.xentracker.portal.page;

/** The portal's routes. Nothing under {@code /api/}: that belongs to the server. */
public final class PortalPaths {

    public static final String HOME = "/";
    public static final String LOGIN = "/login";
    public static final String LOGOUT = "/logout";
    public static final String DASHBOARD = "/dashboard";
    public static final String DEVICES = "/devices";
    public static final String PEOPLE = "/people";
    public static final String PEOPLE_ASSIGN = "/people/assign";
    public static final String STYLESHEET = "/portal.css";

    private PortalPaths() {
    }
}
