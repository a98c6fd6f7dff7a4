package com.xentracker.portal.settings;

import com.xentracker.portal.page.FormErrors;
import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code settings-categories.jte}: categories and their ratings, the rules in the order they are tried, each
 * group's own ratings, the re-categorisation's state, and the forms (as typed, after a refusal or a rule's test).
 *
 * @param canChange       whether the account may change categories (owners and administrators)
 * @param titlesCollected whether the policy collects window titles (title rules count only then)
 */
public record CategoriesPage(Frame frame, boolean canChange, String csrfToken, Optional<String> notice,
        FormErrors errors, List<CategoryRow> categories, List<RuleRow> rules, List<GroupRatings> groups,
        RecategorizationView status, NewCategory newCategory, RuleForm ruleForm, Optional<TestResult> test,
        boolean titlesCollected) {

    /** A choice in a select: its value and what it says. */
    public record Option(String value, String label) {
    }

    /** The productivity ratings to choose from. */
    public static final List<Option> RATINGS = List.of(new Option("PRODUCTIVE", "Productive"),
            new Option("NEUTRAL", "Neutral"), new Option("UNPRODUCTIVE", "Unproductive"));

    /** One category: its rename-and-rate form's values and how many rules put time into it. */
    public record CategoryRow(String id, String name, String rating, String ratingLabel, String ratingClass,
            int rules) {

        /** The form field of this row's name (for its error). */
        public String nameField() {
            return "name-" + id;
        }
    }

    /** One rule, at its place in the order. */
    public record RuleRow(String id, int position, String kind, String pattern, String scope, String category,
            boolean first, boolean last, boolean inactive) {
    }

    /** A group's ratings form: per category the group's own rating, or '' for the organization's. */
    public record GroupRatings(String id, String name, List<Cell> cells) {

        public record Cell(String categoryId, String category, String selected, String organizationRating) {

            /** The select's field name. */
            public String field() {
                return "rating-" + categoryId;
            }
        }

        /** How many categories the group rates its own way. */
        public long overrides() {
            return cells.stream().filter(cell -> !cell.selected().isEmpty()).count();
        }
    }

    /** The new category form's values. */
    public record NewCategory(String name, String rating) {
    }

    /** The rule form's values: the category's id, the kind's name, the pattern, and subdomains for a site. */
    public record RuleForm(String categoryId, String kind, String pattern, boolean includeSubdomains) {

        public static RuleForm empty() {
            return new RuleForm("", "APPLICATION", "", true);
        }
    }

    /** What a rule's test found. */
    public record TestResult(String rule, String period, List<Match> matches, String total, boolean titleRule,
            boolean titlesCollected, boolean more) {

        /** One thing the rule would match, with its active time and the category it has now. */
        public record Match(String application, String domain, String title, String time, String category) {
        }
    }

    public CategoriesPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(errors, "errors");
        categories = List.copyOf(categories);
        rules = List.copyOf(rules);
        groups = List.copyOf(groups);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(newCategory, "newCategory");
        Objects.requireNonNull(ruleForm, "ruleForm");
        Objects.requireNonNull(test, "test");
    }

    public SettingsTab tab() {
        return SettingsTab.CATEGORIES;
    }

    /** The kinds of rule to choose from (a title rule only while titles are collected, or already chosen). */
    public List<Option> kinds() {
        return titlesCollected || ruleForm.kind().equals("TITLE")
                ? List.of(new Option("APPLICATION", "Application name"), new Option("DOMAIN", "Site (domain)"),
                        new Option("TITLE", "Window title contains"))
                : List.of(new Option("APPLICATION", "Application name"), new Option("DOMAIN", "Site (domain)"));
    }

    public List<Option> ratings() {
        return RATINGS;
    }
}
