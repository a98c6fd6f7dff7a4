package com.xentracker.core.policy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an organization allows its agents to collect. Set on the server, cached by each agent, applied at collection
 * (before anything is written on the device), not at display.
 *
 * @param version                    increases with every change, so an agent can tell a newer policy from its cache
 * @param collectWindowTitles        off by default: titles often hold personal data (mail subjects, document names)
 * @param titleRedactions            applied in order to every title before it is stored, when titles are collected
 * @param excludedApplications       application names (case-insensitive) recorded only as {@code EXCLUDED} time
 * @param workingHours               when present, nothing at all is collected outside it
 * @param privateTimeAllowed         whether the employee may pause collection (recorded only as {@code PAUSED} time)
 * @param idleThreshold              no input for this long makes the person idle
 * @param audibleKeepsActive         whether a tab or call app playing audio keeps the person active while idle
 * @param collectFullUrls            browser extension: full URLs instead of domains only
 * @param excludedDomains            web sites (a domain and its subdomains) recorded only as {@code EXCLUDED} time:
 *                                   lower-case host names such as {@code bank.example}
 */
public record CollectionPolicy(
        long version,
        boolean collectWindowTitles,
        List<RedactionRule> titleRedactions,
        Set<String> excludedApplications,
        Optional<WorkingHours> workingHours,
        boolean privateTimeAllowed,
        Duration idleThreshold,
        boolean audibleKeepsActive,
        boolean collectFullUrls,
        Set<String> excludedDomains) {

    /** Three minutes without input is idle unless the organization says otherwise. */
    public static final Duration DEFAULT_IDLE_THRESHOLD = Duration.ofMinutes(3);
    /** Labels of letters, digits and hyphens (IDNs in their xn-- form), separated by dots. */
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
            + "(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

    public CollectionPolicy {
        if (version < 0) {
            throw new IllegalArgumentException("policy version must not be negative");
        }
        titleRedactions = List.copyOf(Objects.requireNonNull(titleRedactions, "titleRedactions"));
        excludedApplications = Set.copyOf(Objects.requireNonNull(excludedApplications, "excludedApplications"));
        Objects.requireNonNull(workingHours, "workingHours");
        Objects.requireNonNull(idleThreshold, "idleThreshold");
        if (idleThreshold.isNegative() || idleThreshold.isZero()) {
            throw new IllegalArgumentException("idle threshold must be positive");
        }
        excludedDomains = Objects.requireNonNull(excludedDomains, "excludedDomains").stream()
                .map(CollectionPolicy::domain).collect(Collectors.toUnmodifiableSet());
    }

    /** A policy without excluded domains. */
    public CollectionPolicy(long version, boolean collectWindowTitles, List<RedactionRule> titleRedactions,
            Set<String> excludedApplications, Optional<WorkingHours> workingHours, boolean privateTimeAllowed,
            Duration idleThreshold, boolean audibleKeepsActive, boolean collectFullUrls) {
        this(version, collectWindowTitles, titleRedactions, excludedApplications, workingHours, privateTimeAllowed,
                idleThreshold, audibleKeepsActive, collectFullUrls, Set.of());
    }

    /** The same policy with these excluded domains. */
    public CollectionPolicy withExcludedDomains(Set<String> domains) {
        return new CollectionPolicy(version, collectWindowTitles, titleRedactions, excludedApplications, workingHours,
                privateTimeAllowed, idleThreshold, audibleKeepsActive, collectFullUrls, domains);
    }

    /** Lower-cased, without a trailing dot; a host name's characters only, so it can only ever match a domain. */
    private static String domain(String domain) {
        String d = Objects.requireNonNull(domain, "excluded domain").strip().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty() || d.length() > 253 || !DOMAIN.matcher(d).matches()) {
            throw new IllegalArgumentException("an excluded domain is a host name such as bank.example, not '"
                    + (domain.length() > 80 ? domain.substring(0, 80) + "…" : domain) + "'");
        }
        return d;
    }

    /** The least collection: app name and executable, no titles, no URLs, no exclusions, no schedule. */
    public static CollectionPolicy defaults() {
        return new CollectionPolicy(0, false, List.of(), Set.of(), Optional.empty(), false,
                DEFAULT_IDLE_THRESHOLD, false, false);
    }
}
