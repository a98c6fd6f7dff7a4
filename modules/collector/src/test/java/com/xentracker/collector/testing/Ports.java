package com.xentracker.collector.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

/** Network helpers for tests. */
public final class Ports {

    private Ports() {}

    /** An https URI on 127.0.0.1 at a port that was just free and is closed again: connections are refused. */
    public static URI closedHttpsPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("https://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
