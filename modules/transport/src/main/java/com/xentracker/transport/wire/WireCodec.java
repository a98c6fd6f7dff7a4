package com.xentracker.transport.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.deser.std.StdDelegatingDeserializer;
import com.fasterxml.jackson.databind.util.StdConverter;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.Span;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.transport.MalformedMessageException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * JSON for the wire records: UTF-8, ISO-8601 instants ({@code 2026-11-29T09:00:00Z}), field names as the record
 * components. Decoding is strict where it protects data (every record component must be present and non-null,
 * numbers must be integral, enums must be names, no trailing content) and lenient where it helps evolution (unknown
 * fields are ignored, so a newer server can add fields). Thread-safe.
 */
public final class WireCodec {

    private final ObjectMapper mapper;

    private WireCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static WireCodec create() {
        SimpleModule spans = new SimpleModule("xentracker-spans");
        // registered after JavaTimeModule, so it takes precedence for Instant; it falls back to that module's reader
        spans.addDeserializer(Instant.class, new IsoInstantDeserializer());
        spans.addSerializer(Span.class, new StdDelegatingSerializer(new SpanToJson()));
        spans.addDeserializer(Span.class, new StdDelegatingDeserializer<>(new JsonToSpan()));
        spans.addSerializer(Gap.class, new StdDelegatingSerializer(Gap.class, new Convert<>(GapJson::of) {}));
        spans.addSerializer(AgentState.class,
                new StdDelegatingSerializer(AgentState.class, new Convert<>(AgentStateJson::of) {}));
        spans.addDeserializer(AgentState.class,
                new StdDelegatingDeserializer<>(new Convert<>(AgentStateJson::toAgentState) {}));
        spans.addDeserializer(SpanBatch.class, new StdDelegatingDeserializer<>(new Convert<>(SpanBatchJson::toBatch) {}));
        spans.addSerializer(CollectionPolicy.class,
                new StdDelegatingSerializer(CollectionPolicy.class, new Convert<>(PolicyJson::of) {}));
        spans.addDeserializer(CollectionPolicy.class,
                new StdDelegatingDeserializer<>(new Convert<>(PolicyJson::toPolicy) {}));
        ObjectMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(spans)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // no setAccessible on core's (exported, not opened) types; wire records are public anyway
                .disable(MapperFeature.OVERRIDE_PUBLIC_ACCESS_MODIFIERS)
                .build();
        return new WireCodec(mapper);
    }

    /** The message as UTF-8 JSON. */
    public byte[] encode(Object message) {
        Objects.requireNonNull(message, "message");
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("cannot encode a " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads a {@code type} from UTF-8 JSON.
     *
     * @throws MalformedMessageException when the input is not JSON, not an object of that shape, lacks a field or
     *                                   has a value the record rejects
     */
    public <T> T decode(byte[] json, Class<T> type) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(type, "type");
        String name = type.getSimpleName();
        try {
            JsonNode tree = mapper.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                throw new MalformedMessageException("empty input, expected a " + name);
            }
            if (type.isRecord() && type.getModule() == WireCodec.class.getModule()) {
                fillInFieldsOlderPeersOmit(tree, type);
                requireAllComponents(tree, type);
            }
            return mapper.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException | NullPointerException | DateTimeException e) {
            // records reject bad values in their constructors; Jackson passes those exceptions through or wraps them
            MalformedMessageException malformed = new MalformedMessageException("not a valid " + name + ": " + reason(e));
            if (!(e instanceof JsonProcessingException)) {
                malformed.initCause(e);
            }
            throw malformed;
        }
    }

    /**
     * Fields added after the first release, and what a message without them means. A peer one version older leaves
     * them out; reading its message with these values keeps it working (an old agent's batches are still stored, an
     * old server's receipts are still understood). A receipt without a policy reads as {@link
     * CollectionPolicy#defaults()} with version 0, which never replaces a policy an agent already applies.
     * Only absent fields are filled in; an explicit null stays malformed.
     */
    private void fillInFieldsOlderPeersOmit(JsonNode tree, Class<?> type) {
        if (!(tree instanceof ObjectNode object)) {
            return; // requireAllComponents names the problem
        }
        Map<String, Object> defaults = ADDED_LATER.getOrDefault(type, Map.of());
        defaults.forEach((field, value) -> {
            if (!object.has(field)) {
                object.set(field, mapper.valueToTree(value));
            }
        });
    }

    private static final Map<Class<?>, Map<String, Object>> ADDED_LATER = Map.of(
            SpanBatch.class, Map.of("gaps", List.of(), "agentState", AgentState.unknown(), "erasuresDone", List.of()),
            EnrollmentResponse.class, Map.of("policy", CollectionPolicy.defaults()),
            UploadReceipt.class, Map.of("policy", CollectionPolicy.defaults(), "organizationCertificatePem", "",
                    "erasures", List.of()));

    /**
     * Jackson fills a missing creator property with null or 0; for the wire records every component is required,
     * and a silently zero {@code sequence} would be worse than a rejected message.
     */
    private static void requireAllComponents(JsonNode tree, Class<?> type) {
        if (!tree.isObject()) {
            throw new MalformedMessageException("expected a JSON object for " + type.getSimpleName());
        }
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getType() == Optional.class) {
                continue; // may be absent: its JSON shape says how (AgentState's backlog is two optional fields)
            }
            JsonNode value = tree.get(component.getName());
            if (value == null || value.isNull()) {
                throw new MalformedMessageException(
                        "field '" + component.getName() + "' is missing in " + type.getSimpleName());
            }
        }
    }

    /**
     * Names the problem and where it is, but never quotes the input: Jackson's own messages echo offending
     * values, and a span batch holds personal data (window titles) that must not reach logs. For the same reason
     * Jackson's exceptions are not attached as causes.
     */
    private static String reason(Exception e) {
        if (e instanceof JsonMappingException mapping) {
            Throwable cause = mapping.getCause();
            if (cause instanceof DateTimeException) {
                // java.time's parse messages quote the text ("Text '…' could not be parsed")
                return "invalid value at " + mapping.getPathReference()
                        + " (not an ISO-8601 date-time such as 2026-11-29T09:00:00Z)";
            }
            boolean ours = cause instanceof IllegalArgumentException || cause instanceof NullPointerException;
            return "invalid value at " + mapping.getPathReference() + (ours ? " (" + cause.getMessage() + ")" : "");
        }
        if (e instanceof JsonProcessingException json && json.getLocation() != null) {
            return "not well-formed JSON at line " + json.getLocation().getLineNr() + ", column "
                    + json.getLocation().getColumnNr();
        }
        if (e instanceof JsonProcessingException) {
            return "not well-formed JSON";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A converter from a method reference; subclassed anonymously so Jackson can read its type arguments. */
    private abstract static class Convert<I, O> extends StdConverter<I, O> {
        private final Function<I, O> function;

        Convert(Function<I, O> function) {
            this.function = function;
        }

        @Override
        public O convert(I value) {
            return function.apply(value);
        }
    }

    private static final class SpanToJson extends StdConverter<Span, SpanJson> {
        @Override
        public SpanJson convert(Span span) {
            return SpanJson.of(span);
        }
    }

    private static final class JsonToSpan extends StdConverter<SpanJson, Span> {
        @Override
        public Span convert(SpanJson json) {
            return json.toSpan();
        }
    }
}
