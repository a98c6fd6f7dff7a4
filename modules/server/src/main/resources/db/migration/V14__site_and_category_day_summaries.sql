-- Xentracker server schema, version 14: per-day summaries of sites and categories for the portal's reports, beside
-- the applications' (app_days, version 6), so that the whole organization's overview, sites and categories over 90
-- days cost days × names, not people × days. Same shape and the same marks: a day marked in rollup_changes is read
-- from the rollups, an unmarked one from these tables, so answers are exact and fresh.

-- Per organization, local day and web domain (browsers' active tabs only; no row for time outside a browser): active
-- milliseconds of all devices and the bitmap of device numbers with active time there.
CREATE TABLE site_days (
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    day              date        NOT NULL,
    domain           text        NOT NULL CHECK (domain <> ''),
    active_ms        bigint      NOT NULL CHECK (active_ms >= 0),
    devices          bit varying NOT NULL,
    PRIMARY KEY (organization_id, day, domain)
);

-- Per organization, local day and category name as the rollups keep it ('' = uncategorised). Ratings are joined at
-- query time (categories.productivity, category_group_ratings), so a rating change rewrites nothing; a change of
-- rules re-categorises the rollups, which marks the days it moved.
CREATE TABLE category_days (
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    day              date        NOT NULL,
    category         text        NOT NULL,
    active_ms        bigint      NOT NULL CHECK (active_ms >= 0),
    devices          bit varying NOT NULL,
    PRIMARY KEY (organization_id, day, category)
);

-- Existing days: marked, so that they are read from the rollups until the summarizing job has computed all three
-- summaries for them (it recomputes app_days too, to the same values).
INSERT INTO rollup_changes (organization_id, day, device_id)
SELECT DISTINCT organization_id, day, device_id FROM rollups WHERE active_ms > 0
ON CONFLICT DO NOTHING;

-- A group's, a viewer's and a person's reports read the rollups of a few people over up to a year, by this index.
-- With the columns those reports sum in the index itself, each is an index-only scan instead of one heap visit per
-- row (measured on 1,000 people × 90 days: a group of 50 is 54,000 rows). Same key as before, so every other use of
-- the index is served as it was. Built without CONCURRENTLY: a migration runs in one transaction, before the server
-- accepts uploads.
DROP INDEX rollups_by_person;
CREATE INDEX rollups_by_person ON rollups (organization_id, person_id, day)
    INCLUDE (application, domain, category, device_id, active_ms);

-- Who used an application or a site (individual usage, for the roles that may see it) reads one name's rollups over
-- up to a year, summed per person. Keyed by the name first, these indexes make it an index-only range scan of that
-- name's rows instead of a scan of every row of the period (bench/run reports, 1,000 people × 90 days, p95 before →
-- after, on a shared machine at load 4–7 and 3: 897 → 232 ms for an application in 90,000 rows, 808 → 43 ms for a
-- site). A category has too many rows for such an index to pay for its writes (one of six categories holds 40 % of
-- the rows: 883 ms with an index like these), so who used a category still scans the period. The old application index (day first) served the dashboard before the per-day summaries; the few marked
-- days the reports still read from the rollups are found by the primary key, which leads with the day as well.
DROP INDEX rollups_by_application;
CREATE INDEX rollups_by_application ON rollups (organization_id, application, day)
    INCLUDE (person_id, device_id, active_ms);
CREATE INDEX rollups_by_domain ON rollups (organization_id, domain, day)
    INCLUDE (person_id, device_id, active_ms) WHERE domain <> '';
