-- Xentracker server schema, version 17: personal API tokens for scripts that export data (curl with
-- "Authorization: Bearer ..."). A token belongs to one account and acts with that account's role as it is at each
-- request; it opens only the export actions (see Action#openToApiTokens), never a change.

CREATE TABLE api_tokens (
    organization_id  uuid        NOT NULL,
    id               uuid        NOT NULL,
    account_id       uuid        NOT NULL,
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- SHA-256 of the token; the token itself is shown once, when it is created, and never stored
    token_hash       bytea       NOT NULL CHECK (length(token_hash) = 32),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL CHECK (expires_at > created_at),
    last_used_at     timestamptz,
    revoked_at       timestamptz,
    PRIMARY KEY (organization_id, id),
    UNIQUE (token_hash),
    -- deleting the account deletes its tokens; disabling it stops them because every use reads the account's status
    FOREIGN KEY (organization_id, account_id) REFERENCES accounts (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX api_tokens_by_account ON api_tokens (organization_id, account_id);

-- Erasure reaching the devices (GDPR Art. 17): deleting a person asks each device that sent their data to drop
-- what it still keeps of the batches it sent (its sent history). Upload receipts name an erasure until the device
-- confirms it in a later batch; the row keeps when it was asked and confirmed. Ids only: no personal data, and no
-- foreign key to people (the person is gone) nor to devices (a deleted device never confirms; its row goes with it).
CREATE TABLE device_erasures (
    organization_id   uuid        NOT NULL,
    device_id         uuid        NOT NULL,
    id                uuid        NOT NULL,
    through_sequence  bigint      NOT NULL CHECK (through_sequence >= 0),
    requested_at      timestamptz NOT NULL,
    confirmed_at      timestamptz,
    PRIMARY KEY (organization_id, device_id, id)
);
CREATE INDEX device_erasures_pending ON device_erasures (device_id) WHERE confirmed_at IS NULL;
