package com.xentracker.collector.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.testing.clock.MutableClock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint over real HTTP on 127.0.0.1, storing into a real SQLite file. */
class BrowserEndpointTest {

    private static final String EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop";
    private static final String EDGE_ID = "ponmlkjihgfedcbaponmlkjihgfedcba";
    private static final String ORIGIN = "chrome-extension://" + EXTENSION_ID;
    private static final String TOKEN = "0123456789abcdef-token";
    private static final Instant NOW = Instant.parse("2025-03-10T09:00:00Z");

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at(NOW);
    private final AtomicReference<WebPolicy> policy = new AtomicReference<>(WebPolicy.defaults());
    /** What the endpoint handed on, in order (the agent's listener is {@link ActiveTabs}). */
    private final List<BrowserActivity> received = new CopyOnWriteArrayList<>();
    private BrowserEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private int start(BrowserEndpointConfig config) {
        endpoint = BrowserEndpoint.start(config, policy::get, received::addAll, clock);
        return endpoint.port();
    }

    private int start() {
        return start(config());
    }

    private static BrowserEndpointConfig config() {
        return new BrowserEndpointConfig(0, Set.of(EXTENSION_ID, EDGE_ID), Optional.empty(), 16 * 1024, 5, 20);
    }

    private RawHttp post(int port) {
        return RawHttp.request(port, "POST", BrowserEndpoint.EVENTS_PATH).header("Origin", ORIGIN)
                .header("Content-Type", "application/json").body(events(NOW, "mail.example.com"));
    }

    static String events(Instant at, String domain) {
        return """
                {"browser":{"name":"Chromium","version":"156.0.8078.108"},"events":[{"at":"%s","state":"active",\
                "reason":"tab-activated","tab":{"domain":"%s","url":"https://user:pw@%s/inbox/42?q=secret#top",\
                "title":"Inbox (3) - someone@example.com","audible":false}}]}""".formatted(at, domain, domain);
    }

