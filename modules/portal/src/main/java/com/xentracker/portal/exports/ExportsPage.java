package com.xentracker.portal.exports;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;

/**
 * Model of {@code exports.jte}.
 *
 * @param datasets       the datasets the account may export
 * @param people         people to filter by (and to make an access package of)
 * @param tokens         the account's own API tokens
 * @param canPackage     whether the account may make access packages (owners and administrators)
 * @param exampleCurl    a curl command for the API, with a placeholder for the token
 */
public record ExportsPage(Frame frame, List<Choice> datasets, List<Choice> people, List<Choice> groups,
        List<Choice> devices, List<TokenRow> tokens, boolean canPackage, String csrfToken, int maxTokenDays,
        int defaultTokenDays, String exampleCurl) {

    public ExportsPage {
        Objects.requireNonNull(frame, "frame");
        datasets = List.copyOf(datasets);
        people = List.copyOf(people);
        groups = List.copyOf(groups);
        devices = List.copyOf(devices);
        tokens = List.copyOf(tokens);
        Objects.requireNonNull(csrfToken, "csrfToken");
    }

    /** An option of a list. */
    public record Choice(String value, String label) {
    }

    /** One of the account's tokens (never the token itself). */
    public record TokenRow(String id, String name, String created, String createdDatetime, String expires,
            String expiresDatetime, String lastUsed, String state, String stateClass, boolean revocable) {
    }
}
