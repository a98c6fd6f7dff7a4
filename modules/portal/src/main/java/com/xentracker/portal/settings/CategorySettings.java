package com.xentracker.portal.settings;

import com.xentracker.portal.page.FormErrors;
import com.xentracker.portal.page.Frame;
import com.xentracker.portal.page.Labels;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.ConflictException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.organization.Category;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.NewCategoryRule;
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.organization.Productivity;
import com.xentracker.server.organization.RuleTest;
import com.xentracker.server.people.Groups;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The categories tab: {@code GET /settings/categories} shows categories with their ratings, the rules in the order
 * they are tried, each group's own ratings and where the background re-categorisation stands (owners,
 * administrators, auditors). Owners and administrators create, rename, rate and delete categories, add rules (after
 * trying one with "Test this rule", which shows what it would match over the last seven days), move rules earlier or
 * later and delete them, and set a group's own ratings; every change of what matches what makes the server
 * re-categorise the recorded data in the background, whose progress {@code GET /settings/categories/progress} shows
 * (reloading itself until done).
 */
final class CategorySettings {

    static final String CATEGORY_FIELD = "categoryId";
    static final String NAME_FIELD = "name";
    static final String RATING_FIELD = "productivity";
    static final String NEW_NAME_FIELD = "newName";
    static final String RULE_FIELD = "ruleId";
    static final String KIND_FIELD = "kind";
    static final String PATTERN_FIELD = "pattern";
    static final String SUBDOMAINS_FIELD = "includeSubdomains";
    static final String DIRECTION_FIELD = "direction";
    static final String GROUP_FIELD = "groupId";
    /** Where each change's redirect says what it did. */
    private static final Map<String, String> NOTICES = Map.of(
            "created", "The category was created. Add rules below to put time into it.",
            "updated", "The category was saved.",
            "deleted", "The category and its rules were deleted; its time is being re-categorised.",
            "rule-added", "The rule was added. New uploads use it now; the recorded data is being re-categorised.",
            "rule-moved", "The rule was moved. The recorded data is being re-categorised.",
            "rule-deleted", "The rule was deleted. The recorded data is being re-categorised.",
            "ratings", "The group's ratings were saved.");

    private final Organizations organizations;
    private final Groups groups;
    private final PortalSessions sessions;

    private CategorySettings(Organizations organizations, Groups groups, PortalSessions sessions) {
        this.organizations = organizations;
        this.groups = groups;
        this.sessions = sessions;
    }

