-- Xentracker server schema, version 4 (issue 5, transport): per-batch arrival facts (clock skew, batch id), holes in
-- each device's sequence numbers, keys that may never enroll again, retired organization keys, and the gap reason
-- for a batch the agent had to drop. Depends on V1 and V2 only.

-- One row per stored batch (a repeat adds nothing): what the agent's signed binding and clock said on arrival.
-- clock_skew_ms = device clock − server clock when the request arrived (positive: the device is ahead); NULL when
-- the agent did not send its clock. Kept per batch, so a report can tell a drifting device from a wrong timestamp.
CREATE TABLE batch_arrivals (
    organization_id  uuid        NOT NULL,
    device_id        uuid        NOT NULL,
    sequence         bigint      NOT NULL,
    batch_id         uuid        NOT NULL,
    received_at      timestamptz NOT NULL,
    device_time      timestamptz,
    clock_skew_ms    bigint,
    PRIMARY KEY (organization_id, device_id, sequence),
    FOREIGN KEY (organization_id, device_id) REFERENCES devices (organization_id, id)
);

-- Sequence numbers a device skipped: [first_missing, last_missing] had not arrived when a higher one did. A batch
-- that arrives late narrows or removes its hole; what stays is data the agent dropped (it reports a gap for it too)
-- or lost. Recorded, never hidden.
CREATE TABLE sequence_gaps (
    organization_id  uuid        NOT NULL,
    device_id        uuid        NOT NULL,
    first_missing    bigint      NOT NULL,
    last_missing     bigint      NOT NULL,
    detected_at      timestamptz NOT NULL,
    CHECK (last_missing >= first_missing),
    PRIMARY KEY (organization_id, device_id, first_missing),
    FOREIGN KEY (organization_id, device_id) REFERENCES devices (organization_id, id)
);

-- Every device key that ever enrolled, by the SHA-256 of its DER SubjectPublicKeyInfo. Deliberately without a
-- foreign key: deleting or revoking a device leaves its key here, so the same key can never enroll again (a revoked
-- or deleted device does not silently reappear by enrolling with a fresh token).
CREATE TABLE enrolled_device_keys (
    organization_id   uuid        NOT NULL REFERENCES organizations (id),
    public_key_sha256 bytea       NOT NULL,
    device_id         uuid        NOT NULL,
    enrolled_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, public_key_sha256),
    -- once across all organizations: the same key cannot come back elsewhere either
    UNIQUE (public_key_sha256)
);
-- Existing devices: the digest of the DER inside their PEM, as Enrollment computes it. A row whose PEM does not
-- decode (it could never have verified a batch) is skipped with a warning rather than failing the upgrade.
DO $$
DECLARE
    d record;
BEGIN
    FOR d IN SELECT organization_id, id, public_key_pem, enrolled_at FROM devices ORDER BY enrolled_at, id LOOP
        BEGIN
            INSERT INTO enrolled_device_keys (public_key_sha256, organization_id, device_id, enrolled_at)
            VALUES (sha256(decode(regexp_replace(d.public_key_pem, '-----[A-Z ]+-----|\s', '', 'g'), 'base64')),
                    d.organization_id, d.id, d.enrolled_at)
            ON CONFLICT DO NOTHING;
        EXCEPTION WHEN others THEN
            RAISE WARNING 'device % has an undecodable public key; it is not listed as enrolled', d.id;
        END;
    END LOOP;
END $$;

-- Organization encryption keys replaced by a rotation: still able to open batches agents sealed before they learnt
-- the new certificate (an agent may have been offline for weeks). Private keys sealed under the master key exactly
-- like organizations.encryption_private_key (bound to the organization id).
CREATE TABLE retired_organization_keys (
    organization_id            uuid        NOT NULL REFERENCES organizations (id),
    encryption_certificate_pem text        NOT NULL,
    encryption_private_key     bytea       NOT NULL,
    retired_at                 timestamptz NOT NULL,
    PRIMARY KEY (organization_id, retired_at)
);

-- A batch the server refused for good is dropped by the agent, which reports the time it covered as a gap.
ALTER TABLE gaps DROP CONSTRAINT IF EXISTS gaps_reason_check;
ALTER TABLE gaps ADD CONSTRAINT gaps_reason_check
    CHECK (reason IN ('BUFFER_FULL', 'BUFFER_EXPIRED', 'UPLOAD_REJECTED'));
