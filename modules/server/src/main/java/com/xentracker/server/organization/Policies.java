package com.xentracker.server.organization;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchOrganizationException;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.core.policy.WorkingHours;
import com.xentracker.transport.wire.WireCodec;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jdbi.v3.core.Handle;

/**
 * Organizations' collection policies in the {@code organizations} table: stored as the wire's JSON (JSONB), with a
 * version the server assigns. Read inside the caller's transaction, so an enrollment or a receipt carries the policy
 * as of its own commit.
 */
public final class Policies {

    /** Below this, a person reading a page counts as idle; above it, hours of absence count as activity. */
    public static final Duration MIN_IDLE_THRESHOLD = Duration.ofSeconds(30);
    public static final Duration MAX_IDLE_THRESHOLD = Duration.ofHours(1);
    static final int MAX_REDACTIONS = 100;
    static final int MAX_EXCLUDED_APPLICATIONS = 1000;
    static final int MAX_TEXT = 1000;
    static final int MAX_APPLICATION_NAME = 255;
    static final int MAX_INTERVALS_PER_DAY = 24;

    private final WireCodec codec;

    private Policies(WireCodec codec) {
        this.codec = codec;
    }

    public static Policies create(WireCodec codec) {
        return new Policies(Objects.requireNonNull(codec, "codec"));
    }

    /**
     * The organization's current policy: {@link CollectionPolicy#defaults()} (version 0) until one is set.
     *
     * @throws NoSuchOrganizationException when there is no such organization
     */
    public CollectionPolicy current(Handle handle, UUID organizationId) {
        Objects.requireNonNull(organizationId, "organizationId");
        return handle.createQuery("SELECT policy::text AS policy, policy_version FROM organizations WHERE id = :id")
                .bind("id", organizationId)
                .map((rs, ctx) -> fromStored(Optional.ofNullable(rs.getString("policy")), rs.getLong("policy_version")))
                .findOne()
                .orElseThrow(() -> new NoSuchOrganizationException(organizationId));
    }

    /**
     * Validates and stores a new policy with the next version (the given policy's own version is ignored). The
     * version is incremented by the UPDATE itself, so concurrent updates get distinct versions.
     *
     * @return the policy as stored, with its new version
     */
    CollectionPolicy replace(Handle handle, UUID organizationId, CollectionPolicy policy) {
        validate(policy);
        byte[] json = codec.encode(policy);
        long version = handle.createQuery("""
                        UPDATE organizations
                        SET policy_version = policy_version + 1,
                            -- the stored JSON carries the version it was stored as, so it reads the same anywhere
                            policy = jsonb_set(CAST(:policy AS jsonb), '{version}', to_jsonb(policy_version + 1))
                        WHERE id = :id RETURNING policy_version""")
                .bind("policy", new String(json, StandardCharsets.UTF_8))
                .bind("id", organizationId)
                .mapTo(Long.class)
                .findOne()
                .orElseThrow(() -> new NoSuchOrganizationException(organizationId));
        return withVersion(policy, version);
    }

    /**
     * The policy as read from an {@code organizations} row by the caller's own query (its {@code policy} JSON, none
     * until one is set, and {@code policy_version}): what {@link #current} returns, without a query of its own.
     */
    public CollectionPolicy fromStored(Optional<String> json, long version) {
        return withVersion(json.map(text -> codec.decode(text.getBytes(StandardCharsets.UTF_8),
                CollectionPolicy.class)).orElse(CollectionPolicy.defaults()), version);
    }

    private static CollectionPolicy withVersion(CollectionPolicy policy, long version) {
        return new CollectionPolicy(version, policy.collectWindowTitles(), policy.titleRedactions(),
                policy.excludedApplications(), policy.workingHours(), policy.privateTimeAllowed(),
                policy.idleThreshold(), policy.audibleKeepsActive(), policy.collectFullUrls(),
                policy.excludedDomains());
    }

    /**
     * Checks what core's records cannot: limits, and that every rule will work on every agent (a replacement that
     * names a missing group would throw on the device for every title).
     *
     * @throws InvalidRequestException naming the first problem
     */
    static void validate(CollectionPolicy policy) {
        if (policy == null) {
            throw new InvalidRequestException("a collection policy is required");
        }
        Duration idle = policy.idleThreshold();
        if (idle.compareTo(MIN_IDLE_THRESHOLD) < 0 || idle.compareTo(MAX_IDLE_THRESHOLD) > 0) {
            throw InvalidRequestException.about("idleThreshold", "the idle threshold is between 30 seconds and 1 hour,"
                    + " not " + idle);
        }
        validateRedactions(policy.titleRedactions());
        if (policy.excludedApplications().size() > MAX_EXCLUDED_APPLICATIONS) {
            throw InvalidRequestException.about("excludedApplications", "a policy excludes at most "
                    + MAX_EXCLUDED_APPLICATIONS + " applications");
        }
        for (String application : policy.excludedApplications()) {
            if (application.isBlank() || application.length() > MAX_APPLICATION_NAME
                    || application.indexOf('\0') >= 0) {
                throw InvalidRequestException.about("excludedApplications", "an excluded application's name has"
                        + " between 1 and " + MAX_APPLICATION_NAME + " characters (no NUL) and is not blank");
            }
        }
        if (policy.excludedDomains().size() > MAX_EXCLUDED_APPLICATIONS) {
            throw InvalidRequestException.about("excludedDomains", "a policy excludes at most "
                    + MAX_EXCLUDED_APPLICATIONS + " domains");
        }
        policy.workingHours().ifPresent(Policies::validate);
    }