    static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        CategorySettings page = new CategorySettings(services.organizations(), services.groups(), sessions);
        routes.get(PortalPaths.SETTINGS_CATEGORIES, page::show);
        routes.post(PortalPaths.SETTINGS_CATEGORIES_CREATE, page::create);
        routes.post(PortalPaths.SETTINGS_CATEGORIES_UPDATE, page::update);
        routes.get(PortalPaths.SETTINGS_CATEGORIES_DELETE, page::confirmDelete);
        routes.post(PortalPaths.SETTINGS_CATEGORIES_DELETE, page::delete);
        routes.post(PortalPaths.SETTINGS_RULES_ADD, page::addRule);
        routes.post(PortalPaths.SETTINGS_RULES_TEST, page::testRule);
        routes.post(PortalPaths.SETTINGS_RULES_MOVE, page::moveRule);
        routes.post(PortalPaths.SETTINGS_RULES_DELETE, page::deleteRule);
        routes.post(PortalPaths.SETTINGS_GROUP_RATINGS, page::rateForGroup);
        routes.get(PortalPaths.SETTINGS_RECATEGORIZATION, page::progress);
    }

    /** What a page shows besides the stored state: a notice, errors, the forms as typed, a test's result. */
    private record Shown(Optional<String> notice, FormErrors errors, CategoriesPage.NewCategory newCategory,
            CategoriesPage.RuleForm ruleForm, Optional<CategoriesPage.TestResult> test) {

        static Shown plain(Optional<String> notice) {
            return new Shown(notice, FormErrors.none(), new CategoriesPage.NewCategory("", "NEUTRAL"),
                    CategoriesPage.RuleForm.empty(), Optional.empty());
        }
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        render(ctx, HttpStatus.OK, signedIn.get(), Shown.plain(Optional.ofNullable(ctx.queryParam("done"))
                .map(NOTICES::get)));
    }

    private void render(Context ctx, HttpStatus status, SignedIn signedIn, Shown shown) {
        Actor actor = signedIn.actor();
        ZoneId zone = organizations.settings(actor).timeZone();
        boolean titles = organizations.policy(actor).collectWindowTitles();
        List<Category> categories = organizations.categories(actor);
        Map<UUID, String> names = categories.stream().collect(Collectors.toMap(Category::id, Category::name));
        List<CategoryRule> rules = organizations.categoryRules(actor);
        List<CategoriesPage.CategoryRow> categoryRows = categories.stream().map(c -> new CategoriesPage.CategoryRow(
                c.id().toString(), c.name(), c.productivity().name(), SettingsText.rating(c.productivity()),
                SettingsText.ratingClass(c.productivity()), c.rules().size())).toList();
        List<CategoriesPage.RuleRow> ruleRows = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            CategoryRule rule = rules.get(i);
            ruleRows.add(new CategoriesPage.RuleRow(rule.id().toString(), i + 1, SettingsText.kind(rule.kind()),
                    rule.pattern(), switch (rule.kind()) {
                        case DOMAIN -> rule.includeSubdomains() ? "and its subdomains" : "this site only";
                        case TITLE -> titles ? "anywhere in the title" : "inactive: titles are not collected";
                        case APPLICATION -> "the whole name";
                    }, names.getOrDefault(rule.categoryId(), ""), i == 0, i == rules.size() - 1,
                    rule.kind() == CategoryRule.Kind.TITLE && !titles));
        }
        List<CategoriesPage.GroupRatings> groupRows = groups.list(actor).stream().map(visible -> {
            UUID group = visible.group().id();
            return new CategoriesPage.GroupRatings(group.toString(), visible.group().name(), categories.stream()
                    .map(c -> new CategoriesPage.GroupRatings.Cell(c.id().toString(), c.name(),
                            Optional.ofNullable(c.groupRatings().get(group)).map(Productivity::name).orElse(""),
                            SettingsText.rating(c.productivity())))
                    .toList());
        }).toList();
        Pages.render(ctx, status, "settings-categories.jte", new CategoriesPage(signedIn.frame("Categories",
                Section.SETTINGS), actor.may(Action.ADD_CATEGORY_RULE), signedIn.csrfToken(), shown.notice(),
                shown.errors(), categoryRows, ruleRows, groupRows,
                RecategorizationView.of(organizations.recategorization(actor), zone), shown.newCategory(),
                shown.ruleForm(), shown.test(), titles));
    }

    private void create(Context ctx) {
        changing(ctx, signedIn -> {
            String name = Settings.field(ctx, NEW_NAME_FIELD);
            String rating = Settings.field(ctx, RATING_FIELD);
            CategoriesPage.NewCategory typed = new CategoriesPage.NewCategory(name, rating);
            try {
                organizations.createCategory(signedIn.actor(), name, productivity(rating));
                return Optional.of("created");
            } catch (InvalidRequestException | ConflictException refused) {
                render(ctx, status(refused), signedIn, new Shown(Optional.empty(), FormErrors.of(NEW_NAME_FIELD,
                        refused.getMessage()), typed, CategoriesPage.RuleForm.empty(), Optional.empty()));
                return Optional.empty();
            }
        });
    }

    private void update(Context ctx) {
        changing(ctx, signedIn -> {
            UUID category = uuid(ctx.formParam(CATEGORY_FIELD), "Choose a category.");
            try {
                organizations.updateCategory(signedIn.actor(), category, Settings.field(ctx, NAME_FIELD),
                        productivity(Settings.field(ctx, RATING_FIELD)));
                return Optional.of("updated");
            } catch (InvalidRequestException | ConflictException refused) {
                render(ctx, status(refused), signedIn, new Shown(Optional.empty(), FormErrors.of("name-" + category,
                        refused.getMessage()), new CategoriesPage.NewCategory("", "NEUTRAL"),
                        CategoriesPage.RuleForm.empty(), Optional.empty()));
                return Optional.empty();
            }
        });
    }

    private void confirmDelete(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        UUID id = uuid(ctx.queryParam("category"), "Choose a category.");
        Category category = organizations.categories(signedIn.get().actor()).stream()
                .filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> PortalException.notFound("The organization has no such category."));
        Pages.render(ctx, HttpStatus.OK, "settings-category-delete.jte", new DeleteCategoryPage(
                signedIn.get().frame("Delete " + category.name(), Section.SETTINGS), id.toString(), category.name(),
                category.rules().size(), category.groupRatings().size(),
                signedIn.get().actor().may(Action.DELETE_CATEGORY), signedIn.get().csrfToken()));
    }

    private void delete(Context ctx) {
        changing(ctx, signedIn -> {
            organizations.deleteCategory(signedIn.actor(), uuid(ctx.formParam(CATEGORY_FIELD), "Choose a category."));
            return Optional.of("deleted");
        });
    }

    private void addRule(Context ctx) {
        changing(ctx, signedIn -> {
            CategoriesPage.RuleForm typed = ruleForm(ctx);
            try {
                UUID category = uuidOrRefuse(typed.categoryId(), CATEGORY_FIELD, "choose the category the rule puts"
                        + " time into");
                organizations.addCategoryRule(signedIn.actor(), category, newRule(typed));
                return Optional.of("rule-added");
            } catch (InvalidRequestException | ConflictException refused) {
                render(ctx, status(refused), signedIn, new Shown(Optional.empty(), ruleErrors(refused),
                        new CategoriesPage.NewCategory("", "NEUTRAL"), typed, Optional.empty()));
                return Optional.empty();
            }
        });
    }

    private void testRule(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        CategoriesPage.RuleForm typed = ruleForm(ctx);
        RuleTest test;
        try {
            test = organizations.testCategoryRule(signedIn.get().actor(), newRule(typed));
        } catch (InvalidRequestException refused) {
            render(ctx, HttpStatus.BAD_REQUEST, signedIn.get(), new Shown(Optional.empty(), ruleErrors(refused),
                    new CategoriesPage.NewCategory("", "NEUTRAL"), typed, Optional.empty()));
            return;
        }
        List<CategoriesPage.TestResult.Match> matches = test.matches().stream().map(m ->
                new CategoriesPage.TestResult.Match(Labels.application(m.application()), Labels.domain(m.domain()),
                        m.title().orElse(""), SettingsText.duration(m.activeMs()),
                        m.currentCategory().isEmpty() ? "Uncategorised" : m.currentCategory())).toList();
        CategoriesPage.TestResult result = new CategoriesPage.TestResult(
                SettingsText.matches(test.rule().kind(), test.rule().pattern(), test.rule().includeSubdomains()),
                SettingsText.day(test.from()) + " to " + SettingsText.day(test.to()), matches,
                SettingsText.duration(test.totalActiveMs()), test.rule().kind() == CategoryRule.Kind.TITLE,
                test.titlesCollected(), test.matches().size() >= RuleTest.MAX_MATCHES);
        // the form keeps the pattern as the server normalised it, ready to add
        CategoriesPage.RuleForm normalised = new CategoriesPage.RuleForm(typed.categoryId(), typed.kind(),
                test.rule().pattern(), typed.includeSubdomains());
        render(ctx, HttpStatus.OK, signedIn.get(), new Shown(Optional.empty(), FormErrors.none(),
                new CategoriesPage.NewCategory("", "NEUTRAL"), normalised, Optional.of(result)));
    }

    private void moveRule(Context ctx) {
        changing(ctx, signedIn -> {
            UUID rule = uuid(ctx.formParam(RULE_FIELD), "Choose a rule.");
            String direction = Settings.field(ctx, DIRECTION_FIELD);
            if (!direction.equals("earlier") && !direction.equals("later")) {
                throw PortalException.badRequest("Move a rule earlier or later.");
            }
            organizations.moveCategoryRule(signedIn.actor(), rule, direction.equals("earlier"));
            return Optional.of("rule-moved");
        });
    }

    private void deleteRule(Context ctx) {
        changing(ctx, signedIn -> {
            organizations.deleteCategoryRule(signedIn.actor(), uuid(ctx.formParam(RULE_FIELD), "Choose a rule."));
            return Optional.of("rule-deleted");
        });
    }

    private void rateForGroup(Context ctx) {
        changing(ctx, signedIn -> {
            UUID group = uuid(ctx.formParam(GROUP_FIELD), "Choose a group.");
            Map<UUID, Productivity> ratings = new HashMap<>();
            ctx.formParamMap().forEach((name, values) -> {
                if (name.startsWith("rating-") && !values.isEmpty() && !values.get(0).isEmpty()) {
                    ratings.put(uuid(name.substring("rating-".length()), "Choose a category."),
                            productivity(values.get(0)));
                }
            });
            organizations.rateCategoriesForGroup(signedIn.actor(), group, ratings);
            return Optional.of("ratings");
        });
    }

    private void progress(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Actor actor = signedIn.get().actor();
        RecategorizationView status = RecategorizationView.of(organizations.recategorization(actor),
                organizations.settings(actor).timeZone());
        Frame frame = signedIn.get().frame("Re-categorisation", Section.SETTINGS);
        // no <meta http-equiv="refresh">: a page that reloads itself every few seconds moves a screen reader's
        // reading position and cannot be paused (WCAG 2.2.1, axe-core's meta-refresh); the page offers a link instead
        Pages.render(ctx, HttpStatus.OK, "settings-recategorization.jte", new RecategorizationView.Page(frame,
                status));
    }

    /** A change: CSRF checked; the work returns the notice to redirect with, or empty when it rendered a page. */
    @FunctionalInterface
    private interface Change {
        Optional<String> run(SignedIn signedIn);
    }

    private void changing(Context ctx, Change change) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        change.run(signedIn.get()).ifPresent(done ->
                Pages.redirect(ctx, PortalPaths.SETTINGS_CATEGORIES + "?done=" + done));
    }

    private static CategoriesPage.RuleForm ruleForm(Context ctx) {
        return new CategoriesPage.RuleForm(Settings.field(ctx, CATEGORY_FIELD).strip(),
                Settings.field(ctx, KIND_FIELD).strip(), Settings.field(ctx, PATTERN_FIELD),
                ctx.formParam(SUBDOMAINS_FIELD) != null);
    }

    private static NewCategoryRule newRule(CategoriesPage.RuleForm form) {
        CategoryRule.Kind kind;
        try {
            kind = CategoryRule.Kind.valueOf(form.kind());
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.about(KIND_FIELD, "choose what the rule matches");
        }
        return new NewCategoryRule(kind, form.pattern(), form.includeSubdomains());
    }

    /** A refusal of the rule form, beside its field (a taken pattern beside the pattern). */
    private static FormErrors ruleErrors(RuntimeException refused) {
        if (refused instanceof InvalidRequestException invalid) {
            return FormErrors.of(invalid, Map.of(), PATTERN_FIELD);
        }
        return FormErrors.of(PATTERN_FIELD, refused.getMessage());
    }

    private static HttpStatus status(RuntimeException refused) {
        return refused instanceof ConflictException ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST;
    }

    private static Productivity productivity(String value) {
        try {
            return Productivity.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.about(RATING_FIELD, "choose productive, neutral or unproductive");
        }
    }

    private static UUID uuid(String value, String message) {
        try {
            return UUID.fromString(Optional.ofNullable(value).orElse("").strip());
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest(message);
        }
    }

    /** A choice from the form's own list; none is a mistake shown beside the field. */
    private static UUID uuidOrRefuse(String value, String field, String message) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.about(field, message);
        }
    }
}
