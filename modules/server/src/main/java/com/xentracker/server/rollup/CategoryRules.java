package com.xentracker.server.rollup;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * An organization's category rules as of one transaction. A domain rule matches its domain and every subdomain and
 * wins over an application rule (a browser's time belongs to the site, not to the browser); among rules of one kind
 * the longest pattern wins. No match is the empty category.
 */
public final class CategoryRules {

    /** One rule: a lower-case pattern and the name of its category. */
    record Rule(String kind, String pattern, String category) {
    }

    private final List<Rule> domainRules;
    private final List<Rule> applicationRules;

    private CategoryRules(List<Rule> rules) {
        Comparator<Rule> longestFirst = Comparator.comparingInt((Rule r) -> r.pattern().length()).reversed()
                .thenComparing(Rule::pattern);
        this.domainRules = rules.stream().filter(r -> r.kind().equals("DOMAIN")).sorted(longestFirst).toList();
        this.applicationRules = rules.stream().filter(r -> r.kind().equals("APPLICATION")).sorted(longestFirst)
                .toList();
    }

    public static CategoryRules load(Handle handle, UUID organizationId) {
        return new CategoryRules(TenantSql.query(handle, organizationId, """
                        SELECT r.kind, r.pattern, c.name FROM category_rules r
                        JOIN categories c ON c.organization_id = r.organization_id AND c.id = r.category_id
                        WHERE r.organization_id = :organization""")
                .map((rs, ctx) -> new Rule(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list());
    }

    /**
     * The rules as another query read them (the ingest reads them with its device, in one round trip): three
     * arrays of one length, the kinds ({@code APPLICATION} or {@code DOMAIN}), the lower-case patterns and the
     * categories' names; no arrays (SQL NULL, no rules) mean no rules.
     */
    public static CategoryRules of(Optional<String[]> kinds, Optional<String[]> patterns,
            Optional<String[]> categories) {
        String[] k = kinds.orElse(new String[0]);
        String[] p = patterns.orElse(new String[0]);
        String[] c = categories.orElse(new String[0]);
        if (k.length != p.length || k.length != c.length) {
            throw new IllegalArgumentException("category rules: " + k.length + " kinds, " + p.length
                    + " patterns, " + c.length + " categories");
        }
        List<Rule> rules = new java.util.ArrayList<>(k.length);
        for (int i = 0; i < k.length; i++) {
            rules.add(new Rule(k[i], p[i], c[i]));
        }
        return new CategoryRules(rules);
    }

    /** The category of time in {@code application} on {@code domain} ('' outside a browser); '' when none. */
    public String categorize(String application, String domain) {
        if (!domain.isEmpty()) {
            String host = domain.toLowerCase(Locale.ROOT);
            for (Rule rule : domainRules) {
                if (host.equals(rule.pattern()) || host.endsWith("." + rule.pattern())) {
                    return rule.category();
                }
            }
        }
        String app = application.toLowerCase(Locale.ROOT);
        for (Rule rule : applicationRules) {
            if (app.equals(rule.pattern())) {
                return rule.category();
            }
        }
        return "";
    }
}
