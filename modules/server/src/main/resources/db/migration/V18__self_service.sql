-- Xentracker server schema, version 18: the employee's own view. An organization may give a person a self-service
-- account (role SELF) that shows them only their own data; it is off until an owner turns it on.

-- Off by default: a self-service account cannot sign in, nor use a session, while it is off.
ALTER TABLE organizations ADD COLUMN self_service boolean NOT NULL DEFAULT false;

-- A self-service account is linked to exactly one person of its own organization, and only it is: the database
-- refuses a SELF account without a person and any other account with one. At most one such account per person.
-- Deleting the person (erasure) or merging them away deletes the account with its sessions and links: it would
-- have nothing left to show (a merge moves the account to the person merged into first, when that one has none).
ALTER TABLE accounts DROP CONSTRAINT accounts_role_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_role_check
    CHECK (role IN ('OWNER', 'ADMIN', 'AUDITOR', 'VIEWER', 'SELF'));
ALTER TABLE accounts ADD COLUMN person_id uuid;
ALTER TABLE accounts ADD CONSTRAINT accounts_self_person CHECK ((role = 'SELF') = (person_id IS NOT NULL));
ALTER TABLE accounts ADD CONSTRAINT accounts_person_fk FOREIGN KEY (organization_id, person_id)
    REFERENCES people (organization_id, id) ON DELETE CASCADE;
CREATE UNIQUE INDEX accounts_one_per_person ON accounts (organization_id, person_id) WHERE person_id IS NOT NULL;
