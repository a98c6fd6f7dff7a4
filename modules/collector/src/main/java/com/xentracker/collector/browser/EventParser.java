package com.xentracker.collector.browser;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the extension's request body (see extension/README.md, "Wire format"). Uses Jackson's tree model only, so
 * nothing is bound reflectively and no package is opened to Jackson. Unknown fields are ignored, so that a newer
 * extension can add some; a missing or mistyped known field rejects the whole request.
 */
final class EventParser {

    /** More than this many events in one request is malformed: the extension sends at most 50 at a time. */
    static final int MAX_EVENTS = 100;
    static final int MAX_FIELD_LENGTH = 4096;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // bodies are small and flat; refuse deep nesting and huge strings before building a tree
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(8).maxStringLength(MAX_FIELD_LENGTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .build();

    private EventParser() {}

    /** The request's events, in order and not yet filtered by policy. */
    static List<BrowserActivity> parse(byte[] body) throws MalformedEventsException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new MalformedEventsException("not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventsException("not a JSON object");
        }
        JsonNode browser = object(root, "browser");
        String name = text(browser, "name", 64, true).orElseThrow();
        String version = text(browser, "version", 64, false).orElse("");
        JsonNode events = root.get("events");
        if (events == null || !events.isArray() || events.isEmpty() || events.size() > MAX_EVENTS) {
            throw new MalformedEventsException("events must be an array of 1 to " + MAX_EVENTS);
        }
        List<BrowserActivity> activities = new ArrayList<>(events.size());
        for (JsonNode event : events) {
            if (!event.isObject()) {
                throw new MalformedEventsException("an event is not an object");
            }
            Instant at = instant(text(event, "at", 40, true).orElseThrow());
            String stateName = text(event, "state", 16, true).orElseThrow();
            BrowserState state = BrowserState.ofWireName(stateName)
                    .orElseThrow(() -> new MalformedEventsException("unknown state"));
            if (name.isBlank()) {
                throw new MalformedEventsException("browser name is blank");
            }
            activities.add(new BrowserActivity(at, state, name.strip(), version.strip(), tab(event.get("tab"))));
        }
        return activities;
    }

    private static Optional<WebTab> tab(JsonNode tab) throws MalformedEventsException {
        if (tab == null || tab.isNull()) {
            return Optional.empty();
        }
        if (!tab.isObject()) {
            throw new MalformedEventsException("tab is not an object");
        }
        boolean audible = bool(tab, "audible");
        if (bool(tab, "excluded")) {
            return Optional.of(WebTab.excluded(audible));
        }
        String domain = text(tab, "domain", 253, true).orElseThrow();
        if (domain.isBlank()) {
            throw new MalformedEventsException("domain is blank");
        }
        // a "title" (sent only where the managed policy turns titles on) is ignored like any unknown field
        return Optional.of(new WebTab(domain, text(tab, "url", MAX_FIELD_LENGTH, false), audible, false));
    }

    private static JsonNode object(JsonNode parent, String field) throws MalformedEventsException {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw new MalformedEventsException(field + " must be an object");
        }
        return node;
    }

    private static Optional<String> text(JsonNode parent, String field, int maxLength, boolean required)
            throws MalformedEventsException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new MalformedEventsException(field + " is missing");
            }
            return Optional.empty();
        }
        if (!node.isTextual() || node.textValue().length() > maxLength) {
            throw new MalformedEventsException(field + " must be a string of at most " + maxLength + " characters");
        }
        return Optional.of(node.textValue());
    }

    private static boolean bool(JsonNode parent, String field) throws MalformedEventsException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new MalformedEventsException(field + " must be true or false");
        }
        return node.booleanValue();
    }

    private static Instant instant(String text) throws MalformedEventsException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedEventsException("at is not an ISO-8601 instant");
        }
    }

    /** The body is not a valid event request; the message names the problem, never the content. */
    static final class MalformedEventsException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedEventsException(String message) {
            super(message, null, false, false);
        }
    }
}
