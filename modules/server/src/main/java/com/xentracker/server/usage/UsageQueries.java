package com.xentracker.server.usage;

import com.xentracker.server.access.Actor;

/**
 * The read side of reports, in the acting account's organization, on whole local days of the organization's time zone
 * ({@link DayRange}; "today" is the organization's, by the server's clock). Every call is one use case: the server
 * checks the role and the scope and writes one audit entry in the same transaction.
 *
 * <p>Who sees what:
 * <ul>
 *   <li>owners, administrators and auditors: the whole organization, any group, any person;</li>
 *   <li>a viewer: only the people of the groups it was given, and of those only groups with at least the minimum
 *       group size count unless it was given individual detail on them; individuals ({@link UsageFilter#person()},
 *       {@link #users}) only in the groups granted with individual detail;</li>
 *   <li>every role: a group's figures ({@link UsageFilter#group()}) only when the group has at least the
 *       organization's minimum group size, otherwise none ({@link Coverage#withheld()}).</li>
 * </ul>
 * Aggregates are audit-logged as {@code view-usage}, a person's usage and who-used-it lists as
 * {@code view-individual-usage} with the person's id where there is one.
 *
 * @see com.xentracker.server.access.Action#VIEW_USAGE
 * @see com.xentracker.server.access.Action#VIEW_INDIVIDUAL_USAGE
 */
public interface UsageQueries {

    /** How many rows a ranking holds at most; the rest is counted in {@link Ranking#more()}. */
    int RANKING_LIMIT = 100;
    /** How many applications and sites the overview lists. */
    int OVERVIEW_TOP = 10;
    /** How many people a who-used-it list holds at most (the longest users). */
    int USERS_LIMIT = 500;

    /**
     * The overview: active time per day, the productivity split, top applications and sites, silent devices.
     *
     * @throws com.xentracker.server.NotFoundException when the filter names a group or person the actor may not see
     *         (or the organization has none of that id)
     * @throws com.xentracker.server.NotPermittedException when the filter names a person and the actor may not see
     *         individuals at all
     */
    Overview overview(Actor actor, UsageFilter filter);

    /** Applications by active time ({@code ""}: the desktop itself, no window in front). Same refusals. */
    Ranking applications(Actor actor, UsageFilter filter);

    /** Web sites (domains the browsers reported) by active time. Same refusals. */
    Ranking sites(Actor actor, UsageFilter filter);

    /** Categories by active time, with the rating that applies (a group's own in its view). Same refusals. */
    CategoryRanking categories(Actor actor, UsageFilter filter);

    /**
     * Who used one application, site or category in the filter's period, by person (individual usage; a group
     * filter narrows the people, and the minimum group size does not apply: these are individuals, shown only to
     * whom may see them).
     *
     * @throws com.xentracker.server.NotPermittedException for a viewer without individual detail
     * @throws com.xentracker.server.NotFoundException as {@link #overview}
     */
    Users users(Actor actor, Dimension dimension, String name, UsageFilter filter);

    /** The groups whose team views the actor may open, and the minimum group size. */
    Teams teams(Actor actor);
}
