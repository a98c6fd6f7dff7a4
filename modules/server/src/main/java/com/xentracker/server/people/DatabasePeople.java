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
    /** Longer than this cannot be an OS user of a device. */
    private static final int MAX_OS_USER = 256;

    private static final RowMapper<Person> PERSON = (rs, ctx) -> new Person(rs.getObject("id", UUID.class),
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
        return guard.run(actor, Action.VIEW_PEOPLE, Subject.of("people"), (handle, access) -> {
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
        });
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
        guard.run(actor, Action.ASSIGN_PERSON, subject, (handle, access) -> {
            String enrolledUser = requireAccount(handle, access, deviceId, osUser);
            requirePerson(handle, access.organizationId(), personId);
            map(handle, access.organizationId(), deviceId, osUser, enrolledUser, personId);
            return null;
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
            map(handle, access.organizationId(), deviceId, osUser, enrolledUser, person.id());
            return Guard.Audited.of(person, new Subject(Optional.of(person.id()), Optional.of(deviceId),
                    "device " + deviceId + " account to new person " + person.id()));
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
    private static String visible(Access access, String personColumn) {
        return access.scope().wholeOrganization() ? "true" : personColumn
                + " IN (SELECT m.person_id FROM group_members m WHERE m.organization_id = :organization"
                + " AND m.group_id = ANY(CAST(:groups AS uuid[])))";
    }

    /** The {@code :groups} parameter, bound only where the statement limits to groups (Jdbi refuses unused ones). */
    private static java.util.Map<String, Object> groupsOf(Access access, String[] groups) {
        return access.scope().wholeOrganization() ? java.util.Map.of() : java.util.Map.of("groups", groups);
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

    private static void map(Handle handle, UUID organization, UUID deviceId, String osUser, String enrolledUser,
            UUID personId) {
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
