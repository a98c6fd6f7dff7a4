package com.xentracker.server.usage;

import com.xentracker.server.NotFoundException;
import com.xentracker.server.access.Access;
import com.xentracker.server.rollup.TenantSql;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Whose usage one report counts, decided in the report's transaction from the actor's scope and the filter: the whole
 * organization (read from the per-day summaries), or an explicit list of people (read from their rollups), which may
 * be empty. This is where the minimum group size and a viewer's groups are enforced; the queries only read what it
 * says.
 *
 * @param people      empty: the whole organization; present: exactly these people
 * @param groups      present when {@code people} are exactly the members of these groups and no one is in two of them:
 *                    then the groups' per-day summaries ({@code group_days}) add up to the people's usage
 * @param silentAfter when a device counts as silent in the organization
 */
record Population(UUID organization, Coverage coverage, Optional<List<UUID>> people, Optional<List<UUID>> groups,
        Duration silentAfter) {

    /** Whether the report reads the whole organization (and may use the summaries). */
    boolean wholeOrganization() {
        return people.isEmpty();
    }

    /** The people as a SQL array parameter. */
    String[] peopleParameter() {
        return people.orElseThrow().stream().map(UUID::toString).toArray(String[]::new);
    }

    /** The groups as a SQL array parameter. */
    String[] groupsParameter() {
        return groups.orElseThrow().stream().map(UUID::toString).toArray(String[]::new);
    }

    /** Whether there is nothing to read at all. */
    boolean nobody() {
        return people.filter(List::isEmpty).isPresent();
    }

    /**
     * Resolves {@code filter} for {@code access}.
     *
     * @param individual whether the report shows individuals (a person filter or a who-used-it list): then a viewer's
     *                   people are those of its groups granted with individual detail, and the minimum group size
     *                   does not apply (whoever may see individuals may see them one by one anyway)
     * @throws NotFoundException for a group or person the actor may not see (an id of another organization included)
     */
    static Population resolve(Handle handle, Access access, UsageFilter filter, boolean individual, Clock clock) {
        UUID organization = access.organizationId();
        record Settings(ZoneId zone, int minimum, int silentAfterHours) {
        }
        Settings settings = TenantSql.query(handle, organization, """
                        SELECT time_zone, minimum_group_size, silent_after_hours
                        FROM organizations WHERE id = :organization""")
                .map((rs, ctx) -> new Settings(ZoneId.of(rs.getString(1)), rs.getInt(2), rs.getInt(3)))
                .one();
        LocalDate today = LocalDate.now(clock.withZone(settings.zone()));
        DayRange days = filter.period().resolve(today);
        boolean whole = access.scope().wholeOrganization();
        Set<UUID> granted = access.scope().groups();
        Set<UUID> detail = access.scope().detailGroups();

        List<Team> teams = TenantSql.query(handle, organization, """
                        SELECT g.id, g.name, count(m.person_id) AS size
                        FROM groups g
                        LEFT JOIN group_members m ON m.organization_id = g.organization_id AND m.group_id = g.id
                        WHERE g.organization_id = :organization
                          AND (:whole OR g.id = ANY(CAST(:groups AS uuid[])))
                        GROUP BY g.id, g.name
                        ORDER BY lower(g.name), g.id""")
                .bind("whole", whole)
                .bind("groups", ids(granted))
                .map((rs, ctx) -> new Team(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                        settings.minimum()))
                .list();
        // The people it may filter by: everyone for the organization's roles, a viewer those of its detail groups.
        List<PersonChoice> choices = !whole && detail.isEmpty() ? List.of() : TenantSql.query(handle, organization, """
                        SELECT p.id, p.display_name FROM people p
                        WHERE p.organization_id = :organization
                          AND (:whole OR p.id IN (SELECT m.person_id FROM group_members m
                                                  WHERE m.organization_id = :organization
                                                    AND m.group_id = ANY(CAST(:detail AS uuid[]))))
                        ORDER BY lower(p.display_name), p.id""")
                .bind("whole", whole)
                .bind("detail", ids(detail))
                .map((rs, ctx) -> new PersonChoice(rs.getObject(1, UUID.class), rs.getString(2)))
                .list();

        // An id the actor may not see is unknown to it, like an id of another organization.
        Optional<Team> group = filter.group().map(id -> teams.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("group " + id)));
        Optional<PersonChoice> person = filter.person().map(id -> choices.stream().filter(p -> p.id().equals(id))
                .findFirst().orElseThrow(() -> new NotFoundException("person " + id)));

        Optional<List<UUID>> people;
        Optional<List<UUID>> summarized = Optional.empty();
        boolean withheld = false;
        if (individual) {
            // whom the actor may see one by one: everyone, or a viewer the people of its detail groups
            Optional<List<UUID>> visible = whole ? Optional.empty() : Optional.of(members(handle, organization, detail));
            if (person.isPresent()) {
                boolean inGroup = group.isEmpty()
                        || members(handle, organization, Set.of(group.get().id())).contains(person.get().id());
                people = Optional.of(inGroup ? List.of(person.get().id()) : List.of());
            } else if (group.isPresent()) {
                List<UUID> inGroup = new ArrayList<>(members(handle, organization, Set.of(group.get().id())));
                visible.ifPresent(inGroup::retainAll);
                people = Optional.of(inGroup);
            } else {
                people = visible;
            }
        } else if (group.isPresent()) {
            // A team view: an aggregate of fewer people than the minimum could stand for one person.
            withheld = !group.get().aggregated();
            people = Optional.of(withheld ? List.of() : members(handle, organization, Set.of(group.get().id())));
            summarized = withheld ? Optional.empty() : Optional.of(List.of(group.get().id()));
        } else if (whole) {
            people = Optional.empty();
        } else {
            // A viewer's own aggregate: only the groups it could open as team views (or see person by person), so
            // that a small group's usage cannot be read from the viewer's totals either.
            List<UUID> counted = teams.stream().filter(t -> t.aggregated() || detail.contains(t.id()))
                    .map(Team::id).toList();
            withheld = counted.isEmpty() && !teams.isEmpty();
            Members members = membersOf(handle, organization, Set.copyOf(counted));
            people = Optional.of(members.people());
            // the groups' summaries add up to their people's usage only if nobody is counted twice
            summarized = members.disjoint() && !counted.isEmpty() ? Optional.of(counted) : Optional.empty();
        }
        Coverage coverage = new Coverage(days, settings.zone(), today, settings.minimum(), teams, choices, group,
                person, whole, withheld);
        return new Population(organization, coverage, people, summarized,
                Duration.ofHours(settings.silentAfterHours()));
    }

    private static List<UUID> members(Handle handle, UUID organization, Set<UUID> groups) {
        if (groups.isEmpty()) {
            return List.of();
        }
        return TenantSql.query(handle, organization, """
                        SELECT DISTINCT person_id FROM group_members
                        WHERE organization_id = :organization AND group_id = ANY(CAST(:groups AS uuid[]))""")
                .bind("groups", ids(groups))
                .mapTo(UUID.class)
                .list();
    }

    /** The people in any of some groups, and whether each of them is in only one of those groups. */
    private record Members(List<UUID> people, boolean disjoint) {
    }

    private static Members membersOf(Handle handle, UUID organization, Set<UUID> groups) {
        if (groups.isEmpty()) {
            return new Members(List.of(), true);
        }
        List<UUID> people = new ArrayList<>();
        boolean[] disjoint = {true};
        TenantSql.query(handle, organization, """
                        SELECT person_id, count(*) FROM group_members
                        WHERE organization_id = :organization AND group_id = ANY(CAST(:groups AS uuid[]))
                        GROUP BY person_id""")
                .bind("groups", ids(groups))
                .map((rs, ctx) -> {
                    people.add(rs.getObject(1, UUID.class));
                    disjoint[0] &= rs.getLong(2) == 1;
                    return null;
                })
                .list();
        return new Members(List.copyOf(people), disjoint[0]);
    }

    private static String[] ids(Set<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }
}
