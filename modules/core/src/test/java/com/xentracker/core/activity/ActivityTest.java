package com.xentracker.core.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivityTest {

    private static final Activity BROWSER = Activity.active("chromium", "/usr/lib/chromium/chromium",
            Optional.of("Docs"));

    @Test
    void onlyActiveTimeHasAWebPage() {
        assertThatThrownBy(() -> new Activity(ActivityState.IDLE, "", "", Optional.empty(),
                Optional.of(WebPage.ofDomain("example.com"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IDLE");
    }

    @Test
    void anotherSiteIsAnotherActivitySoItStartsANewSpan() {
        assertThat(BROWSER.withPage(WebPage.ofDomain("a.example")))
                .isNotEqualTo(BROWSER.withPage(WebPage.ofDomain("b.example")))
                .isNotEqualTo(BROWSER);
        assertThat(BROWSER.withPage(WebPage.ofDomain("a.example")).withoutPage()).isEqualTo(BROWSER);
    }

    @Test
    void droppingTheTitleKeepsThePage() {
        Activity onPage = BROWSER.withPage(WebPage.of("example.com", "https://example.com/x"));

        assertThat(onPage.withoutTitle().title()).isEmpty();
        assertThat(onPage.withoutTitle().page()).isEqualTo(onPage.page());
    }

    @Test
    void aPageNeedsADomainAndBoundedLengths() {
        assertThatThrownBy(() -> WebPage.ofDomain(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebPage.ofDomain("a".repeat(WebPage.MAX_DOMAIN_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebPage.of("example.com", "https://example.com/" + "a".repeat(WebPage.MAX_URL_LENGTH)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPageKeepsItsUrlOutOfToString() {
        assertThat(WebPage.of("example.com", "https://example.com/secret-path").toString())
                .contains("example.com").doesNotContain("secret-path");
    }
}
