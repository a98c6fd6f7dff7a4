-- Xentracker server schema, version 7: the server as the trust boundary. Four roles and account states, invitations
-- and password resets, two-factor sign-in (TOTP and recovery codes), sign-in history and throttling per source
-- address, groups of people and what viewers may see of them, named enrollment tokens, and an audit log whose entries
-- form a hash chain per organization.

-- Accounts: a viewer role; an invited account has no password until its owner-issued link is used; a disabled one
-- keeps its history but cannot sign in, and its sessions are deleted when it is disabled.
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check CHECK (role IN ('OWNER', 'ADMIN', 'AUDITOR', 'VIEWER'));
ALTER TABLE accounts
    ADD COLUMN status            text        NOT NULL DEFAULT 'ACTIVE'
        CHECK (status IN ('INVITED', 'ACTIVE', 'DISABLED')),
    -- the TOTP secret (RFC 6238), sealed under the master key like organization keys (bound to the account id)
    ADD COLUMN totp_secret       bytea,
    -- set when the account confirmed its authenticator with a code; until then the secret is only pending
    ADD COLUMN totp_enabled_at   timestamptz,
    -- the newest 30-second step a code was accepted for: a code is accepted once, never again (replay)
    ADD COLUMN totp_last_step    bigint,
    ADD COLUMN password_changed_at timestamptz;
-- NULL: no password yet (invited) or none any more (an owner reset it: the old one must stop working at once)
ALTER TABLE accounts ALTER COLUMN password_hash DROP NOT NULL;
UPDATE accounts SET password_changed_at = created_at;

-- One-time links an owner hands to a person: set the password of an invited account, or a new one after a reset.
-- Only the SHA-256 of the token is stored; the link is shown once.
CREATE TABLE account_links (
    organization_id  uuid        NOT NULL,
    token_hash       bytea       NOT NULL CHECK (length(token_hash) = 32),
    account_id       uuid        NOT NULL,
    purpose          text        NOT NULL CHECK (purpose IN ('INVITATION', 'PASSWORD_RESET')),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, token_hash),
    UNIQUE (token_hash),
    FOREIGN KEY (organization_id, account_id) REFERENCES accounts (organization_id, id) ON DELETE CASCADE
);

-- Ten one-time recovery codes per account with two-factor sign-in, each stored as its SHA-256 (80 random bits each:
-- a plain hash resists guessing as well as the codes themselves).
CREATE TABLE recovery_codes (
    organization_id  uuid        NOT NULL,
    account_id       uuid        NOT NULL,
    code_hash        bytea       NOT NULL CHECK (length(code_hash) = 32),
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, account_id, code_hash),
    FOREIGN KEY (organization_id, account_id) REFERENCES accounts (organization_id, id) ON DELETE CASCADE
);

-- The step between a right password and a right second factor: a short-lived challenge bound to the account.
CREATE TABLE sign_in_challenges (
    organization_id  uuid        NOT NULL,
    token_hash       bytea       NOT NULL CHECK (length(token_hash) = 32),
    account_id       uuid        NOT NULL,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, token_hash),
    UNIQUE (token_hash),
    FOREIGN KEY (organization_id, account_id) REFERENCES accounts (organization_id, id) ON DELETE CASCADE
);

-- Failed sign-ins per source address, across all accounts and all nodes: guessing many accounts' passwords from one
-- address is throttled like guessing one account's.
CREATE TABLE sign_in_throttle (
    source_address   text        PRIMARY KEY CHECK (length(source_address) <= 64),
    failures         integer     NOT NULL CHECK (failures >= 0),
    locked_until     timestamptz,
    last_failure_at  timestamptz NOT NULL
);

