package com.xentracker.testing.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.testing.network.FaultProxy.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's modes against an echo server on loopback: what a client sees in each. */
class FaultProxyTest {

    private ServerSocket echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread pump = new Thread(() -> {
                        try (socket; InputStream in = socket.getInputStream(); OutputStream out =
                                socket.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                    pump.setDaemon(true);
                    pump.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = FaultProxy.to(echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private byte[] roundTrip(int size) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5_000);
            byte[] sent = new byte[size];
            Arrays.fill(sent, (byte) 'x');
            socket.getOutputStream().write(sent);
            socket.getOutputStream().flush();
            return socket.getInputStream().readNBytes(size);
        }
    }

    @Test
    void passForwardsBothWays() throws IOException {
        assertThat(roundTrip(20_000)).hasSize(20_000);
        assertThat(proxy.faulted()).isZero();
    }

    @Test
    void dropClosesNewConnectionsUntilItIsLifted() throws IOException {
        proxy.mode(Mode.DROP);
        assertThat(roundTrip(100)).isEmpty();
        proxy.mode(Mode.PASS);
        assertThat(roundTrip(100)).hasSize(100);
        assertThat(proxy.faulted()).isOne();
    }

    @Test
    void resetEndsTheConnectionWithAnRstAfterTheFirstBytes() {
        proxy.mode(Mode.RESET);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 20; i++) { // the RST may arrive after a first write succeeded
                roundTrip(8_000);
            }
        }).isInstanceOf(SocketException.class);
        assertThat(proxy.faulted()).isPositive();
    }

    @Test
    void truncatePassesTheFirstFlightAndCutsTheAnswerToTheSecond() throws IOException {
        proxy.mode(Mode.TRUNCATE);
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(new byte[1_000]);
            assertThat(in.readNBytes(1_000)).as("the first flight").hasSize(1_000);
            out.write(new byte[1_000]);
            byte[] answer = in.readAllBytes();
            assertThat(answer.length).as("the answer, cut").isLessThan(1_000);
        }
        assertThat(proxy.faulted()).isOne();
    }

    @Test
    void stallHoldsTheBytesUntilTheModeChanges() throws Exception {
        proxy.mode(Mode.STALL);
        Thread lift = new Thread(() -> {
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            proxy.mode(Mode.PASS);
        });
        long started = System.nanoTime();
        lift.start();
        assertThat(roundTrip(1_000)).hasSize(1_000);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(600);
        lift.join();
    }
}
