package com.xentracker.server.organization;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rule would match over the last seven days (today and the six before, in the organization's time zone),
 * before it is added: the applications, sites and (for a title rule) titles with their active time, most first.
 *
 * @param titlesCollected whether the policy collects window titles; a title rule matches nothing otherwise
 * @param totalActiveMs   the active time of every match, also of those beyond the list's limit
 */
public record RuleTest(NewCategoryRule rule, LocalDate from, LocalDate to, List<Match> matches, long totalActiveMs,
        boolean titlesCollected) {

    /** At most this many matches are listed. */
    public static final int MAX_MATCHES = 50;

    /**
     * One thing the rule matches.
     *
     * @param domain          '' outside a browser
     * @param title           for a title rule, the title
     * @param currentCategory the category the time has now ('' when uncategorised); the new rule changes it only
     *                        where no rule before it in the order matches
     */
    public record Match(String application, String domain, Optional<String> title, long activeMs,
            String currentCategory) {

        public Match {
            Objects.requireNonNull(application, "application");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(currentCategory, "currentCategory");
        }
    }

    public RuleTest {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        matches = List.copyOf(matches);
    }
}
