package com.xentracker.transport.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.transport.MalformedMessageException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantDeserializerTest {

    private final WireCodec codec = WireCodec.create();

    private Instant decode(String text) {
        String json = "{\"deviceId\":\"0b6f4c3e-52a1-4c4e-9d51-6a3c1f0e2d7b\",\"sequence\":5,\"spans\":[],"
                + "\"gaps\":[{\"from\":\"" + text + "\",\"to\":\"9999-12-31T23:59:59.999999999Z\","
                + "\"reason\":\"BUFFER_FULL\"}]}";
        return codec.decode(json.getBytes(UTF_8), SpanBatch.class).gaps().get(0).from();
    }

    @Test
    void readsEveryInstantAsJavaTimeDoes() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            // 1900 to 2200, with 0, 3, 6 or 9 fraction digits as Instant.toString writes them
            long seconds = -2_208_988_800L + (long) (random.nextDouble() * 9_467_280_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String text = instant.toString();

            assertThat(IsoInstantDeserializer.parse(text)).as(text).isEqualTo(instant);
        }
    }

    @Test
    void fractionsOfAnyLengthUpToNanosecondsAndLeapDaysAreRead() {
        for (String text : List.of("2026-11-29T09:00:00.5Z", "2026-11-29T09:00:00.05Z", "2026-11-29T09:00:00.123456789Z",
                "2024-02-29T23:59:59Z", "2000-02-29T00:00:00Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z")) {
            assertThat(IsoInstantDeserializer.parse(text)).as(text).isEqualTo(Instant.parse(text));
            assertThat(decode(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void whatTheFastPathDoesNotKnowIsLeftToJavaTime() {
        // not the exact form agents write: the general parser decides, with the same answer as before
        for (String text : List.of("2026-11-29T10:00:00+01:00", "2026-11-29T09:00:00.1234567890Z",
                "+12026-11-29T09:00:00Z", "2026-11-29T09:00Z")) {
            assertThat(IsoInstantDeserializer.parse(text)).as(text).isNull();
        }
        assertThat(decode("2026-11-29T10:00:00+01:00")).isEqualTo(Instant.parse("2026-11-29T09:00:00Z"));
    }

    @Test
    void impossibleDatesAndTimesAreRejectedAsBefore() {
        for (String text : List.of("2026-02-29T09:00:00Z", "2026-13-01T09:00:00Z", "2026-04-31T09:00:00Z",
                "2026-11-29T24:00:00Z", "2026-11-29T09:60:00Z", "2026-11-29T09:00:61Z", "2026-11-29t09:00:00Z",
                "2026-11-29T09:00:00z", "2026-1l-29T09:00:00Z", "2026-11-29T09:00:00.Z", "2026-11-29 09:00:00Z")) {
            assertThat(IsoInstantDeserializer.parse(text)).as(text).isNull();
            boolean javaTimeReadsIt;
            try {
                Instant.parse(text);
                javaTimeReadsIt = true;
            } catch (DateTimeParseException e) {
                javaTimeReadsIt = false;
            }
            if (javaTimeReadsIt) {
                assertThat(decode(text)).as(text).isEqualTo(Instant.parse(text));
            } else {
                assertThatThrownBy(() -> decode(text)).as(text).isInstanceOf(MalformedMessageException.class)
                        .hasMessageContaining("not an ISO-8601 date-time");
            }
        }
    }
}
