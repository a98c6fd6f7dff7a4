package com.xentracker.server.people;

import com.xentracker.server.ConflictException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NotFoundException;
import com.xentracker.server.access.Access;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.database.DatabaseErrors;
import com.xentracker.server.rollup.RollupMoves;
import com.xentracker.server.rollup.TenantSql;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** {@link Groups} over {@code groups}, {@code group_members} and {@code viewer_grants}; scoped by {@link TenantSql}. */
final class DatabaseGroups implements Groups {

    private final Guard guard;
    private final Clock clock;

    DatabaseGroups(Guard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    /** One row of the listing statement: a group, a member or a grant. */
    private record Row(String kind, UUID groupId, String name, OffsetDateTime createdAt, int size, UUID personId,
            String displayName, UUID accountId, String email, String role, boolean detail) {
    }

    @Override
    public List<VisibleGroup> list(Actor actor) {
        return guard.run(actor, Action.VIEW_GROUPS, Subject.of("groups"), (handle, access) -> {
            boolean wholeOrganization = access.scope().wholeOrganization();
            // Grants name accounts: shown to whoever may see the accounts (owners, auditors), to nobody else.
            boolean grantsShown = Action.VIEW_ACCOUNTS.allows(access.role());
            // One statement, so that sizes, members and grants are of one moment (READ COMMITTED gives each
            // statement its own snapshot). A viewer's groups are those the guard read from its grants; their members
            // only where the grant has individual detail.
            List<Row> rows = TenantSql.query(handle, access.organizationId(), """
                            WITH visible AS (
                                SELECT g.id, g.name, g.created_at FROM groups g
                                WHERE g.organization_id = :organization
                                  AND (:whole OR g.id = ANY(CAST(:groups AS uuid[])))),
                            members AS (
                                SELECT m.group_id, p.id AS person_id, p.display_name
                                FROM group_members m
                                JOIN people p ON p.organization_id = m.organization_id AND p.id = m.person_id
                                WHERE m.organization_id = :organization AND m.group_id IN (SELECT id FROM visible))
                            SELECT 1 AS rank, 'group' AS kind, v.id AS group_id, v.name, v.created_at,
                                   (SELECT count(*) FROM members x WHERE x.group_id = v.id) AS size,
                                   NULL::uuid AS person_id, NULL::text AS display_name, NULL::uuid AS account_id,
                                   NULL::text AS email, NULL::text AS role, false AS detail, v.name AS sort,
                                   v.id AS tie
                            FROM visible v
                            UNION ALL
                            SELECT 2, 'member', x.group_id, NULL, NULL, 0, x.person_id, x.display_name, NULL, NULL,
                                   NULL, false, x.display_name, x.person_id
                            FROM members x
                            WHERE :wholeMembers OR x.group_id = ANY(CAST(:detail AS uuid[]))
                            UNION ALL
                            SELECT 3, 'grant', v.group_id, NULL, NULL, 0, NULL, NULL, a.id, a.email, a.role,
                                   v.individual_detail, a.email, a.id
                            FROM viewer_grants v
                            JOIN accounts a ON a.organization_id = v.organization_id AND a.id = v.account_id
                            WHERE :grantsShown AND v.organization_id = :organization
                              AND v.group_id IN (SELECT id FROM visible)
                            ORDER BY rank, sort, tie""")
                    .bind("whole", wholeOrganization)
                    .bind("groups", ids(access.scope().groups()))
                    .bind("wholeMembers", wholeOrganization)
                    .bind("detail", ids(access.scope().detailGroups()))
                    .bind("grantsShown", grantsShown)
                    .map((rs, ctx) -> new Row(rs.getString("kind"), rs.getObject("group_id", UUID.class),
                            rs.getString("name"), rs.getObject("created_at", OffsetDateTime.class), rs.getInt("size"),
                            rs.getObject("person_id", UUID.class), rs.getString("display_name"),
                            rs.getObject("account_id", UUID.class), rs.getString("email"), rs.getString("role"),
                            rs.getBoolean("detail")))
                    .list();
            return assemble(rows, access, grantsShown);
        });
    }

    private static List<VisibleGroup> assemble(List<Row> rows, Access access, boolean grantsShown) {
        Map<UUID, Row> groups = new LinkedHashMap<>();
        Map<UUID, List<GroupMember>> members = new LinkedHashMap<>();
        Map<UUID, List<ViewerGrant>> grants = new LinkedHashMap<>();
        for (Row row : rows) {
            switch (row.kind()) {
                case "group" -> groups.put(row.groupId(), row);
                case "member" -> members.computeIfAbsent(row.groupId(), id -> new ArrayList<>())
                        .add(new GroupMember(row.personId(), row.displayName()));
                case "grant" -> grants.computeIfAbsent(row.groupId(), id -> new ArrayList<>())
                        .add(new ViewerGrant(row.accountId(), row.email(), Role.valueOf(row.role()), row.detail()));
                default -> throw new IllegalStateException("unknown row kind " + row.kind());
            }
        }
        return groups.values().stream().map(row -> {
            boolean membersShown = access.scope().wholeOrganization()
                    || access.scope().detailGroups().contains(row.groupId());
            return new VisibleGroup(new Group(row.groupId(), row.name(), row.createdAt().toInstant()), row.size(),
                    membersShown ? Optional.of(members.getOrDefault(row.groupId(), List.of())) : Optional.empty(),
                    grantsShown ? Optional.of(grants.getOrDefault(row.groupId(), List.of())) : Optional.empty());
        }).toList();
    }

    @Override
    public Group create(Actor actor, String name) {
        String checked = checkedName(name);
        return guard.runAudited(actor, Action.CREATE_GROUP, Subject.of("group"), (handle, access) -> {
            Group group = new Group(UUID.randomUUID(), checked, clock.instant().truncatedTo(ChronoUnit.MICROS));
            // no target: any unique index refuses it, also the one that ignores case (V11)
            int inserted = TenantSql.update(handle, access.organizationId(), """
                            INSERT INTO groups (organization_id, id, name, created_at)
                            VALUES (:organization, :id, :name, :now)
                            ON CONFLICT DO NOTHING""")
                    .bind("id", group.id())
                    .bind("name", group.name())
                    .bind("now", group.createdAt())
                    .execute();
            if (inserted == 0) {
                throw nameTaken();
            }
            return Guard.Audited.of(group, subject(group.id()));
        });
    }

    @Override
    public void rename(Actor actor, UUID groupId, String name) {
        Objects.requireNonNull(groupId, "groupId");
        String checked = checkedName(name);
        guard.run(actor, Action.RENAME_GROUP, subject(groupId), (handle, access) -> {
            int renamed;
            try {
                renamed = TenantSql.update(handle, access.organizationId(),
                                "UPDATE groups SET name = :name WHERE organization_id = :organization AND id = :group")
                        .bind("name", checked)
                        .bind("group", groupId)
                        .execute();
            } catch (UnableToExecuteStatementException e) {
                if (DatabaseErrors.isUniqueViolation(e)) {
                    throw nameTaken();
                }
                throw e;
            }
            if (renamed == 0) {
                throw new NotFoundException("group " + groupId);
            }
            return null;
        });
    }

    @Override
    public void delete(Actor actor, UUID groupId) {
        Objects.requireNonNull(groupId, "groupId");
        guard.run(actor, Action.DELETE_GROUP, subject(groupId), (handle, access) -> {
            // memberships and grants go with it (ON DELETE CASCADE): a viewer granted only this group sees nothing
            int deleted = TenantSql.update(handle, access.organizationId(),
                            "DELETE FROM groups WHERE organization_id = :organization AND id = :group")
                    .bind("group", groupId)
                    .execute();
            if (deleted == 0) {
                throw new NotFoundException("group " + groupId);
            }
            return null;
        });
    }

    @Override
    public void addMember(Actor actor, UUID groupId, UUID personId) {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(personId, "personId");
        guard.run(actor, Action.ADD_GROUP_MEMBER, memberSubject(groupId, personId), (handle, access) -> {
            requireGroup(handle, access.organizationId(), groupId);
            requirePerson(handle, access.organizationId(), personId);
            TenantSql.update(handle, access.organizationId(), """
                            INSERT INTO group_members (organization_id, group_id, person_id)
                            VALUES (:organization, :group, :person)
                            ON CONFLICT DO NOTHING""")
                    .bind("group", groupId)
                    .bind("person", personId)
                    .execute();
            // the group's day summaries now lack this person's days
            RollupMoves.markGroupDays(handle, access.organizationId(), personId, Optional.of(groupId));
            return null;
        });
    }

    @Override
    public void removeMember(Actor actor, UUID groupId, UUID personId) {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(personId, "personId");
        guard.run(actor, Action.REMOVE_GROUP_MEMBER, memberSubject(groupId, personId), (handle, access) -> {
            requireGroup(handle, access.organizationId(), groupId);
            requirePerson(handle, access.organizationId(), personId);
            TenantSql.update(handle, access.organizationId(), """
                            DELETE FROM group_members
                            WHERE organization_id = :organization AND group_id = :group AND person_id = :person""")
                    .bind("group", groupId)
                    .bind("person", personId)
                    .execute();
            // the group's day summaries still hold this person's days
            RollupMoves.markGroupDays(handle, access.organizationId(), personId, Optional.of(groupId));
            return null;
        });
    }

    @Override
    public void grantViewer(Actor actor, UUID groupId, UUID accountId, boolean individualDetail) {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(accountId, "accountId");
        Subject subject = Subject.of("group " + groupId + " to account " + accountId
                + (individualDetail ? " with individual detail" : " as aggregates only"));
        guard.run(actor, Action.GRANT_VIEWER_GROUP, subject, (handle, access) -> {
            requireGroup(handle, access.organizationId(), groupId);
            // FOR SHARE: a role change of the account waits for this grant (and this one then sees the new role)
            Role role = TenantSql.query(handle, access.organizationId(), """
                            SELECT role FROM accounts WHERE organization_id = :organization AND id = :account
                            FOR SHARE""")
                    .bind("account", accountId)
                    .mapTo(String.class)
                    .findOne()
                    .map(Role::valueOf)
                    .orElseThrow(() -> new NotFoundException("account " + accountId));
            if (role != Role.VIEWER) {
                // the other roles see the whole organization: a grant would limit nothing and mislead its reader
                throw new ConflictException("only viewer accounts are given groups; this account is "
                        + role.name().toLowerCase(Locale.ROOT));
            }
            TenantSql.update(handle, access.organizationId(), """
                            INSERT INTO viewer_grants (organization_id, account_id, group_id, individual_detail)
                            VALUES (:organization, :account, :group, :detail)
                            ON CONFLICT (organization_id, account_id, group_id)
                            DO UPDATE SET individual_detail = EXCLUDED.individual_detail""")
                    .bind("account", accountId)
                    .bind("group", groupId)
                    .bind("detail", individualDetail)
                    .execute();
            return null;
        });
    }

    @Override
    public void revokeViewer(Actor actor, UUID groupId, UUID accountId) {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(accountId, "accountId");
        Subject subject = Subject.of("group " + groupId + " from account " + accountId);
        guard.run(actor, Action.REVOKE_VIEWER_GROUP, subject, (handle, access) -> {
            requireGroup(handle, access.organizationId(), groupId);
            boolean account = TenantSql.query(handle, access.organizationId(),
                            "SELECT 1 FROM accounts WHERE organization_id = :organization AND id = :account")
                    .bind("account", accountId)
                    .mapTo(Integer.class)
                    .findOne().isPresent();
            if (!account) {
                throw new NotFoundException("account " + accountId);
            }
            TenantSql.update(handle, access.organizationId(), """
                            DELETE FROM viewer_grants
                            WHERE organization_id = :organization AND account_id = :account AND group_id = :group""")
                    .bind("account", accountId)
                    .bind("group", groupId)
                    .execute();
            return null;
        });
    }

    /** Checks that the group is the organization's and keeps it from being deleted until the transaction ends. */
    private static void requireGroup(Handle handle, UUID organization, UUID groupId) {
        boolean exists = TenantSql.query(handle, organization,
                        "SELECT 1 FROM groups WHERE organization_id = :organization AND id = :group FOR KEY SHARE")
                .bind("group", groupId)
                .mapTo(Integer.class)
                .findOne().isPresent();
        if (!exists) {
            throw new NotFoundException("group " + groupId);
        }
    }

    /** Checks that the person is the organization's and keeps them from being deleted until the transaction ends. */
    private static void requirePerson(Handle handle, UUID organization, UUID personId) {
        boolean exists = TenantSql.query(handle, organization,
                        "SELECT 1 FROM people WHERE organization_id = :organization AND id = :person FOR KEY SHARE")
                .bind("person", personId)
                .mapTo(Integer.class)
                .findOne().isPresent();
        if (!exists) {
            throw new NotFoundException("person " + personId);
        }
    }

    private static String[] ids(Set<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    private static Subject subject(UUID groupId) {
        return Subject.of("group " + groupId);
    }

    /** The person as the entry's subject person, so that the audit log finds it among the person's entries. */
    private static Subject memberSubject(UUID groupId, UUID personId) {
        return new Subject(Optional.of(personId), Optional.empty(), "group " + groupId + " member " + personId);
    }

    private static ConflictException nameTaken() {
        return new ConflictException("the organization has a group of that name already (names are compared"
                + " ignoring case)");
    }

    /** Stripped; 1 to 100 characters as PostgreSQL counts them (code points), as the table's CHECK does. */
    static String checkedName(String name) {
        String stripped = name == null ? "" : name.strip();
        int length = stripped.codePointCount(0, stripped.length());
        if (length == 0 || length > Group.MAX_NAME) {
            throw new InvalidRequestException("a group's name has between 1 and " + Group.MAX_NAME + " characters");
        }
        return stripped;
    }
}