    /**
     * Checks title redaction rules as {@link #validate(CollectionPolicy)} does (for a preview of rules being edited).
     *
     * @throws InvalidRequestException about {@code titleRedactions}, naming the rule
     */
    static void validateRedactions(List<RedactionRule> rules) {
        if (rules.size() > MAX_REDACTIONS) {
            throw InvalidRequestException.about("titleRedactions", "a policy has at most " + MAX_REDACTIONS
                    + " title redaction rules");
        }
        for (int i = 0; i < rules.size(); i++) {
            validate(rules.get(i), i + 1);
        }
    }

    private static void validate(RedactionRule rule, int number) {
        String which = "title redaction rule " + number;
        if (rule.pattern().isEmpty()) {
            throw invalidRule(which + " has an empty pattern, which would match between every letter");
        }
        if (rule.pattern().length() > MAX_TEXT || rule.replacement().length() > MAX_TEXT) {
            throw invalidRule(which + ": pattern and replacement have at most " + MAX_TEXT
                    + " characters each");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(rule.pattern());
        } catch (PatternSyntaxException e) {
            throw invalidRule(which + " is not a valid regular expression: " + e.getDescription());
        }
        if (pattern.matcher("").matches()) {
            throw invalidRule(which + " matches the empty text, so it would insert its replacement"
                    + " between every letter");
        }
        checkReplacement(pattern, rule.replacement(), which);
    }

    /**
     * Evaluates the replacement once against a match of a pattern with the same groups: {@code (?:pattern)|} has the
     * pattern's groups (numbered and named alike) and always matches the empty text, the groups being unset. A
     * reference to a group that does not exist, or a dangling {@code $} or backslash, throws here instead of on every
     * agent for every title.
     */
    private static void checkReplacement(Pattern pattern, String replacement, String which) {
        Matcher matcher;
        try {
            matcher = Pattern.compile("(?:" + pattern.pattern() + "\n)|").matcher("");
        } catch (PatternSyntaxException e) {
            // the pattern ends inside a \Q quote or an (?x) comment, which swallows our suffix: without group
            // references the replacement can still be checked against a pattern without groups
            if (replacement.indexOf('$') >= 0) {
                throw invalidRule(which + ": a replacement with $ references needs a pattern that"
                        + " does not end inside a \\Q quote or a comment");
            }
            matcher = Pattern.compile("").matcher("");
        }
        if (!matcher.find()) {
            throw new IllegalStateException("the empty alternative always matches");
        }
        try {
            matcher.appendReplacement(new StringBuilder(), replacement);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw invalidRule(which + " has an invalid replacement: " + e.getMessage()
                    + " (write \\$ for a literal dollar sign)");
        }
    }

    private static void validate(WorkingHours hours) {
        if (hours.days().values().stream().allMatch(List::isEmpty)) {
            throw invalidHours("working hours without any interval would collect nothing;"
                    + " remove the schedule instead");
        }
        for (Map.Entry<DayOfWeek, List<WorkingHours.Interval>> day : hours.days().entrySet()) {
            List<WorkingHours.Interval> sorted = new ArrayList<>(day.getValue());
            if (sorted.size() > MAX_INTERVALS_PER_DAY) {
                throw invalidHours("working hours have at most " + MAX_INTERVALS_PER_DAY
                        + " intervals per day");
            }
            sorted.sort(Comparator.comparing(WorkingHours.Interval::start));
            for (int i = 1; i < sorted.size(); i++) {
                if (sorted.get(i).start().isBefore(sorted.get(i - 1).end())) {
                    throw invalidHours("working hours on " + day.getKey() + " overlap: "
                            + sorted.get(i - 1).start() + "-" + sorted.get(i - 1).end() + " and "
                            + sorted.get(i).start() + "-" + sorted.get(i).end());
                }
            }
        }
    }

    private static InvalidRequestException invalidRule(String message) {
        return InvalidRequestException.about("titleRedactions", message);
    }

    private static InvalidRequestException invalidHours(String message) {
        return InvalidRequestException.about("workingHours", message);
    }
}
