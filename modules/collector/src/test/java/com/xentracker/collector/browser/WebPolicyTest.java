package com.xentracker.collector.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.policy.CollectionPolicy;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebPolicyTest {

    private static final Instant AT = Instant.parse("2025-03-10T09:00:00Z");

    private static BrowserActivity activity(String domain, String url) {
        return new BrowserActivity(AT, BrowserState.ACTIVE, "Chromium", "156",
                Optional.of(new WebTab(domain, Optional.of(url), true, false)));
    }

    private static WebTab tab(WebPolicy policy, BrowserActivity activity) {
        return policy.apply(activity).tab().orElseThrow();
    }

    @Test
    void defaultsKeepTheDomainOnly() {
        WebTab tab = tab(WebPolicy.defaults(), activity("Docs.Example.COM.", "https://docs.example.com/d/1"));

        assertThat(tab).isEqualTo(new WebTab("docs.example.com", Optional.empty(), true, false));
    }

    @Test
    void fullUrlsLoseCredentialsQueryAndFragment() {
        WebPolicy policy = new WebPolicy(true, Set.of());

        assertThat(tab(policy, activity("example.com", "https://u:p@Example.com:8443/a/b?q=me#x")).url())
                .contains("https://example.com:8443/a/b");
        assertThat(tab(policy, activity("example.com", "http://example.com")).url())
                .contains("http://example.com/");
    }

    @Test
    void urlOfAnotherHostOrSchemeIsDropped() {
        WebPolicy policy = new WebPolicy(true, Set.of());

        assertThat(tab(policy, activity("example.com", "https://other.example/")).url()).isEmpty();
        assertThat(tab(policy, activity("example.com", "file:///etc/passwd")).url()).isEmpty();
        assertThat(tab(policy, activity("example.com", "javascript:alert(1)")).url()).isEmpty();
        assertThat(tab(policy, activity("example.com", "not a url")).url()).isEmpty();
    }

    @Test
    void excludedDomainsAndTheirSubdomainsKeepNothingButTheFact() {
        WebPolicy policy = new WebPolicy(true, Set.of("Bank.example"));

        assertThat(tab(policy, activity("bank.example", "https://bank.example/"))).isEqualTo(WebTab.excluded(true));
        assertThat(tab(policy, activity("www.bank.example", "https://www.bank.example/")).excluded()).isTrue();
        assertThat(tab(policy, activity("notbank.example", "https://notbank.example/")).excluded()).isFalse();
    }

    @Test
    void invalidDomainDropsTheTab() {
        BrowserActivity activity = activity("exa mple.com/path", "https://example.com/");

        assertThat(WebPolicy.defaults().apply(activity).tab()).isEmpty();
    }

    @Test
    void invalidExcludedDomainIsAConfigurationError() {
        assertThatThrownBy(() -> new WebPolicy(false, Set.of("not a domain")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void organizationPolicyMapsOntoTheWebPolicy() {
        CollectionPolicy defaults = CollectionPolicy.defaults();
        CollectionPolicy all = new CollectionPolicy(3, true, defaults.titleRedactions(), Set.of(),
                defaults.workingHours(), false, defaults.idleThreshold(), true, true);

        assertThat(WebPolicy.from(defaults)).isEqualTo(WebPolicy.defaults());
        assertThat(WebPolicy.from(all.withExcludedDomains(Set.of("X.Example."))))
                .isEqualTo(new WebPolicy(true, Set.of("x.example")));
        assertThat(WebPolicy.from(all.withExcludedDomains(Set.of("bank.example"))).excludes("www.bank.example"))
                .isTrue();
    }
}
