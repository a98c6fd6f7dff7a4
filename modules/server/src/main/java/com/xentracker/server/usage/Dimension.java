package com.xentracker.server.usage;

/** What usage is ranked by: applications, sites (web domains) or categories. */
public enum Dimension {
    APPLICATION("application", "app_days", false),
    SITE("domain", "site_days", true),
    CATEGORY("category", "category_days", false);

    /** The rollups' column (and the summary table's) this dimension groups by. */
    final String column;
    /** The per-day summary of the whole organization, bitmaps of devices included. */
    final String summary;
    /** Whether only rows with a value count: a site only where a browser reported a domain. */
    private final boolean named;

    Dimension(String column, String summary, boolean named) {
        this.column = column;
        this.summary = summary;
        this.named = named;
    }

    /** The condition on rollup rows of alias {@code table} (SQL, made of constants only). */
    String rows(String table) {
        return named ? table + "." + column + " <> ''" : "true";
    }
}
