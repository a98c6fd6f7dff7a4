package com.xentracker.portal.settings;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;

/**
 * Model of {@code settings-history.jte}: every version of one area of the settings, newest first.
 *
 * @param areas the areas to choose between, the shown one marked
 */
public record HistoryPage(Frame frame, List<Area> areas, String area, List<Version> versions) {

    /** An area's link. */
    public record Area(String label, String href, boolean current) {
    }

    /** One version: when and by whom, which fields changed, and the whole area afterwards (JSON). */
    public record Version(long version, String changedAt, String machineTime, String changedBy,
            List<String> changedFields, String value) {

        public Version {
            changedFields = List.copyOf(changedFields);
        }
    }

    public HistoryPage {
        Objects.requireNonNull(frame, "frame");
        areas = List.copyOf(areas);
        Objects.requireNonNull(area, "area");
        versions = List.copyOf(versions);
    }

    public SettingsTab tab() {
        return SettingsTab.HISTORY;
    }
}
