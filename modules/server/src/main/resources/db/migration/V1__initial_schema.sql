-- Xentracker server schema, version 1.
-- Every tenant table leads its keys with organization_id, so that a later partitioning or sharding by organization
-- keeps its keys local. Times are timestamptz (UTC instants); ids are random UUIDs made by the server.

CREATE TABLE organizations (
    id                          uuid        PRIMARY KEY,
    name                        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    time_zone                   text        NOT NULL,
    -- devices encrypt their batches to this certificate (EC P-256)
    encryption_certificate_pem  text        NOT NULL,
    -- the matching private key, PKCS#8, sealed with AES-256-GCM under the server's master key (never plaintext)
    encryption_private_key      bytea       NOT NULL,
    created_at                  timestamptz NOT NULL
);

CREATE TABLE accounts (
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    id               uuid        NOT NULL,
    -- stored lower-cased; unique across organizations because sign-in is by email alone
    email            text        NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    role             text        NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'AUDITOR')),
    -- Argon2id in PHC string format; the password itself is never stored
    password_hash    text        NOT NULL,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (id),
    UNIQUE (email)
);

CREATE TABLE sessions (
    organization_id  uuid        NOT NULL,
    -- SHA-256 of the session token; the token itself lives only in the browser's cookie
    token_hash       bytea       NOT NULL CHECK (length(token_hash) = 32),
    account_id       uuid        NOT NULL,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, token_hash),
    UNIQUE (token_hash),
    FOREIGN KEY (organization_id, account_id) REFERENCES accounts (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_expiry ON sessions (organization_id, expires_at);

CREATE TABLE enrollment_tokens (
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    id               uuid        NOT NULL,
    -- SHA-256 of the token; the token is shown once when issued
    token_hash       bytea       NOT NULL CHECK (length(token_hash) = 32),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    max_uses         integer     NOT NULL CHECK (max_uses > 0),
    uses             integer     NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
    revoked_at       timestamptz,
    PRIMARY KEY (organization_id, id),
    UNIQUE (token_hash)
);

CREATE TABLE devices (
    organization_id      uuid        NOT NULL REFERENCES organizations (id),
    id                   uuid        NOT NULL,
    -- the device's Ed25519 signing key; every batch must be signed by it
    public_key_pem       text        NOT NULL,
    hostname             text        NOT NULL,
    operating_system     text        NOT NULL,
    os_user              text        NOT NULL,
    agent_version        text        NOT NULL,
    enrollment_token_id  uuid        NOT NULL,
    enrolled_at          timestamptz NOT NULL,
    revoked_at           timestamptz,
    PRIMARY KEY (organization_id, id),
    -- uploads name the device only, so it must be found by id alone
    UNIQUE (id),
    FOREIGN KEY (organization_id, enrollment_token_id) REFERENCES enrollment_tokens (organization_id, id)
);

-- One row per accepted batch. The primary key makes uploads idempotent: an agent that did not see the receipt
-- sends the same (device, sequence) again and gets the stored receipt back.
CREATE TABLE batches (
    organization_id  uuid        NOT NULL,
    device_id        uuid        NOT NULL,
    sequence         bigint      NOT NULL CHECK (sequence >= 0),
    accepted_spans   integer     NOT NULL CHECK (accepted_spans >= 0),
    received_at      timestamptz NOT NULL,
    PRIMARY KEY (organization_id, device_id, sequence),
    FOREIGN KEY (organization_id, device_id) REFERENCES devices (organization_id, id)
);

CREATE TABLE spans (
    organization_id  uuid        NOT NULL,
    device_id        uuid        NOT NULL,
    batch_sequence   bigint      NOT NULL,
    start_at         timestamptz NOT NULL,
    end_at           timestamptz NOT NULL,
    state            text        NOT NULL CHECK (state IN ('ACTIVE', 'IDLE', 'LOCKED', 'UNKNOWN')),
    application      text        NOT NULL,
    executable       text        NOT NULL,
    -- only when the organization's policy collects window titles
    title            text,
    CHECK (end_at >= start_at),
    FOREIGN KEY (organization_id, device_id, batch_sequence)
        REFERENCES batches (organization_id, device_id, sequence)
);
CREATE INDEX spans_by_time ON spans (organization_id, start_at);
CREATE INDEX spans_by_device ON spans (organization_id, device_id, start_at);

CREATE TABLE audit_log (
    organization_id   uuid        NOT NULL REFERENCES organizations (id),
    id                uuid        NOT NULL,
    occurred_at       timestamptz NOT NULL,
    -- null when the server itself or a device acted (first-run setup, enrollment)
    actor_account_id  uuid,
    action            text        NOT NULL,
    subject           text        NOT NULL,
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX audit_log_by_time ON audit_log (organization_id, occurred_at);
