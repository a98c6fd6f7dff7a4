package com.xentracker.collector.browser;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler of the endpoint. Checks run cheapest and most telling first, and every check that fails answers
 * before the body is read, so a refused request costs almost nothing and stores nothing. No response ever carries a
 * CORS header: a web page must not be able to read anything from here, and the extension needs none (its host
 * permission for http://127.0.0.1/* exempts it from CORS).
 */
final class EventsHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EventsHandler.class);

    /** Events older than this are dropped: the extension keeps its backlog for at most five minutes. */
    static final Duration MAX_EVENT_AGE = Duration.ofMinutes(10);
    /** Events further in the future than this are dropped: same device, same clock, so only rounding is allowed. */
    static final Duration MAX_EVENT_SKEW = Duration.ofMinutes(1);

    private final BrowserEndpointConfig config;
    private final Supplier<WebPolicy> policy;
    private final BrowserActivityListener listener;
    private final Clock clock;
    private final TokenBucket bucket;
    private final Set<String> allowedOrigins;
    private volatile int port;

    EventsHandler(BrowserEndpointConfig config, Supplier<WebPolicy> policy, BrowserActivityListener listener,
            Clock clock) {
        this.config = config;
        this.policy = policy;
        this.listener = listener;
        this.clock = clock;
        this.bucket = new TokenBucket(clock, config.requestBurst(), config.requestsPerSecond());
        this.allowedOrigins = config.allowedExtensionIds().stream().map(id -> "chrome-extension://" + id)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The port actually bound (differs from the configuration's when that is 0). */
    void boundTo(int boundPort) {
        this.port = boundPort;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            Reply reply = decide(exchange);
            if (reply.status() >= 400) {
                // never the payload, the Origin value or the token: only what was refused and why
                LOG.debug("browser endpoint refused a request: {} {}", reply.status(), reply.reason());
            }
            send(exchange, reply);
        } catch (IOException | RuntimeException e) {
            LOG.debug("browser endpoint could not answer a request: {}", e.getClass().getSimpleName());
        } finally {
            exchange.close();
        }
    }

    private Reply decide(HttpExchange exchange) throws IOException {
        Headers headers = exchange.getRequestHeaders();
        // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 sends Host: evil.example:PORT.
        if (!hostAllowed(single(headers, "Host"))) {
            return Reply.error(421, "host not allowed");
        }
        // Only the extension's own origin. Web pages send their own origin (or "null") and cannot forge this one.
        Optional<String> origin = single(headers, "Origin");
        if (origin.isEmpty() || !allowedOrigins.contains(origin.get())) {
            return Reply.error(403, "origin not allowed");
        }
        if (!BrowserEndpoint.EVENTS_PATH.equals(exchange.getRequestURI().getRawPath())) {
            return Reply.error(404, "not found");
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            return Reply.error(405, "only POST").with("Allow", "POST");
        }
        if (config.sharedToken().isPresent() && !tokenMatches(single(headers, BrowserEndpoint.TOKEN_HEADER))) {
            return Reply.error(403, "token missing or wrong");
        }
        if (!bucket.tryTake()) {
            return Reply.error(429, "too many requests").with("Retry-After", "1");
        }
        if (!isJson(single(headers, "Content-Type"))) {
            return Reply.error(415, "content type must be application/json");
        }
        Optional<String> length = single(headers, "Content-Length");
        if (length.isPresent() && tooLong(length.get())) {
            return Reply.error(413, "body too large");
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            // chunked bodies have no Content-Length: read one byte more than allowed to tell
            body = in.readNBytes(config.maxBodyBytes() + 1);
        }
        if (body.length > config.maxBodyBytes()) {
            return Reply.error(413, "body too large");
        }
        List<BrowserActivity> activities;
        try {
            activities = EventParser.parse(body);
        } catch (EventParser.MalformedEventsException e) {
            return Reply.error(400, e.getMessage());
        }
        Instant now = clock.instant();
        WebPolicy current = policy.get();
        List<BrowserActivity> kept = activities.stream()
                .filter(a -> !a.at().isBefore(now.minus(MAX_EVENT_AGE)) && !a.at().isAfter(now.plus(MAX_EVENT_SKEW)))
                .map(current::apply)
                .toList();
        if (!kept.isEmpty()) {
            try {
                listener.accept(kept);
            } catch (RuntimeException e) {
                LOG.warn("browser events could not be recorded: {}", e.toString());
                return Reply.error(500, "not recorded");
            }
        }
        return Reply.NO_CONTENT;
    }

    private boolean hostAllowed(Optional<String> host) {
        if (host.isEmpty()) {
            return false;
        }
        String h = host.get().toLowerCase(Locale.ROOT);
        return h.equals("127.0.0.1:" + port) || h.equals("localhost:" + port);
    }

    private boolean tokenMatches(Optional<String> presented) {
        if (presented.isEmpty()) {
            return false;
        }
        // constant time, so the answer's timing tells nothing about how much of a guess was right
        return MessageDigest.isEqual(presented.get().getBytes(StandardCharsets.UTF_8),
                config.sharedToken().orElseThrow().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isJson(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String[] parts = contentType.get().split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
            if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }

    private boolean tooLong(String contentLength) {
        try {
            return Long.parseLong(contentLength.strip()) > config.maxBodyBytes();
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** The header's value when it occurs exactly once; a repeated Host or Origin is as good as none. */
    private static Optional<String> single(Headers headers, String name) {
        List<String> values = headers.get(name);
        return values != null && values.size() == 1 ? Optional.of(values.get(0).strip()) : Optional.empty();
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        Headers out = exchange.getResponseHeaders();
        out.set("Cache-Control", "no-store");
        out.set("X-Content-Type-Options", "nosniff");
        reply.header().ifPresent(h -> out.set(h[0], h[1]));
        if (reply.status() == 204) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        byte[] text = (reply.reason() + "\n").getBytes(StandardCharsets.UTF_8);
        out.set("Content-Type", "text/plain; charset=utf-8");
        if (reply.status() == 413 || reply.status() == 421) {
            // do not keep a connection whose unread body or foreign host we want nothing more to do with
            out.set("Connection", "close");
        }
        exchange.sendResponseHeaders(reply.status(), text.length);
        exchange.getResponseBody().write(text);
    }

    private record Reply(int status, String reason, Optional<String[]> header) {
        static final Reply NO_CONTENT = new Reply(204, "", Optional.empty());

        static Reply error(int status, String reason) {
            return new Reply(status, reason, Optional.empty());
        }

        Reply with(String name, String value) {
            return new Reply(status, reason, Optional.of(new String[] {name, value}));
        }
    }
}
