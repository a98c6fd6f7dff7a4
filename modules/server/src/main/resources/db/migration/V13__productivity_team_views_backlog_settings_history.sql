-- What the portal's reports and settings need: productivity ratings (per category, overridable per group), the
-- minimum group size of team views, when a device counts as silent, the backlog an agent reports, title rules with
-- an explicit priority, and a history of every settings change.

-- A category's productivity rating. Rollups keep the category's name; the rating is joined at query time, so
-- changing a rating never rewrites rollups.
ALTER TABLE categories
    ADD COLUMN productivity text NOT NULL DEFAULT 'NEUTRAL'
        CHECK (productivity IN ('PRODUCTIVE', 'NEUTRAL', 'UNPRODUCTIVE'));

-- A group may rate a category its own way (support's chat is productive, engineering's is not). The group's team
-- views use its rating; where a person is in several groups with different ratings, the organization's rating holds
-- for views that are not of one group.
CREATE TABLE category_group_ratings (
    organization_id  uuid NOT NULL,
    group_id         uuid NOT NULL,
    category_id      uuid NOT NULL,
    productivity     text NOT NULL CHECK (productivity IN ('PRODUCTIVE', 'NEUTRAL', 'UNPRODUCTIVE')),
    PRIMARY KEY (organization_id, group_id, category_id),
    FOREIGN KEY (organization_id, group_id) REFERENCES groups (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, category_id) REFERENCES categories (organization_id, id) ON DELETE CASCADE
);

-- Team views aggregate a group only when it has at least this many people, so an aggregate never stands for one
-- person (5 by default, as Microsoft Viva Insights does). A device that has not been heard of for this many hours is
-- flagged silent.
ALTER TABLE organizations
    ADD COLUMN minimum_group_size  integer NOT NULL DEFAULT 5 CHECK (minimum_group_size BETWEEN 1 AND 1000),
    ADD COLUMN silent_after_hours  integer NOT NULL DEFAULT 24 CHECK (silent_after_hours BETWEEN 1 AND 8760);

-- Rules may match a window title (only used when the policy collects titles), a domain with or without its
-- subdomains, and are tried in priority order (lower first); existing rules keep the old order (domain before
-- application, longer pattern first) among equal priorities.
ALTER TABLE category_rules DROP CONSTRAINT category_rules_kind_check;
ALTER TABLE category_rules
    ADD CONSTRAINT category_rules_kind_check CHECK (kind IN ('APPLICATION', 'DOMAIN', 'TITLE')),
    ADD COLUMN include_subdomains  boolean NOT NULL DEFAULT true,
    ADD COLUMN priority            integer NOT NULL DEFAULT 1000 CHECK (priority BETWEEN 0 AND 1000000);

-- What the agent still holds unsent, as it reported with its newest stored batch.
ALTER TABLE devices
    ADD COLUMN unsent_spans      bigint      CHECK (unsent_spans >= 0),
    ADD COLUMN oldest_unsent_at  timestamptz;

-- Every settings change, whole, as it was after the change: the portal shows the history and a change can be
-- compared with the one before. Versions count per organization and area.
CREATE TABLE settings_history (
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    area             text        NOT NULL CHECK (area IN ('ORGANIZATION', 'POLICY', 'CATEGORIES', 'RETENTION')),
    version          bigint      NOT NULL CHECK (version > 0),
    changed_at       timestamptz NOT NULL,
    changed_by       uuid,
    value            jsonb       NOT NULL,
    PRIMARY KEY (organization_id, area, version)
);
