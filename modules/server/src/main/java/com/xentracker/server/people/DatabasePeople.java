package com.xentracker.server.people;

import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.NotFoundException;
import com.xentracker.server.access.Access;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.rollup.RollupMoves;
import com.xentracker.server.rollup.TenantSql;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link People} over the database; every statement is scoped through {@link TenantSql}. */
final class DatabasePeople implements People {

    static final int MAX_NAME = 200;
    /** The longest period a person's page covers (a year, with a leap day). */
    static final int MAX_PERIOD_DAYS = 366;
    /** Longer than this cannot be an OS user of a device. */
    private static final int MAX_OS_USER = 256;

    static final RowMapper<Person> PERSON = (rs, ctx) -> new Person(rs.getObject("id", UUID.class),
            rs.getString("display_name"), Optional.ofNullable(rs.getString("login")),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());

    private final Guard guard;
    private final Clock clock;

    DatabasePeople(Guard guard, Clock clock) {
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public PeopleDirectory directory(Actor actor) {
        return guard.run(actor, Action.VIEW_PEOPLE, Subject.of("people"), DatabasePeople::directory);
    }

    private static PeopleDirectory directory(Handle handle, Access access) {
        // a viewer's people: members of the groups granted with individual detail (the guard refused a viewer
        // without any); everyone else sees the whole organization
        String[] groups = access.scope().individualGroups().stream().map(UUID::toString).toArray(String[]::new);
        List<Person> people = TenantSql.query(handle, access.organizationId(), """
                        SELECT p.id, p.display_name, p.login, p.created_at FROM people p
                        WHERE p.organization_id = :organization AND %s
                        ORDER BY p.display_name, p.id""".formatted(visible(access, "p.id")))
                .bindMap(groupsOf(access, groups))
                .map(PERSON)
                .list();
        // every device's enrolled account (mapped or not) and every mapped account of an enrolled device; a
        // viewer only the accounts mapped to its people (an unmapped account is nobody's it may see)
        List<DeviceAccount> accounts = TenantSql.query(handle, access.organizationId(), """
                        SELECT d.id, d.hostname, a.os_user, u.person_id
                        FROM devices d
                        JOIN LATERAL (SELECT d.os_user
                                      UNION
                                      SELECT x.os_user FROM device_users x
                                      WHERE x.organization_id = d.organization_id AND x.device_id = d.id) a ON true
                        LEFT JOIN device_users u ON u.organization_id = d.organization_id AND u.device_id = d.id
                                                 AND u.os_user = a.os_user
                        WHERE d.organization_id = :organization AND %s
                        ORDER BY d.hostname, a.os_user, d.id""".formatted(visible(access, "u.person_id")))
                .bindMap(groupsOf(access, groups))
                .map((rs, ctx) -> new DeviceAccount(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), Optional.ofNullable(rs.getObject(4, UUID.class))))
                .list();
        return new PeopleDirectory(people, accounts);
    }

