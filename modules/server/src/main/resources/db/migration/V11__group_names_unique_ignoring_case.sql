-- Xentracker server schema, version 11: group names are unique per organization regardless of case, and a group's
-- viewer grants are found by the group.
--
-- Owners grant viewers groups by name; "Sales" and "sales" side by side would invite granting the wrong one. V7's
-- UNIQUE (organization_id, name) stays (it is what an exact-name lookup uses); this index refuses the near-duplicate.
-- No group could be created before this version's server (no use case made them), so no existing rows can clash.
CREATE UNIQUE INDEX groups_name_ignoring_case ON groups (organization_id, lower(name));

-- Deleting a group deletes its grants (ON DELETE CASCADE); without this the cascade reads all of viewer_grants.
CREATE INDEX viewer_grants_by_group ON viewer_grants (organization_id, group_id);
