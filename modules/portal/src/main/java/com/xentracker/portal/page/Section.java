package com.xentracker.portal.page;

/** The parts of the portal a signed-in account navigates between, in the order of the layout's navigation. */
public enum Section {
    DASHBOARD("Dashboard", PortalPaths.DASHBOARD),
    DEVICES("Devices", PortalPaths.DEVICES),
    PEOPLE("People", PortalPaths.PEOPLE);

    private final String label;
    private final String href;

    Section(String label, String href) {
        this.label = label;
        this.href = href;
    }

    public String label() {
        return label;
    }

    public String href() {
        return href;
    }
}
