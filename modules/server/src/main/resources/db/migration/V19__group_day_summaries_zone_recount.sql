-- Xentracker server schema, version 19: per-day summaries of each group for the team views and a viewer's reports
-- (issue 11: p95 ≤ 100 ms over 90 days), and recounting the rollups when the organization's time zone changes.
--
-- A group's reports summed its people's rollups: people × days × names rows, hashed once per breakdown (measured on
-- 1,000 people × 90 days, a group of 50: 54,000 rows, most of the time in the hash aggregation). Per-person-day
-- summaries would not help: a person's day has about as many rows per application, site and category as rollups
-- (one device each, titles not collected). Per group and day they are days × names, whatever the group's size, as
-- the organization's own (app_days, site_days, category_days, versions 6 and 14), with the same device bitmaps.
--
-- What keeps them exact, the same rule as the organization's: a day marked in rollup_changes (its rollups changed) or
-- marked for the group in group_changes (its members changed) is read from the rollups of the group's people; an
-- unmarked day from group_days. The summarizing job deletes a day's marks and recomputes it in one transaction.

-- Per group, kind (APPLICATION, SITE or CATEGORY), local day and name: the active milliseconds of the group's people
-- as they were when the day was summarized, and the bitmap of their device numbers with active time. Sites only for
-- browsers' active tabs (no '' row); category '' = uncategorised.
CREATE TABLE group_days (
    organization_id  uuid        NOT NULL,
    group_id         uuid        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('APPLICATION', 'SITE', 'CATEGORY')),
    day              date        NOT NULL,
    name             text        NOT NULL,
    active_ms        bigint      NOT NULL CHECK (active_ms >= 0),
    devices          bit varying NOT NULL,
    PRIMARY KEY (organization_id, group_id, kind, day, name),
    FOREIGN KEY (organization_id, group_id) REFERENCES groups (organization_id, id) ON DELETE CASCADE
);

-- "The group's summary of this day no longer matches its people": written in the transaction that adds a person to
-- a group or removes one (for the days that person has active time) and held until it commits (see
-- DailyRollups.addTo for the no-op update), deleted by the summarizing job in the transaction that recomputes the day.
CREATE TABLE group_changes (
    organization_id  uuid NOT NULL,
    group_id         uuid NOT NULL,
    day              date NOT NULL,
    PRIMARY KEY (organization_id, group_id, day),
    FOREIGN KEY (organization_id, group_id) REFERENCES groups (organization_id, id) ON DELETE CASCADE
);
-- the job's work list: which days of an organization have marks of any group
CREATE INDEX group_changes_by_day ON group_changes (organization_id, day);

-- Existing groups: every day their people have active time is marked, so it is read from the rollups until the job
-- has summarized it.
INSERT INTO group_changes (organization_id, group_id, day)
SELECT DISTINCT m.organization_id, m.group_id, r.day
FROM group_members m
JOIN rollups r ON r.organization_id = m.organization_id AND r.person_id = m.person_id
WHERE r.active_ms > 0;

-- Rollups are days in the organization's time zone. When the zone changes, the background job that re-categorises
-- rollups (rollup_recompute) also rebuilds each device's rollups from its raw spans in the new zone, for the days the
-- spans still cover (the span retention); older days stay as they were counted.
ALTER TABLE rollup_recompute
    ADD COLUMN recount  boolean NOT NULL DEFAULT false;
