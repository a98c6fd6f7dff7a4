package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.organization.Category;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.NewCategoryRule;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.Productivity;
import com.xentracker.server.people.Group;
import com.xentracker.server.people.Person;
import com.xentracker.server.spi.WebRoutes;
import com.xentracker.testing.prerequisite.Prerequisites;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.CaptureState;
import io.javalin.http.Handler;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every page the portal registers, rendered by real headless Chromium from the real server and portal, with the data
 * of a working week uploaded by enrolled devices (so charts and timelines have bars): axe-core finds no critical or
 * serious violation at 1280 or 390 px wide, the page reads and its forms work with JavaScript off (no script, no
 * inline handler, no {@code javascript:} URL, every form a plain GET or POST with an action and a button, content in
 * {@code main}), nothing is wider than a 390 px screen, and full-page screenshots at both widths are written to
 * {@code target/screenshots/pages/} as test artifacts.
 *
 * <p>The pages come from the routes {@link PortalWebModule} really registers: a GET route without a case here fails
 * {@link #everyRegisteredPageHasACase()}. The browser side is {@code src/test/browser/pages.mjs} (playwright-core on
 * Debian's Chromium, never a downloaded browser, and axe-core, both pinned in its package-lock.json; {@code ./test}
 * runs {@code npm ci} there). Without node, Chromium or those packages the test is skipped, under
 * {@code XT_REQUIRE_ALL=1} it fails.
 *
 * <p>{@code -Dxt.readme.screenshots=<absolute directory>} also copies the overview (last 7 days) and the person page at
 * 1280 px there, as {@code overview.png} and {@code person.png}: the README's pictures ({@code docs/screenshots/},
 * made smaller with {@code pngquant} and {@code optipng} by hand).
 */
class EveryPageInChromiumTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    /** The test clock's day in Auckland (10:15 UTC is 23:15 there). */
    private static final LocalDate TODAY = LocalDate.parse("2026-11-29");
    private static final Path BROWSER = Path.of("src", "test", "browser");
    private static final Path OUT = Path.of("target", "screenshots", "pages");
    private static final Pattern SETUP_LINK = Pattern.compile("value=\"[^\"]*(/account/setup\\?token=[^\"]+)\"");
    private static final Pattern SECRET = Pattern.compile("<code class=\"secret\">([A-Z2-7 ]+)</code>");

    /** GET routes that are not pages: redirects, the stylesheet and downloads. */
    private static final Map<String, String> NOT_PAGES = Map.of(
            "/", "redirects to the overview",
            "/dashboard", "the overview's old address, redirects",
            "/portal.css", "the stylesheet every page loads",
            "/exports/download", "a CSV download",
            "/exports/access-package", "a ZIP download",
            "/me/package", "a self account's own ZIP download");

    private static Organization organization;
    private static Person aroha;
    private static UUID arohaLaptop;
    private static Group engineering;
    private static Group support;
    private static Category news;
    private static Account viewer;
    private static Account self;
    private static String owner;
    private static String ownerCsrf;

    /** One page for the browser: what to request, as whom, and the status it must answer. */
    record Page(String name, String path, String cookies, Optional<List<List<String>>> form, int status) {

        static Page get(String name, String path, String cookies) {
            return new Page(name, path, cookies, Optional.empty(), 200);
        }

        Page answering(int expected) {
            return new Page(name, path, cookies, form, expected);
        }

        /** The answer to {@code form} POSTed to {@link #path} (with the session's CSRF token first). */
        static Page post(String name, String path, String cookies, String csrf, String... pairs) {
            List<List<String>> form = new ArrayList<>();
            form.add(List.of("csrf", csrf));
            for (int i = 0; i < pairs.length; i += 2) {
                form.add(List.of(pairs[i], pairs[i + 1]));
            }
            return new Page(name, path, cookies, Optional.of(form), 200);
        }

        String route() {
            return path.split("\\?", 2)[0];
        }
    }

    private static Instant at(LocalDate day, String hhmm) {
        return day.atTime(LocalTime.parse(hhmm)).atZone(AUCKLAND).toInstant();
    }

    private static Span active(LocalDate day, String application, String from, String to) {
        return Span.of(at(day, from), at(day, to), Activity.active(application, "/usr/bin/" + application,
                Optional.of(application + " – work")));
    }

    private static Span browsing(LocalDate day, String domain, String title, String from, String to) {
        return Span.of(at(day, from), at(day, to), Activity.active("firefox", "/usr/bin/firefox", Optional.of(title))
                .withPage(WebPage.ofDomain(domain)));
    }

    /** A working day: editor, mail, a browser on three sites, idle and locked stretches, private time. */
    private static List<Span> workingDay(LocalDate day, int shiftMinutes) {
        String start = LocalTime.parse("08:05").plusMinutes(shiftMinutes).toString();
        return List.of(
                active(day, "code", start, "09:40"),
                Span.of(at(day, "09:40"), at(day, "09:52"), Activity.of(ActivityState.IDLE)),
                active(day, "thunderbird", "09:52", "10:20"),
                browsing(day, "docs.example.org", "Release notes", "10:20", "10:50"),
                browsing(day, "news.example.com", "Morning news", "10:50", "11:05"),
                browsing(day, "github.com", "Pull request #42", "11:05", "11:40"),
                active(day, "code", "11:40", "12:30"),
                Span.of(at(day, "12:30"), at(day, "13:15"), Activity.of(ActivityState.LOCKED)),
                Span.of(at(day, "13:15"), at(day, "13:45"), Activity.of(ActivityState.PAUSED)),
                active(day, "slack", "13:45", "14:10"),
                active(day, "code", "15:10", "17:20"),
                Span.of(at(day, "17:20"), at(day, "17:30"), Activity.of(ActivityState.EXCLUDED)));
    }

    @BeforeAll
    static void aWorkingWeek() {
        organization = server.server().administration().createOrganization("Harbour Ltd", AUCKLAND);
        Actor operator = server.operator(organization);
        var organizations = server.services().organizations();
        organizations.updatePolicy(operator, new CollectionPolicy(0, true, List.of(RedactionRule.of(
                "[\\w.]+@[\\w.]+", "[email]")), Set.of("keepassxc"), Optional.empty(), true, Duration.ofMinutes(5),
                true, false).withExcludedDomains(Set.of("bank.example")));
        Category development = organizations.createCategory(operator, "Development", Productivity.PRODUCTIVE);
        Category communication = organizations.createCategory(operator, "Communication", Productivity.NEUTRAL);
        news = organizations.createCategory(operator, "News", Productivity.UNPRODUCTIVE);
        organizations.addCategoryRule(operator, development.id(), CategoryRule.Kind.APPLICATION, "code");
        organizations.addCategoryRule(operator, development.id(), new NewCategoryRule(CategoryRule.Kind.DOMAIN,
                "github.com", true));
        organizations.addCategoryRule(operator, development.id(), new NewCategoryRule(CategoryRule.Kind.TITLE,
                "pull request", false));
        organizations.addCategoryRule(operator, communication.id(), CategoryRule.Kind.APPLICATION, "thunderbird");
        organizations.addCategoryRule(operator, communication.id(), CategoryRule.Kind.APPLICATION, "slack");
        organizations.addCategoryRule(operator, news.id(), CategoryRule.Kind.DOMAIN, "news.example.com");

        // six people with a week each; Aroha's laptop also reports a lost hour and a backlog
        TestAgent laptop = null;
        String[] logins = {"aroha", "ben", "chen", "dana", "emre", "farah"};
        for (int i = 0; i < logins.length; i++) {
            TestAgent device = server.deviceWith(organization, logins[i] + "-laptop", logins[i], List.of());
            for (int day = 6; day >= 1; day--) {
                device.upload(workingDay(TODAY.minusDays(day), (day * 7 + i * 11) % 50), Optional.empty(),
                        Optional.empty());
            }
            device.upload(workingDay(TODAY, i * 9), i == 0 ? List.of(Gap.of(at(TODAY, "14:10"), at(TODAY, "15:10"),
                    GapReason.BUFFER_FULL)) : List.of(), Optional.of(new AgentState("0.3.0", CaptureState.RECORDING,
                    "", 1).withBacklog(i == 0 ? AgentState.Backlog.of(320, Optional.of(at(TODAY, "17:31")))
                    : AgentState.Backlog.of(0, Optional.empty()))),
                    Optional.empty());
            if (i == 0) {
                laptop = device;
            }
        }
        server.deviceWith(organization, "kiosk-7", "kiosk", List.of(active(TODAY.minusDays(3), "firefox", "07:00",
                "07:20")));
        arohaLaptop = laptop.id();
        List<Person> people = server.services().people().directory(operator).people();
        var groups = server.services().groups();
        engineering = groups.create(operator, "Engineering");
        support = groups.create(operator, "Support");
        for (Person person : people) {
            String login = person.login().orElse("");
            if (login.equals("aroha")) {
                aroha = person;
                server.services().people().rename(operator, person.id(), "Aroha Ngata");
            }
            if (!login.equals("kiosk")) {
                groups.addMember(operator, engineering.id(), person.id());
            }
            if (login.equals("ben") || login.equals("kiosk")) {
                groups.addMember(operator, support.id(), person.id());
            }
        }
        organizations.rateCategoriesForGroup(operator, support.id(), Map.of(news.id(), Productivity.NEUTRAL));
        server.services().people().create(operator, "Temp Worker");
        server.services().enrollmentTokens().issue(operator, "Laptops, Wellington office", Duration.ofDays(7), 25);
        server.account(organization, Role.ADMIN);
        server.account(organization, Role.AUDITOR);
        viewer = server.account(organization, Role.VIEWER);
        groups.grantViewer(operator, engineering.id(), viewer.id(), false);
        // self-service on, and Aroha's own sign-in: her own pages
        organizations.updateSettings(operator, organizations.settings(operator).withSelfService(true));
        self = server.server().administration().createSelfAccount(organization.id(), aroha.id(), "aroha@example.org",
                PASSWORD.toCharArray());
        owner = server.portal().signIn(server.account(organization, Role.OWNER).email(), PASSWORD);
        ownerCsrf = Portal.csrfIn(server.portal().get("/account", owner).body());
        // a change in every settings area, so that the history has entries
        assertThat(server.portal().post("/settings/retention/confirm", Map.of("csrf", ownerCsrf, "spanDays", "120",
                "rollupMonths", "25", "auditDays", "730", "confirm", "yes"), owner).statusCode()).isEqualTo(303);
        assertThat(server.portal().post("/exports/tokens/create", Map.of("csrf", ownerCsrf, "name",
                "Monthly report", "days", "30"), owner).statusCode()).isEqualTo(200);
    }

    private static List<Page> pages;

    /** Every page, as whom, with what; the names are the screenshots' file names. Made once: it signs in and invites. */
    private static synchronized List<Page> pages() {
        if (pages == null) {
            pages = makePages();
        }
        return pages;
    }

    private static List<Page> makePages() {
        Portal portal = server.portal();
        String viewerSession = portal.signIn(viewer.email(), PASSWORD);
        String selfSession = portal.signIn(self.email(), PASSWORD);
        String person = aroha.id().toString();

        // an invited account's set-up link
        Matcher invitation = SETUP_LINK.matcher(portal.post("/accounts/invite", Map.of("csrf", ownerCsrf, "email",
                "new-auditor@example.org", "role", "AUDITOR"), owner).body());
        assertThat(invitation.find()).as("the invitation's link").isTrue();

        // an account that begins two-factor set-up (the QR code), and one that has it (the sign-in's second step)
        Account settingUp = server.account(organization, Role.ADMIN);
        String settingUpSession = portal.signIn(settingUp.email(), PASSWORD);
        String settingUpCsrf = Portal.csrfIn(portal.get("/account", settingUpSession).body());
        assertThat(portal.post("/account/two-factor", Map.of("csrf", settingUpCsrf), settingUpSession).statusCode())
                .isEqualTo(303);
        Account twoFactor = server.account(organization, Role.AUDITOR);
        String twoFactorSession = portal.signIn(twoFactor.email(), PASSWORD);
        String twoFactorCsrf = Portal.csrfIn(portal.get("/account", twoFactorSession).body());
        portal.post("/account/two-factor", Map.of("csrf", twoFactorCsrf), twoFactorSession);
        Matcher secret = SECRET.matcher(portal.get("/account", twoFactorSession).body());
        assertThat(secret.find()).as("the key to type").isTrue();
        Authenticator app = Authenticator.fromBase32(secret.group(1));
        assertThat(portal.post("/account/two-factor/confirm", Map.of("csrf", twoFactorCsrf, "code",
                app.codeAt(server.clock().instant())), twoFactorSession).statusCode()).isEqualTo(200);
        Portal.LoginForm secondStepForm = portal.openLoginForm();
        HttpResponse<String> passwordStep = portal.post("/login", Map.of("email", twoFactor.email(), "password",
                PASSWORD, "csrf", secondStepForm.csrf()), secondStepForm.cookie());
        String challenge = Portal.setCookie(passwordStep, "xt_challenge").orElseThrow().pair();
        Portal.LoginForm wrongPasswordForm = portal.openLoginForm();
        Matcher setUpSecret = SECRET.matcher(portal.get("/account", settingUpSession).body());
        assertThat(setUpSecret.find()).isTrue();
        String setUpCode = Authenticator.fromBase32(setUpSecret.group(1)).codeAt(server.clock().instant());

        return List.of(
                // before sign-in
                Page.get("login", "/login", ""),
                new Page("login-failed", "/login", wrongPasswordForm.cookie(), Optional.of(List.of(
                        List.of("csrf", wrongPasswordForm.csrf()), List.of("email", viewer.email()),
                        List.of("password", "not the password"))), 401),
                Page.get("second-factor", "/login/second-factor", secondStepForm.cookie() + "; " + challenge),
                Page.get("account-setup", invitation.group(1).replace("&amp;", "&"), ""),
                // usage
                Page.get("overview", "/overview", owner),
                Page.get("overview-7-days", "/overview?period=last-7-days", owner),
                Page.get("overview-team", "/overview?group=" + engineering.id() + "&period=last-7-days", owner),
                Page.get("overview-team-too-small", "/overview?group=" + support.id(), owner),
                Page.get("applications", "/reports/applications?period=last-7-days", owner),
                Page.get("applications-of-a-person", "/reports/applications?person=" + person, owner),
                Page.get("sites", "/reports/sites?period=last-7-days", owner),
                Page.get("categories", "/reports/categories?period=last-7-days", owner),
                Page.get("who-used-it", "/reports/users?of=application&name=code&period=last-7-days", owner),
                Page.get("teams", "/teams", owner),
                // people and devices
                Page.get("people", "/people", owner),
                Page.get("person", "/people/person?id=" + person, owner),
                Page.get("person-7-days", "/people/person?id=" + person + "&period=7", owner),
                Page.get("person-merge", "/people/merge?person=" + person, owner),
                Page.get("person-delete", "/people/delete?person=" + person, owner),
                Page.get("devices", "/devices", owner),
                Page.get("device-revoke", "/devices/revoke?device=" + arohaLaptop, owner),
                Page.get("device-delete", "/devices/delete?device=" + arohaLaptop, owner),
                Page.get("groups", "/groups", owner),
                Page.get("group-delete", "/groups/delete?group=" + support.id(), owner),
                Page.get("enrollment", "/enrollment", owner),
                Page.post("enrollment-issued", "/enrollment/issue", owner, ownerCsrf, "name", "Laptops, Auckland",
                        "days", "7", "maxDevices", "10"),
                // accounts and the audit trail
                Page.get("account", "/account", owner),
                Page.get("account-two-factor-setup", "/account", settingUpSession),
                Page.post("account-recovery-codes", "/account/two-factor/confirm", settingUpSession, settingUpCsrf,
                        "code", setUpCode),
                Page.get("accounts", "/accounts", owner),
                Page.post("account-invited", "/accounts/invite", owner, ownerCsrf, "email", "new-viewer@example.org",
                        "role", "VIEWER"),
                Page.get("account-delete", "/accounts/delete?id=" + viewer.id(), owner),
                Page.get("audit", "/audit", owner),
                Page.get("audit-verify", "/audit/verify", owner),
                Page.get("exports", "/exports", owner),
                Page.post("export-token-created", "/exports/tokens/create", owner, ownerCsrf, "name", "Nightly sync",
                        "days", "30"),
                // settings
                Page.get("settings-organization", "/settings", owner),
                Page.post("settings-organization-error", "/settings", owner, ownerCsrf, "name", organization.name(),
                        "timeZone", "Pacific/Auckland", "minimumGroupSize", "0", "silentAfterHours", "24")
                        .answering(400),
                Page.get("settings-policy", "/settings/policy", owner),
                Page.post("settings-policy-preview", "/settings/policy/preview", owner, ownerCsrf, "idleMinutes", "5",
                        "collectWindowTitles", "on", "redactionPattern", "[\\w.]+@[\\w.]+", "redactionReplacement",
                        "[email]", "sample", "Re: Invoice 4711 from anna@example.org - Mail"),
                Page.get("settings-categories", "/settings/categories", owner),
                Page.post("settings-rule-test", "/settings/categories/rules/test", owner, ownerCsrf, "categoryId",
                        news.id().toString(), "kind", "DOMAIN", "pattern", "example.com", "includeSubdomains", "on"),
                Page.get("settings-recategorization", "/settings/categories/progress", owner),
                Page.get("settings-category-delete", "/settings/categories/delete?category=" + news.id(), owner),
                Page.get("settings-retention", "/settings/retention", owner),
                Page.post("settings-retention-confirm", "/settings/retention", owner, ownerCsrf, "spanDays", "30",
                        "rollupMonths", "12", "auditDays", "365"),
                Page.get("settings-history", "/settings/history", owner),
                Page.get("settings-history-policy", "/settings/history?area=POLICY", owner),
                // errors
                Page.get("not-found", "/no/such/page", owner).answering(404),
                Page.get("not-found-signed-out", "/no/such/page", "").answering(404),
                // a viewer: its team, and a page it may not open
                Page.get("viewer-teams", "/teams", viewerSession),
                Page.get("viewer-team", "/overview?group=" + engineering.id(), viewerSession),
                Page.get("viewer-forbidden", "/accounts", viewerSession).answering(403),
                // a self-service account: its own day and who saw its data
                Page.get("me", "/me", selfSession),
                Page.get("me-accesses", "/me/accesses", selfSession));
    }

    /** The GET routes {@link PortalWebModule} registers, recorded without starting anything. */
    private static Set<String> registeredGetRoutes() {
        Set<String> routes = new TreeSet<>();
        new PortalWebModule().routes(new WebRoutes() {
            @Override
            public WebRoutes get(String path, Handler handler) {
                routes.add(path);
                return this;
            }

            @Override
            public WebRoutes post(String path, Handler handler) {
                return this;
            }

            @Override
            public WebRoutes notFound(Handler handler) {
                return this;
            }
        }, server.services());
        return routes;
    }

    @Test
    void everyRegisteredPageHasACase() {
        Set<String> covered = new TreeSet<>(NOT_PAGES.keySet());
        pages().stream().filter(page -> page.form().isEmpty()).map(Page::route).forEach(covered::add);
        covered.remove("/no/such/page");

        assertThat(covered).as("GET routes with a page here (or named as not a page)")
                .hasSameElementsAs(registeredGetRoutes());
    }

    @Test
    void everyPageIsAccessibleWorksWithoutJavaScriptAndFitsA390PixelScreen() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("XT_CHROMIUM", "/usr/lib/chromium/chromium"));
        Prerequisites.require(Files.isExecutable(chromium), "Chromium at " + chromium + " (apt-get install -y chromium)");
        Prerequisites.requireTools(List.of("node"), "Debian: apt-get install -y nodejs npm");
        Prerequisites.require(Files.isDirectory(BROWSER.resolve("node_modules/axe-core"))
                && Files.isDirectory(BROWSER.resolve("node_modules/playwright-core")),
                "axe-core and playwright-core in modules/portal/src/test/browser/node_modules "
                        + "(npm ci --prefix modules/portal/src/test/browser; ./test does it)");
        List<Page> pages = pages();
        ObjectMapper json = new ObjectMapper();
        Files.createDirectories(OUT);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("base", server.server().baseUri().toString().replaceAll("/$", ""));
        config.put("out", OUT.toAbsolutePath().toString());
        config.put("chromium", chromium.toString());
        config.put("pages", pages.stream().map(page -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", page.name());
            entry.put("path", page.path());
            entry.put("cookies", page.cookies());
            page.form().ifPresent(form -> entry.put("form", form));
            return entry;
        }).toList());
        Path input = OUT.resolve("pages.json");
        json.writeValue(input.toFile(), config);
        Path report = OUT.resolve("report.json");
        Files.deleteIfExists(report);

        runNode(input);

        JsonNode entries = json.readTree(report.toFile());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        entries.forEach(entry -> byName.put(entry.get("name").asText(), entry));
        List<String> failures = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        for (Page page : pages) {
            JsonNode entry = byName.get(page.name());
            if (entry == null || entry.has("error")) {
                failures.add(page.name() + ": " + (entry == null ? "not rendered" : entry.get("error").asText()));
                continue;
            }
            String where = page.name() + " (" + page.path() + ")";
            if (entry.get("status").asInt() != page.status()) {
                failures.add(where + ": status " + entry.get("status") + ", expected " + page.status());
            }
            if (!entry.get("url").asText().equals(page.path())) {
                failures.add(where + ": ended at " + entry.get("url").asText());
            }
            for (JsonNode violation : entry.get("violations")) {
                String impact = violation.get("impact").asText();
                if (impact.equals("critical") || impact.equals("serious")) {
                    violations.add(where + " at " + violation.get("width") + " px: " + violation.get("id").asText()
                            + " (" + impact + ") " + violation.get("help").asText() + " " + violation.get("targets"));
                }
            }
            JsonNode without = entry.get("static");
            if (without.get("scripts").asInt() != 0 || !without.get("handlers").isEmpty()
                    || !without.get("javascriptUrls").isEmpty()) {
                failures.add(where + ": needs JavaScript: " + without);
            }
            if (!without.get("brokenForms").isEmpty()) {
                failures.add(where + ": forms that are not plain GET/POST with an action and a button: "
                        + without.get("brokenForms"));
            }
            if (without.get("mainText").asInt() < 20 || without.get("h1").asText().isBlank()
                    || without.get("stylesheets").asInt() < 1) {
                failures.add(where + ": no heading, content or stylesheet without JavaScript: " + without);
            }
            if (without.get("overflowAt390").asInt() > 0) {
                failures.add(where + ": " + without.get("overflowAt390") + " px wider than a 390 px screen");
            }
            for (JsonNode screenshot : entry.get("screenshots")) {
                Path png = Path.of(screenshot.asText());
                if (!Files.isRegularFile(png) || Files.size(png) < 5_000) {
                    failures.add(where + ": no screenshot " + png);
                }
            }
        }

        // the data reached the pages: bars in the charts, the day timeline with the recorded gap
        assertThat(Files.readString(OUT.resolve("overview-team.html"))).contains("<svg class=\"bar-chart")
                .contains("class=\"bar");
        assertThat(Files.readString(OUT.resolve("person-7-days.html"))).contains("<svg class=\"timeline\"")
                .contains("data-kind=\"GAP\"").contains("<svg class=\"day-bars\"");
        assertThat(violations).as("critical and serious axe-core violations (details in %s)", report).isEmpty();
        assertThat(failures).as("pages that fail in the browser (details in %s)", report).isEmpty();
        copyReadmeScreenshots();
    }

    private static void runNode(Path input) throws IOException, InterruptedException {
        Process node = new ProcessBuilder("node", "pages.mjs", input.toAbsolutePath().toString())
                .directory(BROWSER.toFile())
                .redirectErrorStream(true)
                .redirectOutput(OUT.resolve("node.log").toFile())
                .start();
        boolean ended = node.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            node.destroyForcibly();
        }
        String log = Files.readString(OUT.resolve("node.log"));
        assertThat(ended).as("the browser run ended within 10 minutes: %s", log).isTrue();
        assertThat(node.exitValue()).as("node pages.mjs: %s", log).isZero();
    }

    /** With {@code -Dxt.readme.screenshots=<directory>}: the overview and the person page at 1280 px, for the README. */
    private static void copyReadmeScreenshots() throws IOException {
        String target = System.getProperty("xt.readme.screenshots", "");
        if (target.isBlank()) {
            return;
        }
        Path directory = Files.createDirectories(Path.of(target));
        // a week of bars rather than today's one
        Files.copy(OUT.resolve("overview-7-days-1280.png"), directory.resolve("overview.png"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(OUT.resolve("person-1280.png"), directory.resolve("person.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
