package com.xentracker.testing.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.transport.MalformedMessageException;
import com.xentracker.transport.wire.DeviceKeyRotation;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.OrganizationCertificate;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target: transport's wire JSON. Decoding any bytes as any message either gives a message that encodes and
 * decodes again, or throws {@link MalformedMessageException}: never another exception (which the server would
 * answer with a 500).
 */
class WireJsonFuzzTest {

    private static final WireCodec CODEC = WireCodec.create();
    private static final List<Class<?>> MESSAGES = List.of(SpanBatch.class, EnrollmentRequest.class,
            EnrollmentResponse.class, DeviceKeyRotation.class, UploadReceipt.class, OrganizationCertificate.class,
            ErrorBody.class);
    private static final Instant NINE = Instant.parse("2026-11-29T09:00:00Z");

    private static void decodesOrIsMalformed(byte[] json) {
        for (Class<?> type : MESSAGES) {
            Object message;
            try {
                message = CODEC.decode(json, type);
            } catch (MalformedMessageException expected) {
                continue;
            }
            // what decoded must survive its own round trip
            CODEC.decode(CODEC.encode(message), type);
        }
    }

    private static List<byte[]> validMessages() {
        UUID device = UUID.randomUUID();
        SpanBatch batch = new SpanBatch(device, 7, List.of(
                Span.of(NINE, NINE.plusSeconds(60), Activity.active("firefox", "/usr/bin/firefox",
                        Optional.of("Inbox — Mail"))),
                Span.of(NINE.plusSeconds(60), NINE.plusSeconds(90), Activity.of(com.xentracker.core.activity.ActivityState.IDLE))),
                List.of(Gap.of(NINE.minusSeconds(600), NINE, GapReason.BUFFER_FULL)),
                com.xentracker.transport.wire.AgentState.unknown());
        return List.of(CODEC.encode(batch), CODEC.encode(new EnrollmentRequest("tok", "-----BEGIN PUBLIC KEY-----\nx",
                        "host", "Linux", "alice", "0.1.0")),
                CODEC.encode(new DeviceKeyRotation(device, "pem", "c2ln", "c2ln")),
                CODEC.encode(new ErrorBody("invalid-request", "m")));
    }

    @Test
    void arbitraryTextDecodesOrIsMalformed() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withChars("{}[]\":,0123456789.-eEtrufalsn \\u".toCharArray()).ofMaxLength(200));
        Fuzz.run("wire/arbitrary-text", 500, text, Fuzz::escaped,
                value -> decodesOrIsMalformed(value.getBytes(UTF_8)));
    }

    @Test
    void mutatedMessagesDecodeOrAreMalformed() {
        Fuzz.run("wire/mutated-messages", 1000, Mutations.ofAny(validMessages(), 6),
                bytes -> Fuzz.escaped(new String(bytes, UTF_8)), WireJsonFuzzTest::decodesOrIsMalformed);
    }
}
