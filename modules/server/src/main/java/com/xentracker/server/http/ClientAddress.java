package com.xentracker.server.http;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who the client of a request is. Its TCP peer, unless the peer is a trusted reverse proxy: then the nearest address
 * in {@code X-Forwarded-For} (read from the right, the end the proxies appended) that is not itself a trusted proxy.
 *
 * <p>Why only then: the header is whatever the client wrote. Believed from anyone, a client would name a fresh address
 * for every password guess and never meet the sign-in throttle per address; believed from nobody, every client behind
 * a load balancer is the load balancer, and one person's typos pause sign-in for everyone.
 */
final class ClientAddress {

    /** More hops than this are not a real chain of proxies; the rest of the header is not read. */
    private static final int MAX_HOPS = 20;

    private final Set<String> trustedProxies;

    private ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    static ClientAddress trusting(List<String> trustedProxies) {
        return new ClientAddress(Set.copyOf(trustedProxies));
    }

    /** The client's address for a request from {@code peer} carrying {@code forwardedFor} (may be empty). */
    String of(String peer, Optional<String> forwardedFor) {
        if (trustedProxies.isEmpty() || !trustedProxies.contains(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        String[] hops = forwardedFor.get().split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= Math.max(0, hops.length - MAX_HOPS); i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty() || !hop.matches("[0-9A-Fa-f.:]{2,45}")) {
                return client; // garbage: stop at the last address a trusted proxy vouched for
            }
            client = hop;
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return client;
    }
}
