package com.xentracker.portal.reports;

import java.util.Optional;

/**
 * One ranked row as the report tables show it.
 *
 * @param name          for people (the nameless application is the desktop)
 * @param active        {@code 1h 02m 05s}
 * @param activeSeconds whole seconds, for machines and tests
 * @param share         of the report's total
 * @param usersHref     who used it, for accounts that may see individuals
 * @param style         the productivity class of a category's row, or empty
 * @param rating        the productivity rating of a category, or empty
 */
public record ReportRow(int rank, String name, String active, long activeSeconds, String share, long devices,
        Optional<String> usersHref, String style, String rating) {
}
