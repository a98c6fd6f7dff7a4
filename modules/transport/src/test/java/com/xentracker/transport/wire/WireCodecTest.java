package com.xentracker.transport.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.transport.MalformedMessageException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    private static final Instant T0 = Instant.parse("2026-11-29T09:00:00Z");
    private static final UUID DEVICE = UUID.fromString("0b6f4c3e-52a1-4c4e-9d51-6a3c1f0e2d7b");
    private static final Span TITLED = Span.of(T0, T0.plusSeconds(90),
            Activity.active("firefox", "/usr/lib/firefox/firefox", Optional.of("Quarterly report — Mozilla Firefox")));
    private static final Span UNTITLED = Span.of(T0.plusSeconds(90), T0.plusSeconds(120),
            Activity.active("xterm", "/usr/bin/xterm", Optional.empty()));
    private static final Span IDLE = Span.of(T0.plusSeconds(120), T0.plusSeconds(600), Activity.of(ActivityState.IDLE));

    private final WireCodec codec = WireCodec.create();

    @Test
    void testsRunOnTheModulePathWhereCoreIsNotOpenToJackson() {
        // the point of the span mapping: Jackson has no deep access to core's records
        assertThat(WireCodec.class.getModule().getName()).isEqualTo("com.xentracker.transport");
        assertThat(Span.class.getModule().getName()).isEqualTo("com.xentracker.core");
        assertThat(Span.class.getModule().isOpen(Span.class.getPackageName(), ObjectMapper.class.getModule()))
                .isFalse();
    }

    @Test
    void aSpanBatchWithAndWithoutTitlesRoundTrips() {
        SpanBatch batch = new SpanBatch(DEVICE, 42, List.of(TITLED, UNTITLED, IDLE));

        SpanBatch decoded = codec.decode(codec.encode(batch), SpanBatch.class);

        assertThat(decoded).isEqualTo(batch);
        assertThat(decoded.spans().get(0).activity().title()).contains("Quarterly report — Mozilla Firefox");
        assertThat(decoded.spans().get(1).activity().title()).isEmpty();
    }

    @Test
    void instantsAreIso8601AndAnAbsentTitleIsOmitted() {
        String json = new String(codec.encode(new SpanBatch(DEVICE, 1, List.of(UNTITLED))), UTF_8);

        assertThat(json).isEqualTo("{\"deviceId\":\"" + DEVICE + "\",\"sequence\":1,\"spans\":[{"
                + "\"start\":\"2026-11-29T09:01:30Z\",\"end\":\"2026-11-29T09:02:00Z\",\"activity\":{"
                + "\"state\":\"ACTIVE\",\"application\":\"xterm\",\"executable\":\"/usr/bin/xterm\"}}],"
                + "\"gaps\":[],\"agentState\":{\"agentVersion\":\"\",\"capture\":\"UNKNOWN\","
                + "\"captureDetail\":\"\",\"policyVersion\":0}}");
    }

    @Test
    void aNullTitleReadsAsAbsent() {
        String json = "{\"deviceId\":\"" + DEVICE + "\",\"sequence\":7,\"spans\":[{\"start\":\"2026-11-29T09:00:00Z\","
                + "\"end\":\"2026-11-29T09:00:05Z\",\"activity\":{\"state\":\"LOCKED\",\"application\":\"\","
                + "\"executable\":\"\",\"title\":null}}]}";

        SpanBatch batch = codec.decode(json.getBytes(UTF_8), SpanBatch.class);

        assertThat(batch.spans()).containsExactly(Span.of(T0, T0.plusSeconds(5), Activity.of(ActivityState.LOCKED)));
    }

    @Test
    void theOtherMessagesRoundTrip() {
        List<Object> messages = List.of(
                new EnrollmentRequest("tok-123", "-----BEGIN PUBLIC KEY-----\n...", "ws-17", "Debian GNU/Linux 12",
                        "alice", "0.1.0"),
                new EnrollmentResponse(DEVICE, UUID.randomUUID(), "Acme", "-----BEGIN CERTIFICATE-----\n..."),
                new UploadReceipt(DEVICE, 42, 3, true),
                new ErrorBody(ErrorCode.ENROLLMENT_TOKEN_UNKNOWN.code(), "the enrollment token is unknown or used"));

        for (Object message : messages) {
            assertThat(codec.decode(codec.encode(message), message.getClass())).isEqualTo(message);
        }
    }

    @Test
    void unknownFieldsAreIgnoredSoTheServerCanAddFields() {
        String json = "{\"code\":\"c\",\"message\":\"m\",\"addedLater\":[1,2]}";

        assertThat(codec.decode(json.getBytes(UTF_8), ErrorBody.class)).isEqualTo(new ErrorBody("c", "m"));
    }

    @Test
    void malformedJsonIsRejected() {
        assertThatThrownBy(() -> codec.decode("{\"code\":".getBytes(UTF_8), ErrorBody.class))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("ErrorBody");
        assertThatThrownBy(() -> codec.decode(new byte[0], ErrorBody.class))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> codec.decode("[]".getBytes(UTF_8), ErrorBody.class))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> codec.decode("{\"code\":\"c\",\"message\":\"m\"} trailing".getBytes(UTF_8),
                ErrorBody.class)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void aMissingSequenceIsRejectedRatherThanReadAsZero() {
        String json = "{\"deviceId\":\"" + DEVICE + "\",\"spans\":[]}";

        assertThatThrownBy(() -> codec.decode(json.getBytes(UTF_8), SpanBatch.class))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("sequence");
    }

    @Test
    void missingOrNullRequiredFieldsAreRejected() {
        assertThatThrownBy(() -> codec.decode("{\"code\":\"c\"}".getBytes(UTF_8), ErrorBody.class))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("message");
        assertThatThrownBy(() -> codec.decode("{\"code\":null,\"message\":\"m\"}".getBytes(UTF_8), ErrorBody.class))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("code");
    }

    @Test
    void aSpanWithoutAnEndIsRejected() {
        String json = "{\"deviceId\":\"" + DEVICE + "\",\"sequence\":1,\"spans\":[{\"start\":\"2026-11-29T09:00:00Z\","
                + "\"activity\":{\"state\":\"IDLE\",\"application\":\"\",\"executable\":\"\"}}]}";

        assertThatThrownBy(() -> codec.decode(json.getBytes(UTF_8), SpanBatch.class))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("end");
    }

    @Test
    void aSpanEndingBeforeItStartsIsRejected() {
        String json = "{\"deviceId\":\"" + DEVICE + "\",\"sequence\":1,\"spans\":[{\"start\":\"2026-11-29T09:00:00Z\","
                + "\"end\":\"2026-11-29T08:00:00Z\",\"activity\":{\"state\":\"IDLE\",\"application\":\"\","
                + "\"executable\":\"\"}}]}";

        assertThatThrownBy(() -> codec.decode(json.getBytes(UTF_8), SpanBatch.class))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("before it starts");
    }

    @Test
    void wrongTypesAreRejected() {
        String fractional = "{\"deviceId\":\"" + DEVICE + "\",\"sequence\":1.5,\"spans\":[]}";
        String notAUuid = "{\"deviceId\":\"device-1\",\"sequence\":1,\"spans\":[]}";
        String negative = "{\"deviceId\":\"" + DEVICE + "\",\"sequence\":-1,\"spans\":[]}";

        for (String json : List.of(fractional, notAUuid, negative)) {
            assertThatThrownBy(() -> codec.decode(json.getBytes(UTF_8), SpanBatch.class))
                    .as(json).isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void rejectionMessagesNeverQuoteTheInput() {
        String json = "{\"deviceId\":\"" + DEVICE + "\",\"sequence\":1,\"spans\":[{\"start\":\"2026-11-29T09:00:00Z\","
                + "\"end\":\"2026-11-29T09:00:05Z\",\"activity\":{\"state\":\"Salary negotiation - Mail\","
                + "\"application\":\"\",\"executable\":\"\"}}]}";

        assertThatThrownBy(() -> codec.decode(json.getBytes(UTF_8), SpanBatch.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("spans")
                .hasMessageNotContaining("Salary")
                .hasNoCause();
    }

    @Test
    void theEnrollmentTokenNeverAppearsInToString() {
        EnrollmentRequest request = new EnrollmentRequest("s3cret-token", "pem", "ws-17", "Debian", "alice", "0.1.0");

        assertThat(request.toString()).doesNotContain("s3cret-token").contains("ws-17");
    }

    @Test
    void batchRouteFillsInItsParameters() {
        assertThat(Routes.batch(DEVICE, 42)).isEqualTo("/api/v1/devices/" + DEVICE + "/batches/42");
    }
}
