package com.xentracker.portal.settings;

import com.xentracker.portal.page.PortalPaths;

/** The parts of the Settings section, each a page of its own, in the order of the section's tabs. */
public enum SettingsTab {
    ORGANIZATION("Organization", PortalPaths.SETTINGS),
    POLICY("Collection policy", PortalPaths.SETTINGS_POLICY),
    CATEGORIES("Categories", PortalPaths.SETTINGS_CATEGORIES),
    RETENTION("Retention", PortalPaths.SETTINGS_RETENTION),
    HISTORY("History", PortalPaths.SETTINGS_HISTORY);

    private final String label;
    private final String href;

    SettingsTab(String label, String href) {
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
