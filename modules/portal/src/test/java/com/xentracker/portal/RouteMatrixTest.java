package com.xentracker.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.spi.WebRoutes;
import io.javalin.http.Handler;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every portal route and form, for every role and for nobody signed in, against the real server: on the actor's own
 * organization a role the server's matrix allows gets the page or the change (and one it does not allow gets 403);
 * with another organization's ids an allowed role gets 404 and the rest 403, that organization is left exactly as it
 * was, and no response body ever carries its name, its people's, devices' or groups' names, or any of its ids. The
 * routes are the ones the portal really registers: a route added without a case here fails the suite.
 *
 * <p>A self-service account (its organization has self-service on) is allowed its own pages alone, and no answer it
 * gets ever names another person of its own organization: not their names, not the ids of what the request made.
 *
 * <p>The expectation comes from {@link Action#allows(Role)}, the table the server enforces; the portal itself decides
 * nothing. The API routes are checked to answer a signed-in portal session exactly as they answer nobody: a session
 * cookie opens nothing there.
 */
class RouteMatrixTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    /** The other organization's name, and the text its people, devices and groups carry. */
    private static final String MARKER = "Zorblax";
    private static final Instant NINE = Instant.parse("2026-11-29T09:00:00Z");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** Who sends the request: nobody, or an account of one role in the own organization. */
    enum Who {
        ANONYMOUS(Optional.empty()), OWNER(Optional.of(Role.OWNER)), ADMIN(Optional.of(Role.ADMIN)),
        AUDITOR(Optional.of(Role.AUDITOR)), VIEWER(Optional.of(Role.VIEWER)), SELF(Optional.of(Role.SELF));

        final Optional<Role> role;

        Who(Optional<Role> role) {
            this.role = role;
        }
    }

    /** The ids a request names: fresh ones of the own organization, or the other organization's. */
    interface Targets {
        UUID device();

        String osUser();

        UUID person();

        /** Another person than {@link #person()}, to merge it into. */
        UUID otherPerson();

        UUID group();

        /** A group with {@link #person()} as a member and {@link #account()} as a viewer with a grant. */
        UUID populatedGroup();

        UUID token();

        /** A viewer account that is not the actor. */
        UUID account();

        UUID category();

        /** A rule of {@link #category()}. */
        UUID rule();
    }

    /** One route and how to call it. */
    record Case(String method, String path, Optional<Action> action, Function<Targets, String> query,
            Function<Targets, Map<String, String>> form, boolean targeted, boolean ownSession,
            Optional<Function<Who, Integer>> fixedStatus, int allowedStatus, Map<Who, Integer> exceptions) {

        String key() {
            return method + " " + path;
        }

        Case withTargets() {
            return new Case(method, path, action, query, form, true, ownSession, fixedStatus, allowedStatus, exceptions);
        }

        /** On the own organization, {@code who} gets {@code status} (the reason is said where it is used). */
        Case except(Who who, int status) {
            Map<Who, Integer> more = new EnumMap<>(Who.class);
            more.putAll(exceptions);
            more.put(who, status);
            return new Case(method, path, action, query, form, targeted, ownSession, fixedStatus, allowedStatus,
                    Map.copyOf(more));
        }

        /** The request uses a session of its own (it ends or changes what the session stands on). */
        Case inOwnSession() {
            return new Case(method, path, action, query, form, targeted, true, fixedStatus, allowedStatus, exceptions);
        }

        static Case get(String path, Action action) {
            return new Case("GET", path, Optional.of(action), t -> "", t -> Map.of(), false, false, Optional.empty(),
                    200, Map.of());
        }

        static Case get(String path, Action action, Function<Targets, String> query) {
            return new Case("GET", path, Optional.of(action), query, t -> Map.of(), false, false, Optional.empty(),
                    200, Map.of());
        }

        static Case post(String path, Action action, int allowedStatus, Function<Targets, Map<String, String>> form) {
            return new Case("POST", path, Optional.of(action), t -> "", form, false, false, Optional.empty(),
                    allowedStatus, Map.of());
        }

        /** A route whose status does not depend on a role (before sign-in, the stylesheet). */
        static Case open(String method, String path, Function<Who, Integer> status,
                Function<Targets, Map<String, String>> form) {
            return new Case(method, path, Optional.empty(), t -> "", form, false, false, Optional.of(status), 0, Map.of());
        }
    }

    private static Organization own;
    private static Organization other;
    private static Targets others;
    private static final Map<Who, String> SESSIONS = new EnumMap<>(Who.class);
    private static final Map<Who, Account> ACCOUNTS = new EnumMap<>(Who.class);
    private static final Set<String> OTHER_IDS = new TreeSet<>();
    /** The form each request sent, so that an id the request carried itself may come back in its answer. */
    private static final Map<java.net.http.HttpRequest, Map<String, String>> SENT_FORMS =
            new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void twoOrganizations() {
        own = server.newOrganization();
        // self-service on: a self-service account is then refused by the role alone, and signs in
        var organizations = server.services().organizations();
        organizations.updateSettings(server.operator(own), organizations.settings(server.operator(own))
                .withSelfService(true));
        for (Who who : Who.values()) {
            who.role.ifPresent(role -> {
                Account account = server.account(own, role);
                ACCOUNTS.put(who, account);
                SESSIONS.put(who, server.portal().signIn(account.email(), PortalServer.PASSWORD));
            });
        }
        // the viewer is given one group with individual detail, so it may see people (of that group)
        Actor operator = server.operator(own);
        UUID viewed = server.services().groups().create(operator, "Viewed").id();
        server.services().groups().grantViewer(operator, viewed, ACCOUNTS.get(Who.VIEWER).id(), true);
        other = server.server().administration().createOrganization(MARKER + " Industries",
                ZoneId.of("America/Los_Angeles"));
        Fresh fresh = new Fresh(other, MARKER.toLowerCase(Locale.ROOT));
        others = fresh.fixed();
        OTHER_IDS.addAll(List.of(other.id().toString(), others.device().toString(), others.person().toString(),
                others.otherPerson().toString(),
                others.group().toString(), others.populatedGroup().toString(), others.token().toString(),
                others.account().toString(), others.category().toString(), others.rule().toString()));
    }

    /** Makes what a request names, on first use, in one organization. */
    private static final class Fresh implements Targets {

        private final Organization organization;
        private final String prefix;
        private final Map<String, Object> made = new LinkedHashMap<>();

        Fresh(Organization organization, String prefix) {
            this.organization = organization;
            this.prefix = prefix;
        }

        /** The names and ids made so far, as a response would show them. */
        List<String> madeTexts() {
            List<String> texts = new ArrayList<>();
            made.values().forEach(value -> texts.add(String.valueOf(value)));
            texts.addAll(List.of(capitalized(prefix) + " Person", capitalized(prefix) + " Other",
                    capitalized(prefix) + " Group", capitalized(prefix) + " Team", prefix + "-app"));
            return texts;
        }

        /** Everything made at once and kept: the other organization's fixed targets. */
        Targets fixed() {
            device();
            person();
            otherPerson();
            group();
            populatedGroup();
            token();
            account();
            category();
            rule();
            return this;
        }

        private Actor operator() {
            return server.operator(organization);
        }

        @SuppressWarnings("unchecked")
        private <T> T once(String name, Supplier<T> maker) {
            // not computeIfAbsent: one target's maker asks for another (a device needs its OS user)
            if (!made.containsKey(name)) {
                T value = maker.get();
                made.put(name, value);
            }
            return (T) made.get(name);
        }

        @Override
        public UUID device() {
            return once("device", () -> server.deviceWith(organization, prefix + "-host-" + COUNTER.incrementAndGet(),
                    osUser(), List.of(Span.of(NINE, NINE.plus(Duration.ofMinutes(5)),
                            Activity.active(prefix + "-app", "/usr/bin/" + prefix, Optional.empty())))).id());
        }

        @Override
        public String osUser() {
            return once("osUser", () -> prefix + "-user-" + COUNTER.incrementAndGet());
        }

        @Override
        public UUID person() {
            return once("person", () -> server.services().people().create(operator(),
                    capitalized(prefix) + " Person " + COUNTER.incrementAndGet()).id());
        }

        @Override
        public UUID otherPerson() {
            return once("otherPerson", () -> server.services().people().create(operator(),
                    capitalized(prefix) + " Other " + COUNTER.incrementAndGet()).id());
        }

        @Override
        public UUID group() {
            return once("group", () -> server.services().groups().create(operator(),
                    capitalized(prefix) + " Group " + COUNTER.incrementAndGet()).id());
        }

        @Override
        public UUID populatedGroup() {
            return once("populatedGroup", () -> {
                var groups = server.services().groups();
                UUID group = groups.create(operator(), capitalized(prefix) + " Team " + COUNTER.incrementAndGet())
                        .id();
                groups.addMember(operator(), group, person());
                groups.grantViewer(operator(), group, account(), false);
                return group;
            });
        }

        @Override
        public UUID token() {
            return once("token", () -> server.services().enrollmentTokens().issue(operator(),
                    capitalized(prefix) + " token " + COUNTER.incrementAndGet(), Duration.ofDays(1), 1).id());
        }

        @Override
        public UUID account() {
            return once("account", () -> server.server().administration().createAccount(organization.id(),
                    prefix + "-viewer-" + COUNTER.incrementAndGet() + "@example.org",
                    PortalServer.PASSWORD.toCharArray(), Role.VIEWER).id());
        }

        @Override
        public UUID category() {
            return once("category", () -> server.services().organizations().createCategory(operator(),
                    capitalized(prefix) + " Category " + COUNTER.incrementAndGet()).id());
        }

        @Override
        public UUID rule() {
            return once("rule", () -> server.services().organizations().addCategoryRule(operator(), category(),
                    com.xentracker.server.organization.CategoryRule.Kind.APPLICATION,
                    prefix + "-tool-" + COUNTER.incrementAndGet()).id());
        }

        private static String capitalized(String text) {
            return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
        }
    }

    private static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    /** Every route the portal registers, with the request that exercises it. */
    private static List<Case> cases() {
        int redirect = 303;
        String password = PortalServer.PASSWORD;
        return List.of(
                // before sign-in, and what every visitor gets
                Case.open("GET", "/", who -> 303, t -> Map.of()),
                Case.open("GET", "/portal.css", who -> 200, t -> Map.of()),
                Case.open("GET", "/login", who -> who == Who.ANONYMOUS ? 200 : 303, t -> Map.of()),
                // without the sign-in form's cookie: refused whoever asks
                Case.open("POST", "/login", who -> 403, t -> form("email", "nobody@example.org",
                        "password", password)),
                Case.open("GET", "/login/second-factor", who -> 303, t -> Map.of()),
                Case.open("POST", "/login/second-factor", who -> 403, t -> form("code", "123456")),
                Case.open("GET", "/account/setup", who -> 400, t -> Map.of()),
                Case.open("POST", "/account/setup", who -> 403, t -> form("token", "not-a-link",
                        "password", password, "confirmPassword", password)),
                // the signed-in account's own
                Case.get("/account", Action.VIEW_OWN_ACCOUNT),
                Case.post("/logout", Action.SIGN_OUT, redirect, t -> Map.of()).inOwnSession(),
                Case.post("/account/password", Action.CHANGE_OWN_PASSWORD, redirect, t -> form(
                        "currentPassword", password, "newPassword", "another long enough passphrase",
                        "repeatedPassword", "another long enough passphrase")).inOwnSession(),
                Case.post("/account/two-factor", Action.BEGIN_TWO_FACTOR_SETUP, redirect, t -> Map.of()).inOwnSession(),
                // a wrong code reaches the use case and is refused there
                Case.post("/account/two-factor/confirm", Action.CONFIRM_TWO_FACTOR, 400, t -> form("code", "000000"))
                        .inOwnSession(),
                Case.post("/account/two-factor/disable", Action.DISABLE_TWO_FACTOR, 400, t -> form("code", "000000"))
                        .inOwnSession(),
                Case.post("/account/recovery-codes", Action.REGENERATE_RECOVERY_CODES, 400,
                        t -> form("code", "000000")).inOwnSession(),
                // reading
                // the overview's old address redirects to it whoever asks (the overview then decides)
                Case.open("GET", "/dashboard", who -> 303, t -> Map.of()),
                // a team view; a viewer sees only the groups it was given: another group of its organization is
                // not found
                Case.get("/overview", Action.VIEW_USAGE, t -> "group=" + t.group()).withTargets()
                        .except(Who.VIEWER, 404),
                // one person's applications: individual usage; the viewer's detail group does not hold this person
                Case.get("/reports/applications", Action.VIEW_INDIVIDUAL_USAGE, t -> "person=" + t.person())
                        .withTargets().except(Who.VIEWER, 404),
                Case.get("/reports/sites", Action.VIEW_USAGE, t -> "period=last-7-days&group=" + t.group())
                        .withTargets().except(Who.VIEWER, 404),
                Case.get("/reports/categories", Action.VIEW_USAGE, t -> "period=custom&from=2026-11-01&to=2026-11-29"),
                Case.get("/reports/users", Action.VIEW_INDIVIDUAL_USAGE, t -> "of=application&name=own-app"),
                Case.get("/teams", Action.VIEW_USAGE),
                Case.get("/devices", Action.VIEW_DEVICES),
                Case.get("/devices/revoke", Action.VIEW_DEVICES, t -> "device=" + t.device()).withTargets(),
                Case.get("/devices/delete", Action.VIEW_DEVICES, t -> "device=" + t.device()).withTargets(),
                Case.get("/people", Action.VIEW_PEOPLE),
                // a viewer sees individuals only in its groups granted with individual detail: others are not found
                Case.get("/people/person", Action.VIEW_PERSON, t -> "id=" + t.person()).withTargets()
                        .except(Who.VIEWER, 404),
                Case.get("/people/merge", Action.VIEW_PEOPLE, t -> "person=" + t.person()).withTargets()
                        .except(Who.VIEWER, 404),
                Case.get("/people/delete", Action.VIEW_PEOPLE, t -> "person=" + t.person()).withTargets()
                        .except(Who.VIEWER, 404),
                Case.get("/groups", Action.VIEW_GROUPS),
                // a viewer sees only the groups it was given: another group of its organization is not found
                Case.get("/groups/delete", Action.VIEW_GROUPS, t -> "group=" + t.group()).withTargets()
                        .except(Who.VIEWER, 404),
                Case.get("/enrollment", Action.VIEW_ENROLLMENT_TOKENS),
                Case.get("/settings", Action.VIEW_SETTINGS),
                Case.get("/accounts", Action.VIEW_ACCOUNTS),
                Case.get("/accounts/delete", Action.VIEW_ACCOUNTS, t -> "id=" + t.account()).withTargets(),
                Case.get("/audit", Action.VIEW_AUDIT_LOG),
                Case.get("/audit/verify", Action.VERIFY_AUDIT_TRAIL),
                // exports: the page lists the account's own API tokens first; downloads stream from the server
                Case.get("/exports", Action.VIEW_API_TOKENS),
                Case.get("/exports/download", Action.EXPORT_DATA, t -> "dataset=spans&person=" + t.person())
                        .withTargets(),
                Case.get("/exports/access-package", Action.EXPORT_ACCESS_PACKAGE, t -> "person=" + t.person())
                        .withTargets(),
                // a self-service account's own pages: they take no id (one sent is ignored, see the test below)
                Case.get("/me", Action.VIEW_OWN_ACTIVITY, t -> "period=30"),
                Case.get("/me/accesses", Action.VIEW_OWN_DATA_ACCESSES),
                Case.get("/me/package", Action.EXPORT_OWN_ACCESS_PACKAGE),
                // changing
                Case.post("/devices/revoke", Action.REVOKE_DEVICE, redirect, t -> form("deviceId",
                        t.device().toString())).withTargets(),
                Case.post("/devices/delete", Action.DELETE_DEVICE, redirect, t -> form("deviceId",
                        t.device().toString())).withTargets(),
                Case.post("/people/assign", Action.ASSIGN_PERSON, redirect, t -> form("deviceId",
                        t.device().toString(), "osUser", t.osUser(), "personId", t.person().toString())).withTargets(),
                Case.post("/people/rename", Action.RENAME_PERSON, redirect, t -> form("personId",
                        t.person().toString(), "name", "Renamed " + COUNTER.incrementAndGet())).withTargets(),
                Case.post("/people/merge", Action.MERGE_PEOPLE, redirect, t -> form("personId",
                        t.person().toString(), "intoId", t.otherPerson().toString())).withTargets(),
                Case.post("/people/delete", Action.DELETE_PERSON, redirect, t -> form("personId",
                        t.person().toString())).withTargets(),
                Case.post("/people/self-account", Action.INVITE_SELF_ACCOUNT, 200, t -> form("personId",
                        t.person().toString(), "email", "self-" + COUNTER.incrementAndGet() + "@example.org"))
                        .withTargets(),
                Case.post("/groups/create", Action.CREATE_GROUP, redirect, t -> form("name",
                        "Created " + COUNTER.incrementAndGet())),
                Case.post("/groups/rename", Action.RENAME_GROUP, redirect, t -> form("groupId",
                        t.group().toString(), "name", "Renamed " + COUNTER.incrementAndGet())).withTargets(),
                Case.post("/groups/delete", Action.DELETE_GROUP, redirect, t -> form("groupId",
                        t.group().toString())).withTargets(),
                Case.post("/groups/members/add", Action.ADD_GROUP_MEMBER, redirect, t -> form("groupId",
                        t.group().toString(), "personId", t.person().toString())).withTargets(),
                Case.post("/groups/members/remove", Action.REMOVE_GROUP_MEMBER, redirect, t -> form("groupId",
                        t.populatedGroup().toString(), "personId", t.person().toString())).withTargets(),
                Case.post("/groups/grants/add", Action.GRANT_VIEWER_GROUP, redirect, t -> form("groupId",
                        t.group().toString(), "accountId", t.account().toString(), "individualDetail", "on"))
                        .withTargets(),
                Case.post("/groups/grants/revoke", Action.REVOKE_VIEWER_GROUP, redirect, t -> form("groupId",
                        t.populatedGroup().toString(), "accountId", t.account().toString())).withTargets(),
                Case.post("/enrollment/issue", Action.ISSUE_ENROLLMENT_TOKEN, 200, t -> form("name",
                        "Laptops " + COUNTER.incrementAndGet(), "days", "7", "maxDevices", "10")),
                Case.post("/enrollment/revoke", Action.REVOKE_ENROLLMENT_TOKEN, redirect, t -> form("tokenId",
                        t.token().toString())).withTargets(),
                Case.post("/exports/tokens/create", Action.CREATE_API_TOKEN, 200, t -> form("name",
                        "Script " + COUNTER.incrementAndGet(), "days", "30")),
                // a token is its account's own: any other id, of this organization or another, is not found
                Case.post("/exports/tokens/revoke", Action.REVOKE_API_TOKEN, 404, t -> form("tokenId",
                        UUID.randomUUID().toString())),
                Case.post("/settings", Action.UPDATE_ORGANIZATION_SETTINGS, redirect, t -> form("name",
                        "Own organization " + COUNTER.incrementAndGet(), "timeZone", "Europe/Berlin",
                        "minimumGroupSize", "5", "silentAfterHours", "24", "selfService", "on")),
                // settings: the collection policy, categories, retention, history
                Case.get("/settings/policy", Action.VIEW_SETTINGS),
                Case.post("/settings/policy", Action.UPDATE_COLLECTION_POLICY, redirect, t -> form("idleMinutes",
                        "3", "redactionPattern", "\\d+", "redactionReplacement", "#")),
                Case.post("/settings/policy/preview", Action.PREVIEW_TITLE_REDACTION, 200, t -> form("idleMinutes",
                        "3", "redactionPattern", "\\d+", "redactionReplacement", "#", "sample", "Invoice 42")),
                Case.get("/settings/categories", Action.VIEW_SETTINGS),
                Case.get("/settings/categories/progress", Action.VIEW_SETTINGS),
                Case.post("/settings/categories/create", Action.CREATE_CATEGORY, redirect, t -> form("newName",
                        "Created category " + COUNTER.incrementAndGet(), "productivity", "PRODUCTIVE")),
                Case.post("/settings/categories/update", Action.UPDATE_CATEGORY, redirect, t -> form("categoryId",
                        t.category().toString(), "name", "Renamed category " + COUNTER.incrementAndGet(),
                        "productivity", "UNPRODUCTIVE")).withTargets(),
                Case.get("/settings/categories/delete", Action.VIEW_SETTINGS, t -> "category=" + t.category())
                        .withTargets(),
                Case.post("/settings/categories/delete", Action.DELETE_CATEGORY, redirect, t -> form("categoryId",
                        t.category().toString())).withTargets(),
                Case.post("/settings/categories/rules/add", Action.ADD_CATEGORY_RULE, redirect, t -> form(
                        "categoryId", t.category().toString(), "kind", "DOMAIN", "pattern",
                        "site-" + COUNTER.incrementAndGet() + ".example", "includeSubdomains", "on")).withTargets(),
                Case.post("/settings/categories/rules/test", Action.TEST_CATEGORY_RULE, 200, t -> form("kind",
                        "DOMAIN", "pattern", "example.com", "includeSubdomains", "on")),
                Case.post("/settings/categories/rules/move", Action.MOVE_CATEGORY_RULE, redirect, t -> form("ruleId",
                        t.rule().toString(), "direction", "earlier")).withTargets(),
                Case.post("/settings/categories/rules/delete", Action.DELETE_CATEGORY_RULE, redirect, t -> form(
                        "ruleId", t.rule().toString())).withTargets(),
                Case.post("/settings/categories/group-ratings", Action.RATE_CATEGORIES_FOR_GROUP, redirect,
                        t -> form("groupId", t.group().toString(), "rating-" + t.category(), "PRODUCTIVE"))
                        .withTargets(),
                Case.get("/settings/retention", Action.VIEW_SETTINGS),
                // shorter than anything the confirmation below sets: the owner is always asked to confirm
                Case.post("/settings/retention", Action.PREVIEW_RETENTION_CHANGE, 200, t -> form("spanDays", "30",
                        "rollupMonths", "12", "auditDays", "365")),
                Case.post("/settings/retention/confirm", Action.UPDATE_RETENTION, redirect, t -> form("spanDays",
                        "60", "rollupMonths", "20", "auditDays", "700", "confirm", "yes")),
                Case.get("/settings/history", Action.VIEW_SETTINGS, t -> "area=CATEGORIES"),
                Case.post("/accounts/invite", Action.INVITE_ACCOUNT, 200, t -> form("email",
                        "invited-" + COUNTER.incrementAndGet() + "@example.org", "role", "AUDITOR")),
                Case.post("/accounts/role", Action.CHANGE_ACCOUNT_ROLE, redirect, t -> form("id",
                        t.account().toString(), "role", "AUDITOR")).withTargets(),
                Case.post("/accounts/disable", Action.DISABLE_ACCOUNT, redirect, t -> form("id",
                        t.account().toString())).withTargets(),
                Case.post("/accounts/enable", Action.ENABLE_ACCOUNT, redirect, t -> form("id",
                        t.account().toString())).withTargets(),
                Case.post("/accounts/end-sessions", Action.END_ACCOUNT_SESSIONS, redirect, t -> form("id",
                        t.account().toString())).withTargets(),
                Case.post("/accounts/delete", Action.DELETE_ACCOUNT, redirect, t -> form("id",
                        t.account().toString(), "confirm", "yes")).withTargets(),
                Case.post("/accounts/reset-password", Action.RESET_ACCOUNT_PASSWORD, 200, t -> form("id",
                        t.account().toString())).withTargets());
    }

    /** The routes {@link PortalWebModule} registers, recorded without starting anything. */
    private static Set<String> registeredRoutes() {
        Set<String> routes = new TreeSet<>();
        new PortalWebModule().routes(new WebRoutes() {
            @Override
            public WebRoutes get(String path, Handler handler) {
                routes.add("GET " + path);
                return this;
            }

            @Override
            public WebRoutes post(String path, Handler handler) {
                routes.add("POST " + path);
                return this;
            }

            @Override
            public WebRoutes notFound(Handler handler) {
                return this; // not a route: NotFoundPageTest looks at it
            }
        }, server.services());
        return routes;
    }

    @Test
    void everyRegisteredRouteHasACase() {
        Set<String> covered = cases().stream().map(Case::key).collect(Collectors.toCollection(TreeSet::new));

        assertThat(covered).as("cases of this matrix").hasSameElementsAs(registeredRoutes());
        assertThat(covered).hasSize(cases().size());
    }

    @TestFactory
    Stream<DynamicTest> everyRouteAsEveryRoleOnItsOwnOrganization() {
        return cases().stream().flatMap(c -> Arrays.stream(Who.values()).map(who -> DynamicTest.dynamicTest(
                c.key() + " as " + who.name().toLowerCase(Locale.ROOT), () -> {
                    Fresh targets = new Fresh(own, "own");
                    HttpResponse<String> response = send(c, who, targets);

                    assertThat(response.statusCode()).as("%s as %s: %s", c.key(), who, response.body())
                            .isEqualTo(expectedOnOwn(c, who));
                    if (who == Who.ANONYMOUS && c.fixedStatus().isEmpty()) {
                        assertThat(response.headers().firstValue("Location")).contains("/login");
                    }
                    assertNothingOfTheOtherOrganization(c, who, response);
                    if (who == Who.SELF) {
                        assertNothingOfAnotherPerson(c, response, targets.madeTexts());
                    }
                })));
    }

    /** A self-service account's answers name no one else of its organization (what the request sent aside). */
    private static void assertNothingOfAnotherPerson(Case c, HttpResponse<String> response, List<String> others) {
        String everything = response.body() + " " + response.headers().map();
        String sent = response.request().uri() + " " + SENT_FORMS.getOrDefault(response.request(), Map.of()).values();
        for (String other : others) {
            if (!sent.contains(other)) {
                assertThat(everything).as("%s as a self-service account", c.key()).doesNotContain(other);
            }
        }
        for (Who who : Who.values()) {
            if (who != Who.SELF && ACCOUNTS.containsKey(who)) {
                assertThat(everything).as("%s as a self-service account", c.key())
                        .doesNotContain(ACCOUNTS.get(who).email());
            }
        }
    }

    @Test
    void aSelfAccountsPagesShowItsOwnPersonWhateverIdsTheRequestCarries() {
        Fresh neighbours = new Fresh(own, "neighbour");
        UUID neighbour = neighbours.person();
        neighbours.device();
        UUID ownPerson = ACCOUNTS.get(Who.SELF).person().orElseThrow();
        String ownName = server.services().people().directory(server.operator(own)).people().stream()
                .filter(person -> person.id().equals(ownPerson)).findFirst().orElseThrow().displayName();
        String ids = "id=" + neighbour + "&person=" + neighbour + "&personId=" + neighbour;
        // an administrator looked at the neighbour: an entry about them, not about the self-service account's person
        server.services().people().activityUntilToday(server.operator(own), neighbour, 7);

        for (String path : List.of("/me?" + ids, "/me?day=2026-11-29&" + ids, "/me/accesses?" + ids)) {
            HttpResponse<String> page = server.portal().get(path, SESSIONS.get(Who.SELF));

            assertThat(page.statusCode()).as(path).isEqualTo(200);
            String body = page.body();
            assertThat(body.replace(path.replace("&", "&amp;"), "")).as(path).doesNotContain(neighbour.toString())
                    .doesNotContain("Neighbour Person");
            if (path.startsWith("/me?")) {
                assertThat(body).as(path).contains(ownName).contains("Who saw my data");
            }
        }
        HttpResponse<String> download = server.portal().get("/me/package?" + ids, SESSIONS.get(Who.SELF));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(disposition ->
                assertThat(disposition).contains(ownPerson.toString()).doesNotContain(neighbour.toString()));
        // the navigation holds the self-service account's own sections and nothing else
        String navigation = server.portal().get("/me", SESSIONS.get(Who.SELF)).body();
        assertThat(navigation).contains("href=\"/me\"", "href=\"/me/accesses\"")
                .doesNotContain("href=\"/people\"", "href=\"/overview\"", "href=\"/devices\"",
                        "href=\"/exports\"", "href=\"/settings\"", "href=\"/audit\"");
    }

    @TestFactory
    Stream<DynamicTest> everyRouteNamingAnotherOrganizationsIdsIsNotFoundOrRefusedAndChangesNothing() {
        return cases().stream().filter(Case::targeted).flatMap(c -> Arrays.stream(Who.values())
                .map(who -> DynamicTest.dynamicTest(c.key() + " as " + who.name().toLowerCase(Locale.ROOT)
                        + " with the other organization's ids", () -> {
                            String before = otherOrganizationState();

                            HttpResponse<String> response = send(c, who, others);

                            int expected = who.role.isEmpty() ? 303
                                    : c.action().orElseThrow().allows(who.role.get()) ? 404 : 403;
                            assertThat(response.statusCode()).as("%s as %s: %s", c.key(), who, response.body())
                                    .isEqualTo(expected);
                            assertNothingOfTheOtherOrganization(c, who, response);
                            assertThat(otherOrganizationState()).as("the other organization after %s as %s",
                                    c.key(), who).isEqualTo(before);
                        })));
    }

    @Test
    void aPortalSessionOpensNothingOnTheApi() {
        UUID otherDevice = others.device();
        List<String[]> requests = List.of(
                new String[] {"GET", "/api/v1/health"},
                new String[] {"GET", "/api/v1/devices/" + otherDevice + "/organization-certificate"},
                new String[] {"POST", "/api/v1/enroll"},
                new String[] {"POST", "/api/v1/devices/" + otherDevice + "/batches/0"},
                new String[] {"POST", "/api/v1/devices/" + otherDevice + "/key"},
                // the export API opens only with a personal API token, never with a portal session
                new String[] {"GET", "/api/v1/exports/spans.csv"},
                new String[] {"GET", "/api/v1/exports/audit.csv?person=" + others.person()});
        for (String[] request : requests) {
            HttpResponse<String> anonymous = sendRaw(request[0], request[1], Map.of());
            for (Who who : Who.values()) {
                if (who == Who.ANONYMOUS) {
                    continue;
                }
                HttpResponse<String> signedIn = sendRaw(request[0], request[1], Map.of(), SESSIONS.get(who));

                assertThat(signedIn.statusCode()).as("%s %s as %s", request[0], request[1], who)
                        .isEqualTo(anonymous.statusCode());
                assertThat(signedIn.body()).as("%s %s as %s", request[0], request[1], who)
                        .isEqualTo(anonymous.body()).doesNotContainIgnoringCase(MARKER);
            }
        }
    }

    private static int expectedOnOwn(Case c, Who who) {
        if (c.fixedStatus().isPresent()) {
            return c.fixedStatus().get().apply(who);
        }
        if (who.role.isEmpty()) {
            return 303; // to the sign-in page
        }
        if (c.exceptions().containsKey(who)) {
            return c.exceptions().get(who);
        }
        return c.action().orElseThrow().allows(who.role.get()) ? c.allowedStatus() : 403;
    }

    private static HttpResponse<String> send(Case c, Who who, Targets targets) {
        List<String> cookies = new ArrayList<>();
        Optional<String> csrf = Optional.empty();
        if (who.role.isPresent()) {
            String session = c.ownSession() ? server.portal().signIn(server.account(own, who.role.get()).email(),
                    PortalServer.PASSWORD) : SESSIONS.get(who);
            cookies.add(session);
            csrf = Optional.of(Portal.csrfIn(server.portal().get("/account", session).body()));
        }
        String query = c.query().apply(targets);
        String path = c.path() + (query.isEmpty() ? "" : "?" + query);
        Map<String, String> form = new LinkedHashMap<>(c.form().apply(targets));
        csrf.ifPresent(token -> form.put("csrf", token));
        HttpResponse<String> response = sendRaw(c.method(), path, form, cookies.toArray(String[]::new));
        SENT_FORMS.put(response.request(), form);
        return response;
    }

    private static HttpResponse<String> sendRaw(String method, String path, Map<String, String> form,
            String... cookies) {
        return "GET".equals(method) ? server.portal().get(path, cookies) : server.portal().post(path, form, cookies);
    }

    /** The body and headers name nothing of the other organization but the ids the request itself sent. */
    private static void assertNothingOfTheOtherOrganization(Case c, Who who, HttpResponse<String> response) {
        String everything = response.body() + " " + response.headers().map();
        assertThat(everything).as("%s as %s", c.key(), who).doesNotContainIgnoringCase(MARKER);
        String sent = response.request().uri() + " " + SENT_FORMS.getOrDefault(response.request(), Map.of()).values();
        for (String id : OTHER_IDS) {
            if (sent.contains(id)) {
                continue; // echoing the request's own input back (a form kept for correction) reveals nothing
            }
            assertThat(everything).as("%s as %s names the other organization's %s", c.key(), who, id)
                    .doesNotContain(id).doesNotContain(URLEncoder.encode(id, StandardCharsets.UTF_8));
        }
    }

    /** What the other organization holds, read as its host operator: devices, people, groups, accounts, tokens. */
    private static String otherOrganizationState() {
        ServerServices services = server.services();
        Actor operator = server.operator(other);
        return String.join("\n",
                services.devices().list(operator).toString(),
                services.people().directory(operator).toString(),
                services.groups().list(operator).toString(),
                services.accounts().list(operator).toString(),
                services.enrollmentTokens().list(operator).toString(),
                services.organizations().settings(operator).toString(),
                services.organizations().policy(operator).toString(),
                services.organizations().retention(operator).toString(),
                services.organizations().categories(operator).toString());
    }
}