-- Each account's sign-ins (successful and failed), so that a person can see their own recent ones.
CREATE TABLE sign_ins (
    organization_id  uuid        NOT NULL,
    account_id       uuid        NOT NULL,
    occurred_at      timestamptz NOT NULL,
    source_address   text        NOT NULL CHECK (length(source_address) <= 64),
    outcome          text        NOT NULL CHECK (outcome IN ('SIGNED_IN', 'WRONG_PASSWORD', 'WRONG_SECOND_FACTOR',
                                                             'LOCKED', 'RECOVERY_CODE_USED')),
    FOREIGN KEY (organization_id, account_id) REFERENCES accounts (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX sign_ins_by_account ON sign_ins (organization_id, account_id, occurred_at);

-- Organization settings: two-factor sign-in required for owners and administrators.
ALTER TABLE organizations ADD COLUMN require_two_factor boolean NOT NULL DEFAULT false;

-- Groups of people (teams, departments); a person may be in several. Viewers see only the groups they are given.
CREATE TABLE groups (
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    id               uuid        NOT NULL,
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, name)
);

CREATE TABLE group_members (
    organization_id  uuid NOT NULL,
    group_id         uuid NOT NULL,
    person_id        uuid NOT NULL,
    PRIMARY KEY (organization_id, group_id, person_id),
    FOREIGN KEY (organization_id, group_id) REFERENCES groups (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, person_id) REFERENCES people (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_by_person ON group_members (organization_id, person_id);

-- Which groups a viewer account may see, and whether it may see individuals in them (otherwise aggregates only).
CREATE TABLE viewer_grants (
    organization_id    uuid    NOT NULL,
    account_id         uuid    NOT NULL,
    group_id           uuid    NOT NULL,
    individual_detail  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (organization_id, account_id, group_id),
    FOREIGN KEY (organization_id, account_id) REFERENCES accounts (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, group_id) REFERENCES groups (organization_id, id) ON DELETE CASCADE
);

-- Enrollment tokens get a name (what they are for, e.g. "Berlin laptops") and who issued them.
ALTER TABLE enrollment_tokens
    ADD COLUMN name                   text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    ADD COLUMN issued_by_account_id   uuid;

-- The audit log as a hash chain per organization. Each entry has the next sequence number of its organization and
-- stores SHA-256 over its canonical fields and the previous entry's hash (computed by the server, which also keeps
-- the chain's head with an HMAC under a key derived from the master key: a database writer who rewrites the chain
-- cannot make a head that verifies). Entries made before this version have no hash yet: the server links them into
-- the chain, oldest first, when it starts.
ALTER TABLE audit_log
    ADD COLUMN seq                bigint,
    -- who acted: an account, the host operator (command line), a device, the server itself, or nobody known (a
    -- failed sign-in)
    ADD COLUMN actor_kind         text NOT NULL DEFAULT 'SYSTEM'
        CHECK (actor_kind IN ('ACCOUNT', 'OPERATOR', 'DEVICE', 'SYSTEM', 'ANONYMOUS')),
    ADD COLUMN subject_person_id  uuid,
    ADD COLUMN subject_device_id  uuid,
    ADD COLUMN outcome            text NOT NULL DEFAULT 'SUCCESS' CHECK (outcome IN ('SUCCESS', 'DENIED', 'FAILED')),
    ADD COLUMN prev_hash          bytea CHECK (length(prev_hash) = 32),
    ADD COLUMN hash               bytea CHECK (length(hash) = 32);
UPDATE audit_log SET actor_kind = CASE WHEN actor_account_id IS NULL THEN 'SYSTEM' ELSE 'ACCOUNT' END;
CREATE UNIQUE INDEX audit_log_chain ON audit_log (organization_id, seq);
CREATE INDEX audit_log_by_actor ON audit_log (organization_id, actor_account_id, occurred_at);
CREATE INDEX audit_log_by_person ON audit_log (organization_id, subject_person_id, occurred_at);
-- the few entries not linked into the chain yet (see above), found without reading the log
CREATE INDEX audit_log_unchained ON audit_log (organization_id) WHERE seq IS NULL;

-- The newest entry of each organization's chain; appending locks this row, so entries get gap-free sequence numbers
-- in commit order across all nodes.
CREATE TABLE audit_chain_heads (
    organization_id  uuid        PRIMARY KEY REFERENCES organizations (id),
    last_seq         bigint      NOT NULL CHECK (last_seq >= 0),
    last_hash        bytea       NOT NULL CHECK (length(last_hash) = 32),
    -- HMAC-SHA256 over (organization, last_seq, last_hash) under a key derived from the master key
    mac              bytea       NOT NULL CHECK (length(mac) = 32)
);

-- Where the chain starts after retention removed its oldest entries: the sequence number and hash of the newest
-- removed entry, with an HMAC like the head's, so the remaining chain still verifies from a trusted anchor.
CREATE TABLE audit_checkpoints (
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    seq              bigint      NOT NULL CHECK (seq >= 0),
    hash             bytea       NOT NULL CHECK (length(hash) = 32),
    mac              bytea       NOT NULL CHECK (length(mac) = 32),
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, seq)
);
