package com.xentracker.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.testing.fuzz.Fuzz;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.Routes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fuzz targets through the real server: the enrollment request (JSON built from real and hostile parts, and
 * mutated text) and the device routes' path segments. Properties: never a 5xx, nothing stored, and the server keeps
 * serving (a real enrollment works afterwards).
 */
class EnrollmentFuzzTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private static final String PEM = Pem.encodePublicKey(DeviceKeys.generate().getPublic());

    private static Arbitrary<String> hostileText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(80), Arbitraries.of("", " ", "\u0000", "\uFFFF",
                "\uD800", "%uFFFF", "x".repeat(5000), "-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----",
                PEM, PEM.replace('A', 'B'), "{\"a\":1}", "null", "1e999999"));
    }

    /** A JSON value for a field: a hostile string, or another JSON type where a string belongs. */
    private static Arbitrary<String> jsonValue() {
        return Arbitraries.oneOf(hostileText().map(EnrollmentFuzzTest::quoted),
                Arbitraries.of("null", "true", "0", "-1", "1e308", "[]", "{}", "[\"a\"]", "{\"token\":\"t\"}"));
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static Arbitrary<String> requests() {
        List<String> fields = List.of("token", "devicePublicKeyPem", "hostname", "operatingSystem", "osUser",
                "agentVersion", "unknownField");
        Arbitrary<String> structured = Combinators.combine(Arbitraries.subsetOf(fields),
                jsonValue().list().ofSize(fields.size())).as((chosen, values) -> {
                    StringBuilder json = new StringBuilder("{");
                    int i = 0;
                    for (String field : fields) {
                        if (chosen.contains(field)) {
                            json.append(json.length() > 1 ? "," : "").append('"').append(field).append("\":")
                                    .append(values.get(i));
                        }
                        i++;
                    }
                    return json.append('}').toString();
                });
        Arbitrary<String> mutated = structured.flatMap(json -> Arbitraries.integers().between(0, json.length())
                .map(cut -> json.substring(0, cut)));
        return Arbitraries.oneOf(structured, structured, mutated, Arbitraries.strings().ofMaxLength(200));
    }

    private static long devices() {
        return server.count("SELECT count(*) FROM devices");
    }

    @Test
    void enrollmentRequestsAreNeverA5xxAndEnrollNothing() {
        long before = devices();

        Fuzz.run("server/enrollment-request", 60, requests(), Fuzz::escaped, body -> {
            Https.Response answer = server.https().post(Routes.ENROLL, "application/json", body.getBytes(UTF_8));
            assertThat(answer.status()).as(answer.text()).isBetween(400, 499);
        });

        assertThat(devices()).as("nothing enrolled without a valid token").isEqualTo(before);
        server.enroll(server.newOrganization()); // still serving
        assertThat(devices()).isEqualTo(before + 1);
    }

    @Test
    void deviceRouteSegmentsAreNeverA5xx() {
        Arbitrary<String> segments = Arbitraries.oneOf(Arbitraries.strings().withCharRange('!', '~').ofMaxLength(40),
                Arbitraries.strings().ofMaxLength(20).map(s -> java.net.URLEncoder.encode(s, UTF_8)),
                Arbitraries.of(UUID.randomUUID().toString(), "%uFFFF", "%", "..", "%2e%2e", "-1", "99999999999999999999"));
        Fuzz.run("server/device-route-segments", 40, Combinators.combine(segments, segments).as(List::of),
                pair -> Fuzz.escaped(String.join(" ", pair)), pair -> {
                    String id = pair.get(0).replace(" ", "%20").replace("#", "%23").replace("?", "%3F");
                    String sequence = pair.get(1).replace(" ", "%20").replace("#", "%23").replace("?", "%3F");
                    List<Https.Response> answers = List.of(
                            server.https().raw("POST", "/api/v1/devices/" + id + "/batches/" + sequence,
                                    Map.of("Content-Type", Routes.SEALED_BATCH_MEDIA_TYPE), new byte[] {0x30, 0}),
                            server.https().raw("GET", "/api/v1/devices/" + id + "/organization-certificate",
                                    Map.of(), null),
                            server.https().raw("POST", "/api/v1/devices/" + id + "/key",
                                    Map.of("Content-Type", "application/json"), "{}".getBytes(UTF_8)));
                    assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.text())
                            .isBetween(400, 499));
                });

        assertThat(server.count("SELECT count(*) FROM batches")).isZero();
        assertThat(server.https().get("/healthz").status()).isEqualTo(200);
    }
}
