package com.xentracker.server.metrics;

import com.xentracker.server.ServerStartupException;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.URI;

/**
 * {@code GET /metrics} on a listener of its own, apart from the HTTPS port that agents and browsers reach: bound to
 * loopback unless the operator names another address (see docs/decisions/0044). Plain HTTP, as Prometheus scrapes
 * by default: what it serves are aggregates without tenant data, and the listener is not reachable from the network
 * unless someone binds it there on purpose. The Prometheus client's own server (the JDK's {@code jdk.httpserver}),
 * a few daemon threads.
 */
public final class MetricsEndpoint implements AutoCloseable {

    /** The path Prometheus scrapes. */
    public static final String PATH = "/metrics";

    private final HTTPServer server;
    private final String host;

    private MetricsEndpoint(HTTPServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * Starts listening on {@code bindAddress:port} (0: any free port).
     *
     * @throws ServerStartupException when the address cannot be bound
     */
    public static MetricsEndpoint start(ServerMetrics metrics, String bindAddress, int port) {
        try {
            HTTPServer server = HTTPServer.builder().hostname(bindAddress).port(port).registry(metrics.registry())
                    .buildAndStart();
            return new MetricsEndpoint(server, bindAddress);
        } catch (IOException | RuntimeException e) {
            throw new ServerStartupException("the metrics endpoint could not listen on " + bindAddress + ":" + port
                    + " (metrics-bind-address, metrics-port): " + e.getMessage(), e);
        }
    }

    /** The port listened on (useful when configured as 0). */
    public int port() {
        return server.getPort();
    }

    /** Where Prometheus scrapes this node. */
    public URI uri() {
        String name = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + name + ":" + port() + PATH);
    }

    @Override
    public void close() {
        server.close();
    }
}
