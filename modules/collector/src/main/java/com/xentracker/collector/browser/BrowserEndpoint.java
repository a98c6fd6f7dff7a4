package com.xentracker.collector.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's loopback endpoint for the browser extension: {@code POST http://127.0.0.1:<port>/v1/browser/events}.
 *
 * <p>Binds 127.0.0.1 only, never another interface. Refuses, before reading the body and without storing anything:
 * a {@code Host} other than {@code 127.0.0.1:<port>} or {@code localhost:<port>} (421, DNS rebinding), an
 * {@code Origin} other than {@code chrome-extension://<allowed id>} (403), another path (404), another method (405),
 * a missing or wrong shared token when one is configured (403), more requests than the rate limit (429), a body that
 * is not {@code application/json} (415) or is over the size limit (413). A malformed body is refused with 400.
 * Accepted events are filtered by the current {@link WebPolicy} and handed to the listener; the answer is 204.
 * No response ever carries a CORS header.
 *
 * <p>Runs on the JDK's own HTTP server with one thread: the agent's memory budget gains no web framework, and the
 * listener is never called concurrently.
 */
public final class BrowserEndpoint implements AutoCloseable {

    public static final String EVENTS_PATH = "/v1/browser/events";
    public static final String TOKEN_HEADER = "X-Xentracker-Token";

    private static final Logger LOG = LoggerFactory.getLogger(BrowserEndpoint.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private BrowserEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the endpoint.
     *
     * @param policy   asked for the current policy on every request, so a policy change applies at once
     * @param listener receives the accepted, filtered events
     * @param clock    the agent's clock: events far from it are dropped, and the rate limit runs on it
     * @throws BrowserEndpointException when the port cannot be bound
     */
    public static BrowserEndpoint start(BrowserEndpointConfig config, Supplier<WebPolicy> policy,
            BrowserActivityListener listener, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clock, "clock");
        EventsHandler handler = new EventsHandler(config, policy, listener, clock);
        HttpServer server;
        try {
            // 127.0.0.1 literally: never a wildcard address, and not "localhost", which may resolve to ::1 only
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                    config.port()), 16);
        } catch (IOException e) {
            throw new BrowserEndpointException("cannot listen on 127.0.0.1:" + config.port()
                    + " for the browser extension: " + e.getMessage(), e);
        }
        handler.boundTo(server.getAddress().getPort());
        server.createContext("/", handler);
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "browser-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        LOG.info("browser endpoint listening on 127.0.0.1:{} ({})", server.getAddress().getPort(), config);
        return new BrowserEndpoint(server, executor);
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The bound address (always 127.0.0.1). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Releases the port and drops open connections at once, then waits (at most two seconds) for a listener call
     * already running to return, so that the listener can be closed safely afterwards. A request cut off this way
     * is retried by the extension.
     */
    @Override
    public void close() {
        // stop(0): on JDK 17 stop(n) always waits the full n seconds, even with no exchange in progress
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
