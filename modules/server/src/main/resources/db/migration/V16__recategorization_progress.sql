-- The background re-categorisation of rollups works device by device and records how far it got, so that the
-- portal can show its progress; a request's row now stays after its run (finished_at), so that the portal can say
-- when the rollups last matched the rules. A new request resets the row: the run starts again from the first device
-- with the rules as they are then.
ALTER TABLE rollup_recompute
    ADD COLUMN started_at     timestamptz,
    ADD COLUMN finished_at    timestamptz,
    -- the organization's devices when the run started, and how many of them are done
    ADD COLUMN devices_total  integer CHECK (devices_total >= 0),
    ADD COLUMN devices_done   integer NOT NULL DEFAULT 0 CHECK (devices_done >= 0),
    -- devices are done in id order; those after this one remain
    ADD COLUMN last_device    uuid;
