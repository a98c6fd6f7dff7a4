package com.xentracker.portal.page;

import com.xentracker.server.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What was wrong with a posted form, per field: the page is shown again with what the person typed, each message
 * beside its field ({@code tag/field-error.jte}), the field marked {@code aria-invalid} and described by its message,
 * instead of an error page in place of the form. Field names are the form's own ({@code name} attributes).
 */
public record FormErrors(Map<String, String> messages) {

    private static final FormErrors NONE = new FormErrors(Map.of());

    public FormErrors {
        messages = Map.copyOf(messages);
    }

    public static FormErrors none() {
        return NONE;
    }

    public static FormErrors of(String field, String message) {
        return new FormErrors(Map.of(Objects.requireNonNull(field, "field"), Pages.sentence(message)));
    }

    /**
     * The server's refusal, beside the field it names ({@code field()}), translated to the form's name for it by
     * {@code fields} (server name → form name); a refusal that names no field (or one the form lacks) goes beside
     * {@code fallback}.
     */
    public static FormErrors of(InvalidRequestException refusal, Map<String, String> fields, String fallback) {
        String field = refusal.field().map(name -> fields.getOrDefault(name, name)).orElse(fallback);
        return of(field, refusal.getMessage());
    }

    /** These errors and {@code field}'s (the first message of a field stays). */
    public FormErrors and(String field, String message) {
        Map<String, String> more = new LinkedHashMap<>(messages);
        more.putIfAbsent(field, Pages.sentence(message));
        return new FormErrors(more);
    }

    public boolean any() {
        return !messages.isEmpty();
    }

    public boolean has(String field) {
        return messages.containsKey(field);
    }

    public Optional<String> message(String field) {
        return Optional.ofNullable(messages.get(field));
    }

    /** {@code aria-invalid}'s value for the field: "true", or none (jte leaves a null attribute out). */
    public String invalid(String field) {
        return has(field) ? "true" : null;
    }

    /** The id of the field's message, for {@code aria-describedby} (none without a message). */
    public String describedBy(String field) {
        return has(field) ? id(field) : null;
    }

    /** The id the message element gets. */
    public static String id(String field) {
        return field.replaceAll("[^A-Za-z0-9_-]", "-") + "-error";
    }
}