    @Override
    public PeopleListing find(Actor actor, PeopleFilter filter) {
        Objects.requireNonNull(filter, "filter");
        // ids only: what was searched for may be a name, which the audit log never holds
        Subject subject = Subject.of("people" + filter.group().map(group -> " in group " + group).orElse("")
                + (filter.text().isEmpty() ? "" : " matching a search"));
        return guard.run(actor, Action.VIEW_PEOPLE, subject, (handle, access) -> {
            UUID organization = access.organizationId();
            List<Group> groups = TenantSql.query(handle, organization, """
                            SELECT id, name, created_at FROM groups
                            WHERE organization_id = :organization AND %s
                            ORDER BY name, id""".formatted(access.scope().wholeOrganization() ? "true"
                            : "id = ANY(CAST(:groups AS uuid[]))"))
                    .bindMap(groupsOf(access))
                    .map((rs, ctx) -> new Group(rs.getObject("id", UUID.class), rs.getString("name"),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                    .list();
            if (filter.group().isPresent() && groups.stream().noneMatch(g -> g.id().equals(filter.group().get()))) {
                // another organization's group, or one a viewer was not given with individual detail
                throw new NotFoundException("group " + filter.group().get());
            }
            PeopleDirectory directory = directory(handle, access);
            record Row(UUID id, List<UUID> groups, Optional<LocalDate> lastActive) {
            }
            Map<String, Object> parameters = new HashMap<>(groupsOf(access));
            parameters.put("text", filter.text().toLowerCase(Locale.ROOT));
            parameters.put("group", filter.group().orElse(null));
            List<Row> rows = TenantSql.query(handle, organization, """
                            SELECT p.id,
                                   ARRAY(SELECT m.group_id FROM group_members m
                                         WHERE m.organization_id = p.organization_id AND m.person_id = p.id
                                         ORDER BY m.group_id) AS groups,
                                   (SELECT max(r.day) FROM rollups r
                                    WHERE r.organization_id = p.organization_id AND r.person_id = p.id) AS last_day
                            FROM people p
                            WHERE p.organization_id = :organization AND %s
                              AND (:text = '' OR strpos(lower(p.display_name), :text) > 0
                                   OR strpos(coalesce(p.login, ''), :text) > 0)
                              AND (CAST(:group AS uuid) IS NULL OR EXISTS (
                                   SELECT 1 FROM group_members m WHERE m.organization_id = p.organization_id
                                     AND m.person_id = p.id AND m.group_id = CAST(:group AS uuid)))
                            ORDER BY p.display_name, p.id""".formatted(visible(access, "p.id")))
                    .bindMap(parameters)
                    .map((rs, ctx) -> new Row(rs.getObject("id", UUID.class),
                            Arrays.stream((Object[]) rs.getArray("groups").getArray()).map(UUID.class::cast).toList(),
                            Optional.ofNullable(rs.getObject("last_day", LocalDate.class))))
                    .list();
            Map<UUID, Person> people = new HashMap<>();
            directory.people().forEach(person -> people.put(person.id(), person));
            Set<UUID> visibleGroups = new HashSet<>();
            groups.forEach(group -> visibleGroups.add(group.id()));
            List<ListedPerson> matches = rows.stream()
                    .filter(row -> people.containsKey(row.id()))
                    .map(row -> new ListedPerson(people.get(row.id()),
                            row.groups().stream().filter(visibleGroups::contains).toList(),
                            directory.accounts().stream()
                                    .filter(account -> account.person().filter(row.id()::equals).isPresent()).toList(),
                            row.lastActive()))
                    .toList();
            return new PeopleListing(matches, groups, directory);
        });
    }

    @Override
    public PersonActivity activity(Actor actor, UUID personId, LocalDate day, LocalDate first, LocalDate last) {
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (last.isBefore(first)) {
            throw new InvalidRequestException("a period must not end before it starts");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_PERIOD_DAYS) {
            throw new InvalidRequestException("a period may be at most " + MAX_PERIOD_DAYS + " days long");
        }
        // the person is the subject: an auditor can list every view of one person's timeline
        Subject subject = Subject.person(personId).and("day " + day + ", period " + first + "/" + last);
        return guard.read(actor, Action.VIEW_PERSON, subject, (handle, access) -> DatabasePersonActivity.read(
                handle, access, personId, clock, today -> new DatabasePersonActivity.Days(day, first, last)));
    }

    @Override
    public PersonActivity activityUntilToday(Actor actor, UUID personId, int days) {
        Objects.requireNonNull(personId, "personId");
        if (days < 1 || days > MAX_PERIOD_DAYS) {
            throw new InvalidRequestException("a period has between 1 and " + MAX_PERIOD_DAYS + " days");
        }
        Subject subject = Subject.person(personId).and("today, period of " + days + " days");
        return guard.read(actor, Action.VIEW_PERSON, subject, (handle, access) -> DatabasePersonActivity.read(
                handle, access, personId, clock,
                today -> new DatabasePersonActivity.Days(today, today.minusDays(days - 1L), today)));
    }

    @Override
    public PersonActivity ownActivity(Actor actor, LocalDate day, LocalDate first, LocalDate last) {
        Objects.requireNonNull(day, "day");
        checkPeriod(first, last);
        return guard.runAudited(actor, Action.VIEW_OWN_ACTIVITY, Subject.of("own activity"), (handle, access) -> {
            UUID person = access.requireOwnPerson();
            return Guard.Audited.of(DatabasePersonActivity.read(handle, access, person, clock,
                            today -> new DatabasePersonActivity.Days(day, first, last)),
                    Subject.person(person).and("own activity: day " + day + ", period " + first + "/" + last));
        });
    }

    @Override
    public PersonActivity ownActivityUntilToday(Actor actor, int days) {
        if (days < 1 || days > MAX_PERIOD_DAYS) {
            throw new InvalidRequestException("a period has between 1 and " + MAX_PERIOD_DAYS + " days");
        }
        return guard.runAudited(actor, Action.VIEW_OWN_ACTIVITY, Subject.of("own activity"), (handle, access) -> {
            UUID person = access.requireOwnPerson();
            return Guard.Audited.of(DatabasePersonActivity.read(handle, access, person, clock,
                            today -> new DatabasePersonActivity.Days(today, today.minusDays(days - 1L), today)),
                    Subject.person(person).and("own activity: today, period of " + days + " days"));
        });
    }

    private static void checkPeriod(LocalDate first, LocalDate last) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (last.isBefore(first)) {
            throw new InvalidRequestException("a period must not end before it starts");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_PERIOD_DAYS) {
            throw new InvalidRequestException("a period may be at most " + MAX_PERIOD_DAYS + " days long");
        }
    }

    @Override
    public void rename(Actor actor, UUID personId, String displayName) {
        Objects.requireNonNull(personId, "personId");
        String name = checkedName(displayName);
        guard.run(actor, Action.RENAME_PERSON, Subject.person(personId), (handle, access) -> {
            int renamed = TenantSql.update(handle, access.organizationId(), """
                            UPDATE people SET display_name = :name
                            WHERE organization_id = :organization AND id = :person""")
                    .bind("name", name)
                    .bind("person", personId)
                    .execute();
            if (renamed == 0) {
                throw new NotFoundException("person " + personId);
            }
            return null;
        });
    }

    @Override
    public void merge(Actor actor, UUID personId, UUID intoPersonId) {
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(intoPersonId, "intoPersonId");
        if (personId.equals(intoPersonId)) {
            throw new InvalidRequestException("a person cannot be merged into themselves");
        }
        Subject subject = new Subject(Optional.of(intoPersonId), Optional.empty(),
                "person " + personId + " merged into person " + intoPersonId);
        guard.run(actor, Action.MERGE_PEOPLE, subject, (handle, access) -> {
            UUID organization = access.organizationId();
            // both rows locked, in one order whichever way round two merges name them: no deadlock between them,
            // and neither person can be deleted or merged elsewhere meanwhile
            List<UUID> locked = TenantSql.query(handle, organization, """
                            SELECT id FROM people
                            WHERE organization_id = :organization AND id IN (:source, :target)
                            ORDER BY id FOR UPDATE""")
                    .bind("source", personId)
                    .bind("target", intoPersonId)
                    .mapTo(UUID.class)
                    .list();
            for (UUID id : List.of(personId, intoPersonId)) {
                if (!locked.contains(id)) {
                    throw new NotFoundException("person " + id);
                }
            }
            absorb(handle, organization, personId, intoPersonId);
            return null;
        });
    }

    /**
     * Moves everything of {@code source} to {@code target} and deletes {@code source}: its device accounts, spans,
     * rollups (rows that then coincide are added up) and group memberships. The target keeps its name and login;
     * the source's login goes with it (a new device account of that login becomes a new person until it is
     * assigned: the administrator decides, not the login). The moved days and the target's days in its new groups are
     * marked for the day summaries.
     */
    private static void absorb(Handle handle, UUID organization, UUID source, UUID target) {
        for (String sql : List.of(
                "UPDATE device_users SET person_id = :target"
                        + " WHERE organization_id = :organization AND person_id = :source",
                "UPDATE spans SET person_id = :target WHERE organization_id = :organization AND person_id = :source",
                """
                INSERT INTO group_members (organization_id, group_id, person_id)
                SELECT organization_id, group_id, :target FROM group_members
                WHERE organization_id = :organization AND person_id = :source
                ON CONFLICT DO NOTHING""")) {
            TenantSql.update(handle, organization, sql).bind("source", source).bind("target", target).execute();
        }
        RollupMoves.movePerson(handle, organization, source, target);
        // the merged person's self-service account follows them, unless the target has one already: then it goes
        // with the person (ON DELETE CASCADE), its sessions with it
        TenantSql.update(handle, organization, """
                        UPDATE accounts SET person_id = :target
                        WHERE organization_id = :organization AND person_id = :source
                          AND NOT EXISTS (SELECT 1 FROM accounts t
                                          WHERE t.organization_id = :organization AND t.person_id = :target)""")
                .bind("source", source)
                .bind("target", target)
                .execute();
        // the target's own days count in the groups it has just joined (the moved days are marked by the move)
        RollupMoves.markGroupDays(handle, organization, target, Optional.empty());
        TenantSql.update(handle, organization, "DELETE FROM people WHERE organization_id = :organization AND id = :person")
                .bind("person", source)
                .execute();
    }

    @Override
    public Person create(Actor actor, String displayName) {
        String name = checkedName(displayName);
        return guard.runAudited(actor, Action.CREATE_PERSON, Subject.none(), (handle, access) -> {
            Person person = insert(handle, access.organizationId(), name);
            return Guard.Audited.of(person, Subject.person(person.id()));
        });
    }

    @Override
    public void assign(Actor actor, UUID deviceId, String osUser, UUID personId) {
        Objects.requireNonNull(personId, "personId");
        checkOsUser(osUser);
        Subject subject = new Subject(Optional.of(personId), Optional.of(Objects.requireNonNull(deviceId, "deviceId")),
                "device " + deviceId + " account to person " + personId);
        guard.runAudited(actor, Action.ASSIGN_PERSON, subject, (handle, access) -> {
            String enrolledUser = requireAccount(handle, access, deviceId, osUser);
            requirePerson(handle, access.organizationId(), personId);
            Optional<UUID> absorbed = map(handle, access.organizationId(), deviceId, osUser, enrolledUser, personId);
            return Guard.Audited.of(null, absorbed.map(id -> subject.and("auto-created person " + id
                    + " merged into it")).orElse(subject));
        });
    }

    @Override
    public Person assignToNewPerson(Actor actor, UUID deviceId, String osUser, String displayName) {
        Objects.requireNonNull(deviceId, "deviceId");
        checkOsUser(osUser);
        String name = checkedName(displayName);
        return guard.runAudited(actor, Action.ASSIGN_PERSON, Subject.device(deviceId), (handle, access) -> {
            // the account first: no person is created for an account that turns out to be unknown
            String enrolledUser = requireAccount(handle, access, deviceId, osUser);
            Person person = insert(handle, access.organizationId(), name);
            Optional<UUID> absorbed = map(handle, access.organizationId(), deviceId, osUser, enrolledUser,
                    person.id());
            Subject done = new Subject(Optional.of(person.id()), Optional.of(deviceId),
                    "device " + deviceId + " account to new person " + person.id());
            return Guard.Audited.of(person, absorbed.map(id -> done.and("auto-created person " + id
                    + " merged into it")).orElse(done));
        });
    }

    @Override
    public void delete(Actor actor, UUID personId) {
        Objects.requireNonNull(personId, "personId");
        guard.run(actor, Action.DELETE_PERSON, Subject.person(personId), (handle, access) -> {
            UUID organization = access.organizationId();
            requirePerson(handle, organization, personId);
            // Each device that sent their data is asked, in its next upload receipts, to drop what it still keeps of
            // those batches (its sent history) and to confirm; ids and sequence numbers only.
            TenantSql.update(handle, organization, """
                            INSERT INTO device_erasures (organization_id, device_id, id, through_sequence, requested_at)
                            SELECT :organization, s.device_id, gen_random_uuid(), max(s.batch_sequence), :now
                            FROM spans s WHERE s.organization_id = :organization AND s.person_id = :person
                            GROUP BY s.device_id""")
                    .bind("person", personId).bind("now", clock.instant().truncatedTo(ChronoUnit.MICROS)).execute();
            TenantSql.update(handle, organization,
                            "DELETE FROM spans WHERE organization_id = :organization AND person_id = :person")
                    .bind("person", personId).execute();
            RollupMoves.deleteAndMark(handle, organization, RollupMoves.Owner.PERSON, personId);
            for (String sql : List.of(
                    "DELETE FROM device_users WHERE organization_id = :organization AND person_id = :person",
                    "DELETE FROM people WHERE organization_id = :organization AND id = :person")) {
                TenantSql.update(handle, organization, sql).bind("person", personId).execute();
            }
            return null;
        });
    }

    /**
     * The condition that {@code personColumn} is a person the actor may see individually: {@code true} for the whole
     * organization, else a member of the {@code :groups} (those granted with individual detail). A NULL column (an
     * unmapped device account) is never in a viewer's groups.
     */
    static String visible(Access access, String personColumn) {
        return access.scope().wholeOrganization() ? "true" : personColumn
                + " IN (SELECT m.person_id FROM group_members m WHERE m.organization_id = :organization"
                + " AND m.group_id = ANY(CAST(:groups AS uuid[])))";
    }

    /** The {@code :groups} parameter, bound only where the statement limits to groups (Jdbi refuses unused ones). */
    private static java.util.Map<String, Object> groupsOf(Access access, String[] groups) {
        return access.scope().wholeOrganization() ? java.util.Map.of() : java.util.Map.of("groups", groups);
    }

    /** {@link #groupsOf(Access, String[])} with the groups whose individuals the actor may see. */
    static java.util.Map<String, Object> groupsOf(Access access) {
        return groupsOf(access, access.scope().individualGroups().stream().map(UUID::toString)
                .toArray(String[]::new));
    }

    private Person insert(Handle handle, UUID organization, String name) {
        Person person = new Person(UUID.randomUUID(), name, Optional.empty(),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        TenantSql.update(handle, organization, """
                        INSERT INTO people (organization_id, id, display_name, created_at)
                        VALUES (:organization, :id, :name, :now)""")
                .bind("id", person.id())
                .bind("name", name)
                .bind("now", person.createdAt())
                .execute();
        return person;
    }

    /**
     * Locks the device and checks that {@code osUser} is one of its accounts (the enrolled one, or one mapped
     * before); returns the device's enrolled OS user.
     */
    private static String requireAccount(Handle handle, Access access, UUID deviceId, String osUser) {
        UUID organization = access.organizationId();
        String enrolledUser = TenantSql.query(handle, organization,
                        "SELECT os_user FROM devices WHERE organization_id = :organization AND id = :device FOR UPDATE")
                .bind("device", deviceId)
                .mapTo(String.class)
                .findOne()
                .orElseThrow(() -> new NoSuchDeviceException(deviceId));
        boolean mapped = TenantSql.query(handle, organization, """
                        SELECT 1 FROM device_users
                        WHERE organization_id = :organization AND device_id = :device AND os_user = :user""")
                .bind("device", deviceId)
                .bind("user", osUser)
                .mapTo(Integer.class)
                .findOne().isPresent();
        if (!enrolledUser.equals(osUser) && !mapped) {
            throw new NotFoundException("such device account on device " + deviceId);
        }
        return enrolledUser;
    }

    /**
     * Maps the account to the person, moving its spans and rollups. The person ingest created for the account's
     * login, left with nothing (no device account, span or rollup), is merged into the new person (its group
     * memberships go there) instead of staying behind as an empty name; returns its id if so.
     */
    private static Optional<UUID> map(Handle handle, UUID organization, UUID deviceId, String osUser,
            String enrolledUser, UUID personId) {
        Optional<UUID> before = TenantSql.query(handle, organization, """
                        SELECT person_id FROM device_users
                        WHERE organization_id = :organization AND device_id = :device AND os_user = :user""")
                .bind("device", deviceId)
                .bind("user", osUser)
                .mapTo(UUID.class)
                .findOne()
                .filter(previous -> !previous.equals(personId));
        TenantSql.update(handle, organization, """
                        INSERT INTO device_users (organization_id, device_id, os_user, person_id)
                        VALUES (:organization, :device, :user, :person)
                        ON CONFLICT (organization_id, device_id, os_user) DO UPDATE SET person_id = :person""")
                .bind("device", deviceId)
                .bind("user", osUser)
                .bind("person", personId)
                .execute();
        // Spans carry the person of the device's account; the device reports for its enrolled OS user only.
        if (enrolledUser.equals(osUser)) {
            TenantSql.update(handle, organization, """
                            UPDATE spans SET person_id = :person
                            WHERE organization_id = :organization AND device_id = :device AND person_id <> :person""")
                    .bind("device", deviceId)
                    .bind("person", personId)
                    .execute();
            RollupMoves.moveDevice(handle, organization, deviceId, personId);
        }
        return before.filter(previous -> leftWithNothing(handle, organization, previous)).map(previous -> {
            absorb(handle, organization, previous, personId);
            return previous;
        });
    }

    /** Whether {@code person} was created by ingest (it has a login) and has no device account, span or rollup. */
    private static boolean leftWithNothing(Handle handle, UUID organization, UUID person) {
        return TenantSql.query(handle, organization, """
                        SELECT p.login IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM device_users u
                                           WHERE u.organization_id = p.organization_id AND u.person_id = p.id)
                           AND NOT EXISTS (SELECT 1 FROM spans s
                                           WHERE s.organization_id = p.organization_id AND s.person_id = p.id)
                           AND NOT EXISTS (SELECT 1 FROM rollups r
                                           WHERE r.organization_id = p.organization_id AND r.person_id = p.id)
                        FROM people p WHERE p.organization_id = :organization AND p.id = :person
                        FOR UPDATE OF p""")
                .bind("person", person)
                .mapTo(Boolean.class)
                .findOne()
                .orElse(false);
    }

    private static void requirePerson(Handle handle, UUID organization, UUID personId) {
        boolean exists = TenantSql.query(handle, organization,
                        "SELECT 1 FROM people WHERE organization_id = :organization AND id = :person")
                .bind("person", personId)
                .mapTo(Integer.class)
                .findOne().isPresent();
        if (!exists) {
            throw new NotFoundException("person " + personId);
        }
    }

    static String checkedName(String displayName) {
        String name = displayName == null ? "" : displayName.strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new InvalidRequestException("a person's name has between 1 and " + MAX_NAME + " characters");
        }
        return name;
    }

    private static void checkOsUser(String osUser) {
        if (osUser == null || osUser.isEmpty() || osUser.length() > MAX_OS_USER) {
            throw new InvalidRequestException("choose a device account");
        }
    }
}
