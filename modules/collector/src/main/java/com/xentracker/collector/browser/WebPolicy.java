package com.xentracker.collector.browser;

import com.xentracker.core.policy.CollectionPolicy;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the organization allows the agent to keep of browser activity. Applied by the endpoint to every event before
 * it reaches a listener, whatever the extension sent: an extension with a stale or tampered configuration cannot
 * make the agent store more than this allows.
 *
 * @param collectFullUrls       keep the URL (without credentials, query and fragment); off: the domain only
 * @param excludedDomains       domains (and their subdomains) of which only the fact of an excluded tab is kept (the
 *                              agent records that time as {@code EXCLUDED})
 */
public record WebPolicy(boolean collectFullUrls, Set<String> excludedDomains) {


    public WebPolicy {
        Objects.requireNonNull(excludedDomains, "excludedDomains");
        excludedDomains = excludedDomains.stream()
                .map(domain -> UrlRules.normalizeDomain(domain).orElseThrow(
                        () -> new IllegalArgumentException("not a domain name: " + domain)))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The least collection: domains only, no exclusions. */
    public static WebPolicy defaults() {
        return new WebPolicy(false, Set.of());
    }

    /** The web part of the organization's collection policy: URLs or domains only, and the excluded domains. */
    public static WebPolicy from(CollectionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return new WebPolicy(policy.collectFullUrls(), policy.excludedDomains());
    }

    /** Whether {@code domain} is one of the excluded domains or a subdomain of one. */
    public boolean excludes(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        for (String excluded : excludedDomains) {
            if (d.equals(excluded) || d.endsWith("." + excluded)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The activity as this policy allows it to be kept: an invalid domain drops the tab, an excluded domain keeps
     * only the fact of an excluded tab, the URL is reduced to scheme, host, port and path (or dropped).
     */
    public BrowserActivity apply(BrowserActivity activity) {
        Objects.requireNonNull(activity, "activity");
        return activity.withTab(activity.tab().flatMap(this::apply));
    }

    private Optional<WebTab> apply(WebTab tab) {
        if (tab.excluded()) {
            return Optional.of(WebTab.excluded(tab.audible()));
        }
        Optional<String> domain = UrlRules.normalizeDomain(tab.domain());
        if (domain.isEmpty()) {
            return Optional.empty();
        }
        if (excludes(domain.get())) {
            return Optional.of(WebTab.excluded(tab.audible()));
        }
        Optional<String> url = collectFullUrls
                ? tab.url().flatMap(u -> UrlRules.sanitizeUrl(u, domain.get())) : Optional.empty();
        return Optional.of(new WebTab(domain.get(), url, tab.audible(), false));
    }
}
