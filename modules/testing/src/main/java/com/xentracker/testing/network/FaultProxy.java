package com.xentracker.testing.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on loopback between a client (the agent) and a server that the test controls: it passes bytes, or
 * drops, stalls, resets or truncates connections. JDK sockets only. TLS stays end to end (the proxy sees only
 * bytes), so faults are placed by byte counts.
 *
 * <p>Two ways to inject faults, which combine:
 * <ul>
 * <li>a {@link Mode} that holds until changed: {@link Mode#DROP} (a partition: open connections are closed, new ones
 * closed at once), {@link Mode#STALL} (bytes are held in both directions until the mode changes: a black hole that
 * heals), {@link Mode#RESET} (connections are reset with a TCP RST after a few hundred bytes of the request),
 * {@link Mode#TRUNCATE} (the request passes whole, the answer is cut off in its first chunk: the server has
 * done the work, the client never learns it);</li>
 * <li>a one-shot {@link Fault}, {@link #arm armed} for the next request and fired once.</li>
 * </ul>
 */
public final class FaultProxy implements AutoCloseable {

    /** What happens to connections until the mode changes. */
    public enum Mode {
        /** Bytes pass both ways. */
        PASS,
        /** Partition: every open connection is closed, new ones are closed at once. */
        DROP,
        /** Bytes are held both ways while the mode lasts, then pass (unless the client gave up meanwhile). */
        STALL,
        /** Each connection is reset (RST, not FIN) after {@link #RESET_AFTER} bytes from the client. */
        RESET,
        /**
         * The client's bytes pass, and the server's first flight (the TLS handshake); of what the server sends after
         * the client's second flight (its request) half the first chunk passes, then the connection is closed.
         */
        TRUNCATE
    }

    /** One-shot faults: {@link #arm armed} for the next request, fired once. */
    public enum Fault {
        NONE,
        /** Forward part of the request, then close both sides: the server never sees a whole request. */
        CUT_REQUEST,
        /**
         * Forward the whole request, then swallow the server's answer and close both sides a second after it began:
         * the server has committed the batch, the client never learns it.
         */
        DROP_RESPONSE,
        /** Hold the request for a while before forwarding it (shorter than the client's timeout). */
        DELAY
    }

    /** Client bytes after which {@link Fault#CUT_REQUEST} cuts (inside a request of a few KB). */
    public static final int CUT_AFTER = 1_500;
    /** Client bytes after which a request counts as sent in full for {@link Fault#DROP_RESPONSE}. */
    public static final int REQUEST_SENT = 6_000;
    /** Client bytes of a connection after which {@link Mode#RESET} resets it (inside the TLS handshake or request). */
    public static final int RESET_AFTER = 700;
    private static final int DELAY_MILLIS = 400;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Fault> armed = new AtomicReference<>(Fault.NONE);
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.PASS);
    private final AtomicLong clientBytes = new AtomicLong();
    private final AtomicInteger fired = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger faulted = new AtomicInteger();
    private final Object modeChanged = new Object();
    private volatile long armedAt;

    private FaultProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** A proxy on a free loopback port forwarding to {@code targetPort} on loopback. */
    public static FaultProxy to(int targetPort) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        FaultProxy proxy = new FaultProxy(new ServerSocket(0, 50, loopback), new InetSocketAddress(loopback,
                targetPort));
        Thread acceptor = new Thread(proxy::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code https://127.0.0.1:PORT} of this proxy. */
    public URI httpsUri() {
        return URI.create("https://127.0.0.1:" + port());
    }

    /** The next request meets {@code fault}. */
    public void arm(Fault fault) {
        armedAt = clientBytes.get();
        armed.set(Objects.requireNonNull(fault, "fault"));
    }

    /** How many one-shot faults fired so far. */
    public int fired() {
        return fired.get();
    }

    /** How many connections met a mode's fault (dropped, reset, truncated or stalled) so far. */
    public int faulted() {
        return faulted.get();
    }

    /** How many connections were accepted so far. */
    public int connections() {
        return connections.get();
    }

    public Mode mode() {
        return mode.get();
    }

    /** From now on, {@code next}; {@link Mode#DROP} also closes every open connection. */
    public void mode(Mode next) {
        mode.set(Objects.requireNonNull(next, "next"));
        if (next == Mode.DROP) {
            faulted.addAndGet(sockets.size() / 2);
            sockets.forEach(FaultProxy::closeQuietly);
        }
        synchronized (modeChanged) {
            modeChanged.notifyAll();
        }
    }

    /** Down: {@link Mode#DROP}; up: {@link Mode#PASS}. */
    public void down(boolean down) {
        mode(down ? Mode.DROP : Mode.PASS);
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(FaultProxy::closeQuietly);
        mode(Mode.PASS); // wakes stalled pumps, which then find their sockets closed
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                if (mode.get() == Mode.DROP) {
                    faulted.incrementAndGet();
                    client.close();
                    continue;
                }
                Socket server;
                try {
                    server = new Socket(target.getAddress(), target.getPort());
                } catch (IOException e) {
                    client.close(); // the server is not there: the client sees a closed connection
                    continue;
                }
                sockets.add(client);
                sockets.add(server);
                Connection connection = new Connection(client, server);
                start(connection::clientToServer);
                start(connection::serverToClient);
            } catch (IOException e) {
                // closed
            }
        }
    }

    /** Waits while the mode is {@link Mode#STALL}; true when this connection was held. */
    private boolean holdWhileStalled() throws InterruptedException {
        boolean held = false;
        synchronized (modeChanged) {
            while (mode.get() == Mode.STALL && !listener.isClosed()) {
                held = true;
                modeChanged.wait(100);
            }
        }
        return held;
    }

    private final class Connection {
        private final Socket client;
        private final Socket server;
        private final AtomicLong fromClient = new AtomicLong();
        private volatile boolean counted;
        /** Turns of the conversation: the client's first write is flight 1, its first after the server's is 2. */
        private volatile int clientFlights;
        private volatile boolean lastFromClient;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        private void count() {
            if (!counted) {
                counted = true;
                faulted.incrementAndGet();
            }
        }

        void clientToServer() {
            byte[] buffer = new byte[8192];
            try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (holdWhileStalled()) {
                        count();
                    }
                    if (!lastFromClient) {
                        lastFromClient = true;
                        clientFlights++;
                    }
                    long total = clientBytes.addAndGet(n);
                    long mine = fromClient.addAndGet(n);
                    if (mode.get() == Mode.RESET && mine > RESET_AFTER) {
                        count();
                        out.write(buffer, 0, (int) Math.max(0, n - (mine - RESET_AFTER)));
                        out.flush();
                        reset();
                        return;
                    }
                    long sinceArmed = total - armedAt;
                    Fault fault = armed.get();
                    if (fault == Fault.CUT_REQUEST && sinceArmed > CUT_AFTER
                            && armed.compareAndSet(fault, Fault.NONE)) {
                        fired.incrementAndGet();
                        out.write(buffer, 0, (int) Math.max(0, n - (sinceArmed - CUT_AFTER)));
                        out.flush();
                        closeBoth();
                        return;
                    }
                    if (fault == Fault.DELAY && sinceArmed > CUT_AFTER && armed.compareAndSet(fault, Fault.NONE)) {
                        fired.incrementAndGet();
                        Thread.sleep(DELAY_MILLIS);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                closeBoth();
            }
        }

        void serverToClient() {
            byte[] buffer = new byte[8192];
            boolean dropping = false;
            try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (holdWhileStalled()) {
                        count();
                    }
                    Fault fault = armed.get();
                    if (!dropping && fault == Fault.DROP_RESPONSE && clientBytes.get() - armedAt > REQUEST_SENT
                            && armed.compareAndSet(fault, Fault.NONE)) {
                        fired.incrementAndGet();
                        dropping = true;
                        // give the server time to finish (it answers after its commit), then cut the client off
                        Thread closer = new Thread(() -> {
                            sleepQuietly(1_000);
                            closeBoth();
                        });
                        closer.setDaemon(true);
                        closer.start();
                    }
                    lastFromClient = false;
                    if (!dropping && mode.get() == Mode.TRUNCATE && clientFlights >= 2) {
                        // the client has answered the server's first flight (a TLS handshake, then its request):
                        // what comes now is the answer; half of this chunk goes out, the rest never, and the
                        // connection is closed a second later, when the server has done its work
                        count();
                        out.write(buffer, 0, n / 2);
                        out.flush();
                        dropping = true;
                        Thread closer = new Thread(() -> {
                            sleepQuietly(1_000);
                            closeBoth();
                        });
                        closer.setDaemon(true);
                        closer.start();
                        continue;
                    }
                    if (!dropping) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                if (!dropping) {
                    closeBoth();
                }
            }
        }

        /** Closes both sides with a TCP RST (linger 0) instead of a FIN. */
        private void reset() {
            try {
                client.setSoLinger(true, 0);
                server.setSoLinger(true, 0);
            } catch (IOException e) {
                // closed already
            }
            closeBoth();
        }

        private void closeBoth() {
            closeQuietly(client);
            closeQuietly(server);
            sockets.remove(client);
            sockets.remove(server);
        }
    }

    private static void start(Runnable pump) {
        Thread thread = new Thread(pump, "fault-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
