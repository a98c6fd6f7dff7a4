package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.organization.Category;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.Productivity;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The categories tab against the real server, with data uploaded as an agent does: creating and rating categories,
 * testing a rule over the last seven days before adding it, the re-categorisation it starts (queued, then done, on
 * the page and in the rollups), moving rules, group ratings, and roles that read but never change.
 */
class CategorySettingsTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final Instant NINE = Instant.parse("2026-11-29T08:00:00Z"); // 09:00 in Berlin, this Sunday

    private final Portal portal = server.portal();

    private String signIn(Organization organization, Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    private static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    private static Actor operator(Organization organization) {
        return server.operator(organization);
    }

    private static Span browsing(Instant from, int minutes, String domain, String title) {
        return Span.of(from, from.plus(Duration.ofMinutes(minutes)), Activity.active("chromium",
                "/usr/lib/chromium/chromium", Optional.of(title)).withPage(new WebPage(domain, Optional.empty())));
    }

    private static String idOf(String html, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(html);
        assertThat(matcher.find()).as("%s in the page", pattern).isTrue();
        return matcher.group(1);
    }

    @Test
    void anAdministratorTestsARuleAddsItAndThePageShowsTheRecategorisationQueuedThenDone() {
        Organization organization = server.newOrganization();
        String admin = signIn(organization, Role.ADMIN);
        server.deviceWith(organization, "laptop", "anna", List.of(
                browsing(NINE, 40, "docs.example.com", "Release notes"),
                browsing(NINE.plus(Duration.ofMinutes(40)), 20, "example.com", "Home"),
                browsing(NINE.plus(Duration.ofMinutes(60)), 10, "news.example.org", "News")));
        HttpResponse<String> empty = portal.get("/settings/categories", admin);
        assertThat(empty.body()).contains("No categories yet.").contains("No rules yet")
                .contains("Up to date").contains("Create a category first");
        String csrf = Portal.csrfIn(empty.body());

        HttpResponse<String> created = portal.post("/settings/categories/create", form("csrf", csrf,
                "newName", "Reading", "productivity", "PRODUCTIVE"), admin);
        assertThat(created.statusCode()).isEqualTo(303);
        HttpResponse<String> withCategory = portal.get(created.headers().firstValue("Location").orElseThrow(), admin);
        assertThat(withCategory.body()).contains("The category was created.").contains("value=\"Reading\"");
        String reading = idOf(withCategory.body(), "<option value=\"([0-9a-f-]{36})\"[^>]*>Reading</option>");

        HttpResponse<String> tested = portal.post("/settings/categories/rules/test", form("csrf", csrf,
                "categoryId", reading, "kind", "DOMAIN", "pattern", "https://Example.com/", "includeSubdomains", "on"),
                admin);

        assertThat(tested.statusCode()).isEqualTo(200);
        assertThat(tested.body()).contains("What this rule would match, Mon 23 Nov 2026 to Sun 29 Nov 2026")
                .contains("the site example.com and its subdomains")
                .contains("<td data-label=\"Site\">docs.example.com</td>")
                .contains("data-label=\"Active time\">40 min</td>")
                .contains("<td data-label=\"Site\">example.com</td>")
                .contains("data-label=\"Active time\">20 min</td>")
                .doesNotContain("news.example.org").contains("data-label=\"Category now\">Uncategorised</td>")
                .contains("<strong>1 h 00 min</strong>")
                .as("the form keeps the rule, normalised, ready to add").contains("value=\"example.com\"");
        assertThat(server.services().organizations().categoryRules(operator(organization))).isEmpty();

        HttpResponse<String> added = portal.post("/settings/categories/rules/add", form("csrf", csrf,
                "categoryId", reading, "kind", "DOMAIN", "pattern", "example.com", "includeSubdomains", "on"), admin);

        assertThat(added.statusCode()).isEqualTo(303);
        HttpResponse<String> queued = portal.get("/settings/categories?done=rule-added", admin);
        assertThat(queued.body()).contains("The rule was added.").contains("Queued")
                .contains("<progress max=\"100\" value=\"0\"").contains("Watch the progress")
                .contains("<span class=\"pattern\">example.com</span>");
        HttpResponse<String> progress = portal.get("/settings/categories/progress", admin);
        assertThat(progress.body()).as("the progress page offers to look again while work is pending, never reloads")
                .contains("<a class=\"action-link\" href=\"/settings/categories/progress\">Check the progress again</a>")
                .doesNotContain("http-equiv=\"refresh\"").contains("Waiting to start");
        HttpResponse<String> retested = portal.post("/settings/categories/rules/test", form("csrf", csrf,
                "kind", "DOMAIN", "pattern", "example.com", "includeSubdomains", "on"), admin);
        assertThat(retested.body()).as("the rollups are not re-categorised yet")
                .contains("data-label=\"Category now\">Uncategorised</td>");

        // the job is due 10 s after its last run (the background tick may take it first: either does the work)
        server.clock().advance(Duration.ofSeconds(11));
        server.server().runDueJobs();

        HttpResponse<String> done = portal.get("/settings/categories/progress", admin);
        assertThat(done.body()).contains("Up to date").contains("Done 2026-11-29 11:15 Europe/Berlin")
                .doesNotContain("Check the progress again").doesNotContain("<progress");
        HttpResponse<String> after = portal.post("/settings/categories/rules/test", form("csrf", csrf,
                "kind", "DOMAIN", "pattern", "example.com", "includeSubdomains", "on"), admin);
        assertThat(after.body()).as("the recorded time is in Reading now")
                .contains("data-label=\"Category now\">Reading</td>")
                .doesNotContain("data-label=\"Category now\">Uncategorised</td>");
        assertThat(server.audit(organization, "add-category-rule")).hasSize(1);
        assertThat(server.audit(organization, "test-category-rule")).hasSize(3);
    }

    @Test
    void mistakesInTheRuleFormAreShownBesideTheirFieldWithTheFormKept() {
        Organization organization = server.newOrganization();
        String owner = signIn(organization, Role.OWNER);
        Category reading = server.services().organizations().createCategory(operator(organization), "Reading");
        server.services().organizations().addCategoryRule(operator(organization), reading.id(),
                CategoryRule.Kind.DOMAIN, "example.com");
        String csrf = Portal.csrfIn(portal.get("/settings/categories", owner).body());

        HttpResponse<String> notAHost = portal.post("/settings/categories/rules/add", form("csrf", csrf,
                "categoryId", reading.id().toString(), "kind", "DOMAIN", "pattern", "not a host"), owner);
        HttpResponse<String> taken = portal.post("/settings/categories/rules/add", form("csrf", csrf,
                "categoryId", reading.id().toString(), "kind", "DOMAIN", "pattern", "Example.com"), owner);
        HttpResponse<String> noCategory = portal.post("/settings/categories/rules/add", form("csrf", csrf,
                "categoryId", "", "kind", "APPLICATION", "pattern", "editor"), owner);
        HttpResponse<String> title = portal.post("/settings/categories/rules/add", form("csrf", csrf,
                "categoryId", reading.id().toString(), "kind", "TITLE", "pattern", "invoice"), owner);
        HttpResponse<String> duplicateName = portal.post("/settings/categories/create", form("csrf", csrf,
                "newName", "Reading", "productivity", "NEUTRAL"), owner);

        assertThat(notAHost.statusCode()).isEqualTo(400);
        assertThat(notAHost.body()).contains("id=\"pattern-error\"").contains("A domain rule names a host such as"
                + " example.com.").contains("value=\"not a host\"").contains("<nav class=\"sections\"");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("id=\"pattern-error\"").contains("Another rule has this pattern already.");
        assertThat(noCategory.statusCode()).isEqualTo(400);
        assertThat(noCategory.body()).contains("id=\"categoryId-error\"").contains("value=\"editor\"");
        assertThat(title.statusCode()).isEqualTo(400);
        assertThat(title.body()).contains("id=\"kind-error\"").contains("Title rules need window titles");
        assertThat(duplicateName.statusCode()).isEqualTo(409);
        assertThat(duplicateName.body()).contains("id=\"newName-error\"").contains("value=\"Reading\"");
        assertThat(server.services().organizations().categoryRules(operator(organization))).hasSize(1);
    }

    @Test
    void rulesAreListedInTheOrderTheyAreTriedAndMoveUpAndDown() {
        Organization organization = server.newOrganization();
        String admin = signIn(organization, Role.ADMIN);
        var organizations = server.services().organizations();
        organizations.updatePolicy(operator(organization), new CollectionPolicy(0, true, List.of(), Set.of(),
                Optional.empty(), false, CollectionPolicy.DEFAULT_IDLE_THRESHOLD, false, false));
        Category planning = organizations.createCategory(operator(organization), "Planning", Productivity.PRODUCTIVE);
        Category browsing = organizations.createCategory(operator(organization), "Browsing",
                Productivity.UNPRODUCTIVE);
        organizations.addCategoryRule(operator(organization), browsing.id(), CategoryRule.Kind.APPLICATION,
                "chromium");
        CategoryRule title = organizations.addCategoryRule(operator(organization), planning.id(),
                CategoryRule.Kind.TITLE, "roadmap");
        String csrf = Portal.csrfIn(portal.get("/settings/categories", admin).body());

        HttpResponse<String> moved = portal.post("/settings/categories/rules/move", form("csrf", csrf,
                "ruleId", title.id().toString(), "direction", "earlier"), admin);

        assertThat(moved.statusCode()).isEqualTo(303);
        String page = portal.get("/settings/categories?done=rule-moved", admin).body();
        assertThat(page).contains("The rule was moved.");
        assertThat(page.indexOf("<span class=\"pattern\">roadmap</span>"))
                .isLessThan(page.indexOf("<span class=\"pattern\">chromium</span>"));
        assertThat(organizations.categoryRules(operator(organization))).extracting(CategoryRule::pattern)
                .containsExactly("roadmap", "chromium");

        // with titles off, the title rule stays but counts for nothing, and the page says so
        organizations.updatePolicy(operator(organization), CollectionPolicy.defaults());
        assertThat(portal.get("/settings/categories", admin).body())
                .contains("inactive: titles are not collected").contains("class=\"inactive\"");
    }

    @Test
    void aGroupRatesCategoriesItsOwnWay() {
        Organization organization = server.newOrganization();
        String admin = signIn(organization, Role.ADMIN);
        Category chat = server.services().organizations().createCategory(operator(organization), "Chat",
                Productivity.UNPRODUCTIVE);
        UUID support = server.services().groups().create(operator(organization), "Support").id();
        HttpResponse<String> page = portal.get("/settings/categories", admin);
        assertThat(page.body()).contains("Support <span class=\"note\">(0 of its own)</span>")
                .contains("As the organization: Unproductive");

        HttpResponse<String> saved = portal.post("/settings/categories/group-ratings", form("csrf",
                Portal.csrfIn(page.body()), "groupId", support.toString(), "rating-" + chat.id(), "PRODUCTIVE"), admin);

        assertThat(saved.statusCode()).isEqualTo(303);
        assertThat(server.services().organizations().categories(operator(organization))).singleElement()
                .satisfies(c -> assertThat(c.groupRatings()).isEqualTo(Map.of(support, Productivity.PRODUCTIVE)));
        assertThat(portal.get("/settings/categories?done=ratings", admin).body())
                .contains("The group's ratings were saved.").contains("(1 of its own)");
    }

    @Test
    void anAuditorSeesCategoriesReadOnlyAndEveryChangeIsRefused() {
        Organization organization = server.newOrganization();
        Category reading = server.services().organizations().createCategory(operator(organization), "Reading");
        CategoryRule rule = server.services().organizations().addCategoryRule(operator(organization), reading.id(),
                CategoryRule.Kind.APPLICATION, "editor");
        UUID group = server.services().groups().create(operator(organization), "Team").id();
        String auditor = signIn(organization, Role.AUDITOR);
        HttpResponse<String> page = portal.get("/settings/categories", auditor);
        String csrf = Portal.csrfIn(page.body());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Only owners and administrators change categories.")
                .contains("<span class=\"rating neutral\">Neutral</span>").doesNotContain("Create category")
                .doesNotContain("Add rule").doesNotContain("Test this rule").contains("<fieldset disabled>");
        List<HttpResponse<String>> posts = List.of(
                portal.post("/settings/categories/create", form("csrf", csrf, "newName", "Mine", "productivity",
                        "NEUTRAL"), auditor),
                portal.post("/settings/categories/update", form("csrf", csrf, "categoryId", reading.id().toString(),
                        "name", "Taken over", "productivity", "PRODUCTIVE"), auditor),
                portal.post("/settings/categories/delete", form("csrf", csrf, "categoryId",
                        reading.id().toString()), auditor),
                portal.post("/settings/categories/rules/add", form("csrf", csrf, "categoryId",
                        reading.id().toString(), "kind", "APPLICATION", "pattern", "game"), auditor),
                portal.post("/settings/categories/rules/test", form("csrf", csrf, "kind", "APPLICATION",
                        "pattern", "game"), auditor),
                portal.post("/settings/categories/rules/move", form("csrf", csrf, "ruleId", rule.id().toString(),
                        "direction", "later"), auditor),
                portal.post("/settings/categories/rules/delete", form("csrf", csrf, "ruleId",
                        rule.id().toString()), auditor),
                portal.post("/settings/categories/group-ratings", form("csrf", csrf, "groupId", group.toString(),
                        "rating-" + reading.id(), "PRODUCTIVE"), auditor));

        assertThat(posts).extracting(HttpResponse::statusCode).containsOnly(403);
        assertThat(server.services().organizations().categories(operator(organization))).singleElement()
                .satisfies(c -> assertThat(c.name()).isEqualTo("Reading"))
                .satisfies(c -> assertThat(c.rules()).hasSize(1))
                .satisfies(c -> assertThat(c.groupRatings()).isEmpty());
        assertThat(portal.get("/settings/categories/delete?category=" + reading.id(), auditor).body())
                .contains("Your role does not allow deleting categories.");
    }
}
