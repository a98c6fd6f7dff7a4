package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.organization.Category;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.NewCategoryRule;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.Productivity;
import com.xentracker.testing.prerequisite.Prerequisites;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Screenshots of the settings pages (and the 404 page) as a person sees them, at 1280 and 390 px wide, written to
 * {@code target/screenshots/} as test artifacts: each page's HTML as the real server answered it, with the portal's
 * stylesheet beside it, rendered by headless Chromium. (The page is opened from a file, so the session cookie is not
 * needed; the stylesheet and markup are exactly what the portal serves.) Skipped without Chromium, failed under
 * {@code XT_REQUIRE_ALL=1}.
 */
class SettingsScreenshotsTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");
    private static final Path OUT = Path.of("target", "screenshots");
    private static final Instant NINE = Instant.parse("2026-11-29T08:00:00Z");

    private final Portal portal = server.portal();

    private static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    private static Span browsing(Instant from, int minutes, String domain, String title) {
        return Span.of(from, from.plus(Duration.ofMinutes(minutes)), Activity.active("chromium",
                "/usr/lib/chromium/chromium", Optional.of(title)).withPage(new WebPage(domain, Optional.empty())));
    }

    @Test
    void theSettingsPagesAreWrittenAsScreenshotsAt1280And390PixelsWide() throws Exception {
        Prerequisites.require(Files.isExecutable(CHROMIUM), "Chromium (apt-get install -y chromium)");
        Organization organization = server.newOrganization();
        Actor operator = server.operator(organization);
        var organizations = server.services().organizations();
        organizations.updatePolicy(operator, new CollectionPolicy(0, true, List.of(RedactionRule.of(
                "[\\w.]+@[\\w.]+", "[email]"), RedactionRule.of("(?i)invoice \\d+", "invoice #")),
                Set.of("keepassxc"), Optional.empty(), true, Duration.ofMinutes(5), true, false)
                .withExcludedDomains(Set.of("bank.example")));
        Category development = organizations.createCategory(operator, "Development", Productivity.PRODUCTIVE);
        Category reading = organizations.createCategory(operator, "Reading", Productivity.NEUTRAL);
        Category chat = organizations.createCategory(operator, "Chat", Productivity.UNPRODUCTIVE);
        organizations.addCategoryRule(operator, development.id(), CategoryRule.Kind.APPLICATION, "IntelliJ IDEA");
        organizations.addCategoryRule(operator, reading.id(), new NewCategoryRule(CategoryRule.Kind.DOMAIN,
                "docs.example.com", true));
        organizations.addCategoryRule(operator, development.id(), new NewCategoryRule(CategoryRule.Kind.TITLE,
                "pull request", false));
        organizations.addCategoryRule(operator, chat.id(), CategoryRule.Kind.APPLICATION, "Slack");
        UUID support = server.services().groups().create(operator, "Support").id();
        server.services().groups().create(operator, "Engineering");
        organizations.rateCategoriesForGroup(operator, support, Map.of(chat.id(), Productivity.PRODUCTIVE));
        server.deviceWith(organization, "laptop-anna", "anna", List.of(
                browsing(NINE, 40, "docs.example.com", "Release notes"),
                browsing(NINE.plus(Duration.ofMinutes(40)), 20, "github.com", "Pull request #42"),
                browsing(NINE.plus(Duration.ofMinutes(60)), 10, "news.example.org", "News")));
        String owner = portal.signIn(server.account(organization, Role.OWNER).email(), PASSWORD);
        String csrf = Portal.csrfIn(portal.get("/settings", owner).body());
        organizations.updateRetention(operator, new com.xentracker.server.organization.RetentionSettings(120, 25,
                730));

        Map<String, HttpResponse<String>> pages = new LinkedHashMap<>();
        pages.put("settings-organization", portal.get("/settings", owner));
        pages.put("settings-organization-error", portal.post("/settings", form("csrf", csrf, "name",
                organization.name(), "timeZone", "Europe/Berlin", "minimumGroupSize", "0", "silentAfterHours", "24"),
                owner));
        pages.put("settings-policy", portal.get("/settings/policy", owner));
        pages.put("settings-policy-preview", portal.post("/settings/policy/preview", List.of(
                Map.entry("csrf", csrf), Map.entry("idleMinutes", "5"), Map.entry("collectWindowTitles", "on"),
                Map.entry("redactionPattern", "[\\w.]+@[\\w.]+"), Map.entry("redactionReplacement", "[email]"),
                Map.entry("redactionPattern", "(?i)invoice \\d+"), Map.entry("redactionReplacement", "invoice #"),
                Map.entry("sample", "Re: Invoice 4711 from anna@example.org - Mail")), owner));
        pages.put("settings-categories", portal.get("/settings/categories?done=rule-added", owner));
        pages.put("settings-categories-test", portal.post("/settings/categories/rules/test", form("csrf", csrf,
                "categoryId", reading.id().toString(), "kind", "DOMAIN", "pattern", "example.com",
                "includeSubdomains", "on"), owner));
        pages.put("settings-recategorization", portal.get("/settings/categories/progress", owner));
        pages.put("settings-retention", portal.get("/settings/retention", owner));
        pages.put("settings-retention-confirm", portal.post("/settings/retention", form("csrf", csrf,
                "spanDays", "30", "rollupMonths", "12", "auditDays", "730"), owner));
        pages.put("settings-history", portal.get("/settings/history?area=POLICY", owner));
        pages.put("not-found", portal.get("/no/such/page", owner));
        pages.put("dashboard", portal.get("/dashboard", owner));

        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("portal.css"), portal.get("/portal.css").body());
        for (Map.Entry<String, HttpResponse<String>> page : pages.entrySet()) {
            assertThat(page.getValue().statusCode()).as(page.getKey()).isIn(200, 400, 404);
            Path html = OUT.resolve(page.getKey() + ".html");
            Files.writeString(html, page.getValue().body().replace("href=\"/portal.css\"", "href=\"portal.css\""));
            for (int width : new int[] {1280, 390}) {
                Path png = OUT.resolve(page.getKey() + "-" + width + ".png");
                screenshot(html, png, width);
                assertThat(png).as("%s at %d px", page.getKey(), width).isNotEmptyFile();
            }
        }
    }

    private static void screenshot(Path html, Path png, int width) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--disable-background-networking",
                "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + (width > 800 ? 2000 : 3600),
                html.toAbsolutePath().toUri().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new AssertionError("Chromium took longer than a minute for " + html);
        }
    }
}
