package com.xentracker.collector.browser;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.fuzz.Fuzz;
import com.xentracker.testing.fuzz.Mutations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target: the agent's loopback events endpoint, over real HTTP on 127.0.0.1. Bodies are mutated real event
 * batches and arbitrary text, sent with the right headers or with hostile ones. Properties: never a 5xx; a refused
 * request hands nothing on; the endpoint keeps serving (a real event is accepted afterwards).
 */
class BrowserEndpointFuzzTest {

    private static final String EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop";
    private static final String ORIGIN = "chrome-extension://" + EXTENSION_ID;
    private static final Instant NOW = Instant.parse("2025-03-10T09:00:00Z");

    private final MutableClock clock = MutableClock.at(NOW);
    private final List<BrowserActivity> received = new CopyOnWriteArrayList<>();
    private BrowserEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private record Request(byte[] body, String origin, String contentType) {
    }

    @Test
    void eventsRequestsAreNeverA5xxAndRefusedOnesHandOnNothing() {
        // the highest rate the configuration allows, and a clock that moves: the limit is not what is fuzzed here
        endpoint = BrowserEndpoint.start(new BrowserEndpointConfig(0, Set.of(EXTENSION_ID), Optional.empty(),
                16 * 1024, 1000, 10_000), WebPolicy::defaults, received::addAll, clock);
        int port = endpoint.port();
        List<byte[]> seeds = List.of(BrowserEndpointTest.events(NOW, "mail.example.com").getBytes(UTF_8),
                ("{\"browser\":{\"name\":\"Firefox\",\"version\":\"140\"},\"events\":[{\"at\":\"" + NOW
                        + "\",\"state\":\"inactive\",\"reason\":\"window-blurred\"}]}").getBytes(UTF_8));
        Arbitrary<byte[]> bodies = Arbitraries.oneOf(Mutations.ofAny(seeds, 5), Mutations.ofAny(seeds, 5),
                Arbitraries.strings().ofMaxLength(300).map(text -> text.getBytes(UTF_8)));
        Arbitrary<String> origins = Arbitraries.oneOf(Arbitraries.just(ORIGIN), Arbitraries.just(ORIGIN),
                Arbitraries.of("", "null", "https://evil.example", "chrome-extension://" + "a".repeat(32),
                        ORIGIN + "/", ORIGIN.toUpperCase(java.util.Locale.ROOT)));
        Arbitrary<String> types = Arbitraries.of("application/json", "application/json; charset=utf-8",
                "text/plain", "", "application/x-www-form-urlencoded", "application/json; charset=latin1");
        Arbitrary<Request> requests = Combinators.combine(bodies, origins, types).as(Request::new);

        Fuzz.run("agent/browser-events", 300, requests, request -> Fuzz.hex(request.body()) + " origin "
                + request.origin() + " type " + request.contentType(), request -> {
                    clock.advance(Duration.ofMillis(2));
                    int before = received.size();
                    RawHttp http = RawHttp.request(port, "POST", BrowserEndpoint.EVENTS_PATH);
                    if (!request.origin().isEmpty()) {
                        http.header("Origin", request.origin());
                    }
                    if (!request.contentType().isEmpty()) {
                        http.header("Content-Type", request.contentType());
                    }
                    RawHttp.Response response = http.body(new String(request.body(), UTF_8)).send();
                    assertThat(response.status()).as(response.body()).isLessThan(500);
                    if (response.status() >= 300) {
                        assertThat(received).as("a refused request hands nothing on").hasSize(before);
                    }
                });

        received.clear();
        clock.set(NOW);
        RawHttp.Response real = RawHttp.request(port, "POST", BrowserEndpoint.EVENTS_PATH).header("Origin", ORIGIN)
                .header("Content-Type", "application/json").body(BrowserEndpointTest.events(NOW, "docs.example.com"))
                .send();
        assertThat(real.status()).as("still serving").isLessThan(300);
        assertThat(received).isNotEmpty();
    }
}
