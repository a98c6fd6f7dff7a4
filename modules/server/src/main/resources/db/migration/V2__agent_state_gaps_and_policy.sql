-- Xentracker server schema, version 2: excluded and paused time, gaps the agents report, each device's latest state,
-- and each organization's collection policy.

-- Excluded and paused are neutral states that keep only the time. The second constraint is the database's own guard
-- for privacy: whatever an agent sends, an excluded application's name is never stored (ingest refuses such a batch
-- before it gets here; this makes a bug in that check fail instead of leak).
ALTER TABLE spans DROP CONSTRAINT spans_state_check;
ALTER TABLE spans ADD CONSTRAINT spans_state_check
    CHECK (state IN ('ACTIVE', 'IDLE', 'LOCKED', 'UNKNOWN', 'EXCLUDED', 'PAUSED'));
ALTER TABLE spans ADD CONSTRAINT spans_neutral_time_names_no_application
    CHECK (state NOT IN ('EXCLUDED', 'PAUSED') OR (application = '' AND executable = '' AND title IS NULL));

-- Stretches of time whose activity an agent lost (its bounded buffer dropped the oldest unsent data). Kept so that
-- reports can show the loss instead of an unexplained hole. Written in the same transaction as the batch's spans.
CREATE TABLE gaps (
    organization_id  uuid        NOT NULL,
    device_id        uuid        NOT NULL,
    batch_sequence   bigint      NOT NULL,
    from_at          timestamptz NOT NULL,
    to_at            timestamptz NOT NULL,
    reason           text        NOT NULL CHECK (reason IN ('BUFFER_FULL', 'BUFFER_EXPIRED')),
    CHECK (to_at >= from_at),
    FOREIGN KEY (organization_id, device_id, batch_sequence)
        REFERENCES batches (organization_id, device_id, sequence)
);
CREATE INDEX gaps_by_device ON gaps (organization_id, device_id, from_at);

-- What the device last told us about itself (with its newest batch), so administrators can see a device that cannot
-- record and why (e.g. a Wayland session). agent_version exists since V1 (set at enrollment) and is now updated too.
ALTER TABLE devices
    ADD COLUMN last_seen_at    timestamptz,
    ADD COLUMN capture_state   text   NOT NULL DEFAULT 'UNKNOWN' CHECK (capture_state IN ('RECORDING', 'NO_DISPLAY',
        'WAYLAND_UNSUPPORTED', 'PERMISSION_MISSING', 'UNSUPPORTED_OS', 'PAUSED', 'OUTSIDE_WORKING_HOURS', 'UNKNOWN')),
    ADD COLUMN capture_detail  text   NOT NULL DEFAULT '' CHECK (length(capture_detail) <= 500),
    ADD COLUMN policy_version  bigint NOT NULL DEFAULT 0 CHECK (policy_version >= 0);
UPDATE devices d SET last_seen_at = coalesce(
    (SELECT max(b.received_at) FROM batches b WHERE b.organization_id = d.organization_id AND b.device_id = d.id),
    d.enrolled_at);
ALTER TABLE devices ALTER COLUMN last_seen_at SET NOT NULL;

-- The organization's collection policy as the wire's JSON (WireCodec), null until first set: then agents get
-- CollectionPolicy.defaults(). policy_version is authoritative (the JSON's own "version" is ignored on reading);
-- it only ever grows, so an agent can tell a newer policy from its cached one.
ALTER TABLE organizations
    ADD COLUMN policy          jsonb,
    ADD COLUMN policy_version  bigint NOT NULL DEFAULT 0 CHECK (policy_version >= 0);
