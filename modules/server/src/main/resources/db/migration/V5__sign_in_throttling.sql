-- Xentracker server schema, version 5: guessing passwords is throttled per account, in the database, so that it
-- holds across every server node (an in-memory counter per node would multiply the attempts by the node count).
-- After 5 failed sign-ins in a row the account is locked for 1 minute, then 2, 4 … up to 1 hour per further
-- failure; a successful sign-in resets both. (V3 and V4 are other branches' migrations of the same release.)
ALTER TABLE accounts
    ADD COLUMN failed_sign_ins  integer     NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
    ADD COLUMN locked_until     timestamptz;
