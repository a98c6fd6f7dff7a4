package com.xentracker.server.usage;

import com.xentracker.server.access.Actor;
import java.time.Instant;
import java.util.List;

/**
 * Read side for dashboards, in the acting account's organization; every query is audit-logged by the server. A
 * viewer's results cover only the people of the groups it was given.
 */
public interface UsageQueries {

    /**
     * Active time per application, longest first, on whole days of the organization's time zone (usage is kept as
     * daily rollups): {@code from} and {@code to} are rounded to the nearest local midnight, so a period given in
     * local midnights (or, for zones within ±12 h, in UTC midnights) means those calendar days. At least one day.
     *
     * @throws com.xentracker.server.InvalidRequestException when {@code to} is not after {@code from}
     */
    List<ApplicationUsage> byApplication(Actor actor, Instant from, Instant to);
}
