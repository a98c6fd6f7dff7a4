package com.xentracker.server.rollup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * An organization's category rules as of one transaction, in the order they are tried: by priority (lower first),
 * then domain rules before title rules before application rules, then the longer pattern first. The first rule that
 * matches decides; no match is the empty category (uncategorised).
 *
 * <ul>
 *   <li>An application rule matches the application's whole name, case-insensitively.</li>
 *   <li>A domain rule matches the browser tab's domain exactly, and its subdomains when it says so.</li>
 *   <li>A title rule matches a window title that contains its pattern, case-insensitively; title rules count only
 *       while the collection policy collects titles (otherwise they are left out, as if they did not exist), so that
 *       switching titles off never leaves time categorised by titles that are no longer collected.</li>
 * </ul>
 */
public final class CategoryRules {

    /**
     * The order above as an SQL {@code ORDER BY} list over {@code category_rules} columns, qualified by a table alias
     * such as {@code r.} (or ''): the one place it is written, for every query that lists rules in the order they are
     * tried.
     */
    public static String order(String alias) {
        return "%1$spriority, CASE %1$skind WHEN 'DOMAIN' THEN 0 WHEN 'TITLE' THEN 1 ELSE 2 END,"
                .formatted(alias) + " length(%1$spattern) DESC, %1$spattern".formatted(alias);
    }

    /** One rule: its kind ({@code APPLICATION}, {@code DOMAIN} or {@code TITLE}), lower-case pattern and category. */
    public record Rule(String kind, String pattern, boolean includeSubdomains, String category) {

        public Rule {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(category, "category");
        }

        boolean isTitle() {
            return kind.equals("TITLE");
        }

        /** Whether this application or domain rule matches (a title rule never does here). */
        boolean matches(String application, String domain) {
            return switch (kind) {
                case "APPLICATION" -> application.toLowerCase(Locale.ROOT).equals(pattern);
                case "DOMAIN" -> matchesDomain(domain.toLowerCase(Locale.ROOT), pattern, includeSubdomains);
                default -> false;
            };
        }
    }

    private final List<Rule> rules;

    private CategoryRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules in the order given (which must be {@link #order}'s), title rules only if titles are collected. */
    public static CategoryRules of(List<Rule> ordered, boolean titlesCollected) {
        return new CategoryRules(titlesCollected ? ordered : ordered.stream().filter(r -> !r.isTitle()).toList());
    }

    /**
     * The organization's rules and whether its policy collects titles, read in the caller's transaction with one
     * statement (the ingest reads them for every batch).
     */
    public static CategoryRules load(Handle handle, UUID organizationId) {
        boolean[] titles = {false};
        List<Rule> rules = new ArrayList<>();
        TenantSql.query(handle, organizationId, """
                        SELECT coalesce(CAST(o.policy ->> 'collectWindowTitles' AS boolean), false),
                               r.kind, r.pattern, r.include_subdomains, c.name
                        FROM organizations o
                        LEFT JOIN category_rules r ON r.organization_id = o.id
                        LEFT JOIN categories c ON c.organization_id = r.organization_id AND c.id = r.category_id
                        WHERE o.id = :organization ORDER BY\s""" + order("r."))
                .map((rs, ctx) -> {
                    titles[0] = rs.getBoolean(1);
                    return rs.getString(2) == null ? Optional.<Rule>empty() : Optional.of(new Rule(rs.getString(2),
                            rs.getString(3), rs.getBoolean(4), rs.getString(5)));
                })
                .forEach(rule -> rule.ifPresent(rules::add));
        return of(rules, titles[0]);
    }

    /** Whether a title rule takes part (the policy collects titles and there is one). */
    public boolean usesTitles() {
        return rules.stream().anyMatch(Rule::isTitle);
    }

    /**
     * The category of time in {@code application} on {@code domain} ('' outside a browser) with this window
     * title; '' when no rule matches.
     */
    public String categorize(String application, String domain, Optional<String> title) {
        String lowerTitle = title.map(t -> t.toLowerCase(Locale.ROOT)).orElse(null);
        for (Rule rule : rules) {
            boolean matches = rule.isTitle() ? lowerTitle != null && lowerTitle.contains(rule.pattern())
                    : rule.matches(application, domain);
            if (matches) {
                return rule.category();
            }
        }
        return "";
    }

    /**
     * The category of a rollup row whose title is not known (rollups keep none, and the raw spans of old days are
     * gone): the rules are tried in order as usual, but a title rule cannot be decided. A title rule of the row's
     * {@code current} category before the first matching application or domain rule may have put it there, so the
     * row keeps it; otherwise the first matching application or domain rule decides. Without title rules this is
     * exactly {@link #categorize}.
     */
    public String categorizeWithoutTitle(String application, String domain, String current) {
        for (Rule rule : rules) {
            if (rule.isTitle()) {
                if (rule.category().equals(current)) {
                    return current;
                }
            } else if (rule.matches(application, domain)) {
                return rule.category();
            }
        }
        return "";
    }

    /** The rules in the order they are tried (for tests). */
    public List<Rule> rules() {
        return new ArrayList<>(rules);
    }

    /** Whether {@code host} is {@code pattern}, or (when subdomains count) a subdomain of it; both lower case. */
    public static boolean matchesDomain(String host, String pattern, boolean includeSubdomains) {
        return host.equals(pattern) || (includeSubdomains && host.endsWith("." + pattern));
    }
}
