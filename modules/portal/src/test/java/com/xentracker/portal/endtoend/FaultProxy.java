package com.xentracker.portal.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy between the agent and the server that the test controls. TLS stays end to end (the proxy sees only
 * bytes), so faults are placed by byte counts: the client's bytes since the fault was armed tell whether the request
 * is under way ({@link #CUT_AFTER}) or has been sent in full ({@link #REQUEST_SENT}, the batches of this test are
 * larger than that). One fault is armed at a time and fires once.
 */
final class FaultProxy implements AutoCloseable {

    enum Fault {
        NONE,
        /** Forward part of the request, then close both sides: the server never sees a whole request. */
        CUT_REQUEST,
        /**
         * Forward the whole request, then swallow the server's answer and close both sides a second after it began:
         * the server has committed the batch, the agent never learns it.
         */
        DROP_RESPONSE,
        /** Hold the request for a while before forwarding it (shorter than the client's timeout). */
        DELAY
    }

    static final int CUT_AFTER = 1_500;
    static final int REQUEST_SENT = 6_000;
    private static final int DELAY_MILLIS = 400;

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Fault> armed = new AtomicReference<>(Fault.NONE);
    private final AtomicLong clientBytes = new AtomicLong();
    private final AtomicInteger fired = new AtomicInteger();
    private volatile long armedAt;
    private volatile boolean down;

    private FaultProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    static FaultProxy to(int targetPort) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        FaultProxy proxy = new FaultProxy(new ServerSocket(0, 50, loopback), new InetSocketAddress(loopback,
                targetPort));
        Thread acceptor = new Thread(proxy::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The next request meets {@code fault}. */
    void arm(Fault fault) {
        armedAt = clientBytes.get();
        armed.set(fault);
    }

    /** How many faults fired so far. */
    int fired() {
        return fired.get();
    }

    /** Down: every open connection is closed and new ones are closed at once (the server is "away"). */
    void down(boolean down) {
        this.down = down;
        if (down) {
            sockets.forEach(FaultProxy::closeQuietly);
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(FaultProxy::closeQuietly);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (down) {
                    client.close();
                    continue;
                }
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                start(() -> clientToServer(client, server));
                start(() -> serverToClient(server, client));
            } catch (IOException e) {
                // closed, or the server is not there: the client sees a closed connection
            }
        }
    }

    private void clientToServer(Socket client, Socket server) {
        byte[] buffer = new byte[8192];
        try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long total = clientBytes.addAndGet(n);
                long sinceArmed = total - armedAt;
                Fault fault = armed.get();
                if (fault == Fault.CUT_REQUEST && sinceArmed > CUT_AFTER && armed.compareAndSet(fault, Fault.NONE)) {
                    fired.incrementAndGet();
                    out.write(buffer, 0, (int) Math.max(0, n - (sinceArmed - CUT_AFTER)));
                    out.flush();
                    closeBoth(client, server);
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
            closeBoth(client, server);
        }
    }

    private void serverToClient(Socket server, Socket client) {
        byte[] buffer = new byte[8192];
        boolean dropping = false;
        try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                Fault fault = armed.get();
                if (!dropping && fault == Fault.DROP_RESPONSE && clientBytes.get() - armedAt > REQUEST_SENT
                        && armed.compareAndSet(fault, Fault.NONE)) {
                    fired.incrementAndGet();
                    dropping = true;
                    // give the server time to finish (it answers after its commit), then cut the agent off
                    Thread closer = new Thread(() -> {
                        sleepQuietly(1_000);
                        closeBoth(client, server);
                    });
                    closer.setDaemon(true);
                    closer.start();
                }
                if (!dropping) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            if (!dropping) {
                closeBoth(client, server);
            }
        }
    }

    private void closeBoth(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
        sockets.remove(a);
        sockets.remove(b);
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
