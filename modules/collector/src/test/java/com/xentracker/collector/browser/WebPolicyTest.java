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

    private static BrowserActivity activity(String domain, String url, String title) {
        return new BrowserActivity(AT, BrowserState.ACTIVE, "Chromium", "156",
                Optional.of(new WebTab(domain, Optional.of(url), Optional.of(title), true, false)));
    }

    private static WebTab tab(WebPolicy policy, BrowserActivity activity) {
        return policy.apply(activity).tab().orElseThrow();
    }

    @Test
    void defaultsKeepTheDomainOnly() {
        WebTab tab = tab(WebPolicy.defaults(), activity("Docs.Example.COM.", "https://docs.example.com/d/1", "Plan"));

        assertThat(tab).isEqualTo(new WebTab("docs.example.com", Optional.empty(), Optional.empty(), true, false));
    }

    @Test
    void fullUrlsLoseCredentialsQueryAndFragment() {
        WebPolicy policy = new WebPolicy(true, false, Set.of());

        assertThat(tab(policy, activity("example.com", "https://u:p@Example.com:8443/a/b?q=me#x", "t")).url())
                .contains("https://example.com:8443/a/b");
        assertThat(tab(policy, activity("example.com", "http://example.com", "t")).url())
                .contains("http://example.com/");
    }

    @Test
    void urlOfAnotherHostOrSchemeIsDropped() {
        WebPolicy policy = new WebPolicy(true, false, Set.of());

        assertThat(tab(policy, activity("example.com", "https://other.example/", "t")).url()).isEmpty();
        assertThat(tab(policy, activity("example.com", "file:///etc/passwd", "t")).url()).isEmpty();
        assertThat(tab(policy, activity("example.com", "javascript:alert(1)", "t")).url()).isEmpty();
        assertThat(tab(policy, activity("example.com", "not a url", "t")).url()).isEmpty();
    }

    @Test
    void titlesAreCleanedAndCut() {
        WebPolicy policy = new WebPolicy(false, true, Set.of());

        assertThat(tab(policy, activity("example.com", "https://example.com/", " a\n\tb\u0000 ")).title()).contains("a b");
        assertThat(tab(policy, activity("example.com", "https://example.com/", "x".repeat(1000))).title().orElseThrow())
                .hasSize(WebPolicy.MAX_TITLE_LENGTH);
        assertThat(tab(policy, activity("example.com", "https://example.com/", " \n ")).title()).isEmpty();
    }

    @Test
    void excludedDomainsAndTheirSubdomainsKeepNothingButTheFact() {
        WebPolicy policy = new WebPolicy(true, true, Set.of("Bank.example"));

        assertThat(tab(policy, activity("bank.example", "https://bank.example/", "Account"))).isEqualTo(WebTab.excluded(true));
        assertThat(tab(policy, activity("www.bank.example", "https://www.bank.example/", "x")).excluded()).isTrue();
        assertThat(tab(policy, activity("notbank.example", "https://notbank.example/", "x")).excluded()).isFalse();
    }

    @Test
    void invalidDomainDropsTheTab() {
        BrowserActivity activity = activity("exa mple.com/path", "https://example.com/", "t");

        assertThat(WebPolicy.defaults().apply(activity).tab()).isEmpty();
    }

    @Test
    void invalidExcludedDomainIsAConfigurationError() {
        assertThatThrownBy(() -> new WebPolicy(false, false, Set.of("not a domain")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void organizationPolicyMapsOntoTheWebPolicy() {
        CollectionPolicy defaults = CollectionPolicy.defaults();
        CollectionPolicy all = new CollectionPolicy(3, true, defaults.titleRedactions(), Set.of(),
                defaults.workingHours(), false, defaults.idleThreshold(), true, true);

        assertThat(WebPolicy.from(defaults, Set.of())).isEqualTo(WebPolicy.defaults());
        assertThat(WebPolicy.from(all, Set.of("x.example"))).isEqualTo(new WebPolicy(true, true, Set.of("x.example")));
    }
}
