package com.xentracker.portal.settings;

import com.xentracker.portal.page.Frame;
import java.util.Objects;

/**
 * Model of {@code settings-category-delete.jte}: what deleting a category does, and the form that does it.
 *
 * @param canDelete whether the form is shown (the server decides on the post)
 */
public record DeleteCategoryPage(Frame frame, String categoryId, String name, int rules, int groupRatings,
        boolean canDelete, String csrfToken) {

    public DeleteCategoryPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(categoryId, "categoryId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(csrfToken, "csrfToken");
    }

    /** What happens to its rules and the time they put into it. */
    public String consequences() {
        String rulesText = switch (rules) {
            case 0 -> "It has no rules.";
            case 1 -> "Its rule is deleted with it.";
            default -> "Its " + rules + " rules are deleted with it.";
        };
        return rulesText + " Time recorded in it becomes uncategorised, or goes to whatever other rule matches, once"
                + " the background re-categorisation has run" + (groupRatings > 0 ? "; the " + groupRatings
                + " group rating(s) of it go too." : ".");
    }
}