    private void assertRefused(RawHttp.Response response, int status) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.hasCorsHeader()).as("CORS headers in %s", response.headers()).isFalse();
        assertThat(received).isEmpty();
    }

    @Test
    void eventFromTheExtensionIsStoredAsDomainOnlyByDefault() {
        RawHttp.Response response = post(start()).send();

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.hasCorsHeader()).isFalse();
        assertThat(received).singleElement().satisfies(event -> {
            assertThat(event.tab()).contains(WebTab.of("mail.example.com", false));
            assertThat(event.state()).isEqualTo(BrowserState.ACTIVE);
            assertThat(event.browserName()).isEqualTo("Chromium");
            assertThat(event.at()).isEqualTo(NOW);
        });
    }

    @Test
    void edgeExtensionIdInTheAllowlistIsAccepted() {
        int port = start();

        assertThat(post(port).replace("Origin", "chrome-extension://" + EDGE_ID).send().status()).isEqualTo(204);
    }

    @Test
    void localhostHostIsAccepted() {
        int port = start();

        assertThat(post(port).replace("Host", "localhost:" + port).send().status()).isEqualTo(204);
    }

    @Test
    void reboundHostNameIsRefused() {
        int port = start();

        assertRefused(post(port).replace("Host", "evil.example:" + port).send(), 421);
        assertRefused(post(port).replace("Host", "127.0.0.1.evil.example:" + port).send(), 421);
    }

    @Test
    void hostWithAnotherPortOrNoPortIsRefused() {
        int port = start();

        assertRefused(post(port).replace("Host", "127.0.0.1:" + (port == 1 ? 2 : 1)).send(), 421);
        assertRefused(post(port).replace("Host", "127.0.0.1").send(), 421);
    }

    @Test
    void requestWithoutHostIsRefused() {
        int port = start();

        RawHttp.Response response = post(port).without("Host").send();

        assertThat(response.status()).isBetween(400, 499);
        assertRefused(response, response.status());
    }

    @Test
    void webPageOriginIsRefused() {
        int port = start();

        assertRefused(post(port).replace("Origin", "http://alpha.test:8080").send(), 403);
        assertRefused(post(port).replace("Origin", "null").send(), 403);
    }

    @Test
    void missingOrRepeatedOriginIsRefused() {
        int port = start();

        assertRefused(post(port).without("Origin").send(), 403);
        assertRefused(post(port).header("Origin", ORIGIN).send(), 403);
    }

    @Test
    void extensionNotInTheAllowlistIsRefused() {
        int port = start();

        assertRefused(post(port).replace("Origin", "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").send(), 403);
    }

    @Test
    void corsPreflightIsRefusedWithoutCorsHeaders() {
        int port = start();

        // what a web page's fetch with Content-Type: application/json sends first
        assertRefused(RawHttp.request(port, "OPTIONS", BrowserEndpoint.EVENTS_PATH)
                .header("Origin", "http://alpha.test:8080").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .header("Access-Control-Request-Private-Network", "true").send(), 403);
        assertRefused(RawHttp.request(port, "OPTIONS", BrowserEndpoint.EVENTS_PATH).header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST").send(), 405);
    }

    @Test
    void methodsOtherThanPostAreRefused() {
        int port = start();

        RawHttp.Response get = RawHttp.request(port, "GET", BrowserEndpoint.EVENTS_PATH).header("Origin", ORIGIN)
                .send();
        assertRefused(get, 405);
        assertThat(get.headers()).containsEntry("allow", "POST");
        for (String method : new String[] {"PUT", "DELETE", "PATCH"}) {
            assertRefused(RawHttp.request(port, method, BrowserEndpoint.EVENTS_PATH).header("Origin", ORIGIN)
                    .header("Content-Type", "application/json").body(events(NOW, "example.com")).send(), 405);
        }
    }

    @Test
    void unknownPathIsNotFound() {
        int port = start();

        assertRefused(RawHttp.request(port, "POST", "/v1/other").header("Origin", ORIGIN)
                .header("Content-Type", "application/json").body(events(NOW, "example.com")).send(), 404);
    }

    @Test
    void bodyThatIsNotJsonIsRefused() {
        int port = start();

        assertRefused(post(port).replace("Content-Type", "text/plain").send(), 415);
        assertRefused(post(port).replace("Content-Type", "application/x-www-form-urlencoded").send(), 415);
        assertRefused(post(port).replace("Content-Type", "multipart/form-data; boundary=x").send(), 415);
        assertRefused(post(port).replace("Content-Type", "application/json; charset=iso-8859-1").send(), 415);
        assertRefused(post(port).without("Content-Type").send(), 415);
    }

    @Test
    void jsonWithCharsetUtf8IsAccepted() {
        int port = start();

        assertThat(post(port).replace("Content-Type", "application/json; charset=UTF-8").send().status())
                .isEqualTo(204);
    }

    @Test
    void bodyOverTheLimitIsRefused() {
        int port = start();
        String big = "{\"browser\":{\"name\":\"x\"},\"pad\":\"" + "a".repeat(17 * 1024) + "\"}";

        assertRefused(post(port).body(big).send(), 413);
        assertRefused(post(port).body(big).chunked().send(), 413);
    }

    @Test
    void floodIsRateLimitedAndRecoversWithTime() {
        int port = start(new BrowserEndpointConfig(0, Set.of(EXTENSION_ID), Optional.empty(), 16 * 1024, 1, 3));

        for (int i = 0; i < 3; i++) {
            assertThat(post(port).send().status()).isEqualTo(204);
        }
        RawHttp.Response limited = post(port).send();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers()).containsEntry("retry-after", "1");
        assertThat(limited.hasCorsHeader()).isFalse();

        clock.advance(Duration.ofSeconds(1));
        assertThat(post(port).send().status()).isEqualTo(204);
    }

    @Test
    void sharedTokenIsRequiredWhenConfigured() {
        int port = start(new BrowserEndpointConfig(0, Set.of(EXTENSION_ID), Optional.of(TOKEN), 16 * 1024, 5, 20));

        assertRefused(post(port).send(), 403);
        assertRefused(post(port).header(BrowserEndpoint.TOKEN_HEADER, TOKEN + "x").send(), 403);
        assertRefused(post(port).header(BrowserEndpoint.TOKEN_HEADER, TOKEN.substring(1)).send(), 403);
        assertThat(post(port).header(BrowserEndpoint.TOKEN_HEADER, TOKEN).send().status()).isEqualTo(204);
    }

    @Test
    void malformedEventsAreRefused() {
        int port = start();

        assertRefused(post(port).body("{not json").send(), 400);
        assertRefused(post(port).body("[]").send(), 400);
        assertRefused(post(port).body("{\"browser\":{\"name\":\"Chromium\"},\"events\":[]}").send(), 400);
        assertRefused(post(port).body(events(NOW, "example.com").replace("\"active\"", "\"dancing\"")).send(), 400);
        assertRefused(post(port).body(events(NOW, "example.com").replace(NOW.toString(), "yesterday")).send(), 400);
        assertRefused(post(port).body(events(NOW, "example.com").replace("\"audible\":false", "\"audible\":\"no\""))
                .send(), 400);
        String event = "{\"at\":\"" + NOW + "\",\"state\":\"unfocused\"}";
        String tooMany = "{\"browser\":{\"name\":\"Chromium\"},\"events\":["
                + String.join(",", Collections.nCopies(EventParser.MAX_EVENTS + 1, event)) + "]}";
        assertRefused(post(port).body(tooMany).send(), 400);
    }

    @Test
    void eventsFarFromTheAgentsClockAreDropped() {
        int port = start();

        assertThat(post(port).body(events(NOW.minus(Duration.ofHours(1)), "old.example")).send().status())
                .isEqualTo(204);
        assertThat(post(port).body(events(NOW.plus(Duration.ofHours(1)), "future.example")).send().status())
                .isEqualTo(204);

        assertThat(received).isEmpty();
    }

    @Test
    void policyIsAppliedBeforeAnythingIsStored() {
        policy.set(new WebPolicy(true, Set.of("bank.example")));
        int port = start();

        assertThat(post(port).send().status()).isEqualTo(204);
        clock.advance(Duration.ofSeconds(5));
        assertThat(post(port).body(events(NOW.plusSeconds(5), "online.bank.example")).send().status())
                .isEqualTo(204);

        assertThat(received).extracting(BrowserActivity::tab).containsExactly(
                // the title the extension sent is never kept
                Optional.of(new WebTab("mail.example.com", Optional.of("https://mail.example.com/inbox/42"), false,
                        false)),
                Optional.of(WebTab.excluded(false)));
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        int port = start();

        assertThat(endpoint.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        if (external.isPresent()) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(external.get(), port), 2_000))
                        .isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void portInUseIsReportedClearly() {
        int port = start();

        assertThatThrownBy(() -> BrowserEndpoint.start(new BrowserEndpointConfig(port, Set.of(EXTENSION_ID),
                Optional.empty(), 16 * 1024, 5, 20), policy::get, activities -> { }, clock))
                .isInstanceOf(BrowserEndpointException.class).hasMessageContaining("127.0.0.1:" + port);
    }
}
