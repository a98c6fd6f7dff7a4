-- Xentracker server schema, version 6: per-day summaries for the dashboard (issue 6: 30 and 90 days in ≤ 100 ms).
--
-- The dashboard asks, per application, for the active time and the number of DISTINCT devices with active time in a
-- period. Summing days is easy; counting distinct devices across days is not, unless each day keeps the set of its
-- devices. A set of small per-organization device numbers is a bitmap: the union over days is bit_or, its size
-- bit_count. So every device gets a number, app_days keeps per (organization, day, application) the active time and
-- the bitmap, and rollup_changes marks the (day, device) pairs whose rollups changed since app_days was computed:
-- a marked day is read from rollups directly, an unmarked one from app_days, so the answer is exact and fresh.

-- The highest device number handed out in the organization; enrollment takes the next one under this row's lock.
-- Numbers are never reused (a deleted device's bit may still be set in a summary not yet recomputed).
ALTER TABLE organizations ADD COLUMN device_numbers integer NOT NULL DEFAULT 0 CHECK (device_numbers >= 0);

ALTER TABLE devices ADD COLUMN number integer;
UPDATE devices d SET number = n.number
FROM (SELECT organization_id, id, row_number() OVER (PARTITION BY organization_id ORDER BY enrolled_at, id) AS number
      FROM devices) n
WHERE d.organization_id = n.organization_id AND d.id = n.id;
UPDATE organizations o SET device_numbers = coalesce((SELECT max(d.number) FROM devices d
                                                      WHERE d.organization_id = o.id), 0);
ALTER TABLE devices ALTER COLUMN number SET NOT NULL,
    ADD CONSTRAINT devices_number_positive CHECK (number > 0),
    ADD CONSTRAINT devices_number_unique UNIQUE (organization_id, number);

-- Per organization, local day and application: the active milliseconds of all devices, and the bitmap of the device
-- numbers with active time that day (bit n = device number n; as long as device_numbers + 1 was when computed).
CREATE TABLE app_days (
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    day              date        NOT NULL,
    application      text        NOT NULL,
    active_ms        bigint      NOT NULL CHECK (active_ms >= 0),
    devices          bit varying NOT NULL,
    PRIMARY KEY (organization_id, day, application)
);

-- "This device's rollups of this day changed since app_days was computed." Written in the statement that changes the
-- rollups (ingest, deletions), deleted by the summarizing job in the transaction that recomputes the day. No foreign
-- keys: the mark of a deleted device must outlive it until its day is recomputed, and every upload writes here (like
-- rollups, which have none either), so it is spared the per-row check.
CREATE TABLE rollup_changes (
    organization_id  uuid NOT NULL,
    day              date NOT NULL,
    device_id        uuid NOT NULL,
    PRIMARY KEY (organization_id, day, device_id)
);

-- Existing rollups: every day is marked, so it is read from rollups until the job has summarized it.
INSERT INTO rollup_changes (organization_id, day, device_id)
SELECT DISTINCT organization_id, day, device_id FROM rollups;
