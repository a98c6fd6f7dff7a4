package com.xentracker.portal.page;

import com.xentracker.server.access.Action;

/**
 * The parts of the portal a signed-in account navigates between, in the order of the layout's navigation, each with
 * the action its page performs: the navigation leaves out what the server would refuse the account (the server still
 * decides, on every request).
 */
public enum Section {
    OVERVIEW("Overview", PortalPaths.OVERVIEW, Action.VIEW_USAGE),
    REPORTS("Reports", PortalPaths.REPORTS_APPLICATIONS, Action.VIEW_USAGE),
    TEAMS("Teams", PortalPaths.TEAMS, Action.VIEW_USAGE),
    DEVICES("Devices", PortalPaths.DEVICES, Action.VIEW_DEVICES),
    ENROLLMENT("Enrollment", PortalPaths.ENROLLMENT, Action.VIEW_ENROLLMENT_TOKENS),
    PEOPLE("People", PortalPaths.PEOPLE, Action.VIEW_PEOPLE),
    GROUPS("Groups", PortalPaths.GROUPS, Action.VIEW_GROUPS),
    AUDIT("Audit log", PortalPaths.AUDIT, Action.VIEW_AUDIT_LOG),
    EXPORTS("Exports", PortalPaths.EXPORTS, Action.EXPORT_DATA),
    ACCOUNTS("Accounts", PortalPaths.ACCOUNTS, Action.VIEW_ACCOUNTS),
    SETTINGS("Settings", PortalPaths.SETTINGS, Action.VIEW_SETTINGS),
    /** A self-service account's own: its activity, who looked at its data (and its package, from both pages). */
    MY_ACTIVITY("My activity", PortalPaths.ME, Action.VIEW_OWN_ACTIVITY),
    MY_DATA_ACCESSES("Who saw my data", PortalPaths.ME_ACCESSES, Action.VIEW_OWN_DATA_ACCESSES);

    private final String label;
    private final String href;
    private final Action action;

    Section(String label, String href, Action action) {
        this.label = label;
        this.href = href;
        this.action = action;
    }

    /**
     * Where an account lands after signing in: the first section it may see (the overview for every role but a
     * self-service account, whose first is its own activity); the overview when none (the server then says why).
     */
    public static String home(com.xentracker.server.access.Actor actor) {
        return java.util.Arrays.stream(values()).filter(section -> actor.may(section.action)).findFirst()
                .map(Section::href).orElse(PortalPaths.OVERVIEW);
    }

    public String label() {
        return label;
    }

    public String href() {
        return href;
    }

    /** What the section's page asks the server for. */
    public Action action() {
        return action;
    }
}
