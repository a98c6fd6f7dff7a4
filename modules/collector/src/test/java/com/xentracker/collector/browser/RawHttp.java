package com.xentracker.collector.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket to 127.0.0.1, so that a test can send exactly the headers an attacker would (a foreign
 * Host, two Origins, no Host at all), which the JDK's HTTP clients refuse to send.
 */
public final class RawHttp {

    private final int port;
    private final String method;
    private final String path;
    private final List<String[]> headers = new ArrayList<>();
    private byte[] body = new byte[0];
    private boolean chunked;

    private RawHttp(int port, String method, String path) {
        this.port = port;
        this.method = method;
        this.path = path;
    }

    /** A request with {@code Host: 127.0.0.1:<port>}; add the other headers yourself. */
    public static RawHttp request(int port, String method, String path) {
        return new RawHttp(port, method, path).header("Host", "127.0.0.1:" + port);
    }

    /** A request without any header at all. */
    static RawHttp bare(int port, String method, String path) {
        return new RawHttp(port, method, path);
    }

    public RawHttp header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    /** Replaces every header of that name. */
    RawHttp replace(String name, String value) {
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        return header(name, value);
    }

    RawHttp without(String name) {
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        return this;
    }

    public RawHttp body(String text) {
        this.body = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** Sends the body with chunked transfer encoding, without a Content-Length. */
    RawHttp chunked() {
        this.chunked = true;
        return this;
    }

    public Response send() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            for (String[] h : headers) {
                head.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            if (chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (body.length > 0 || method.equals("POST")) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (chunked) {
                int offset = 0;
                while (offset < body.length) {
                    int n = Math.min(1000, body.length - offset);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body, offset, n);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    offset += n;
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(body);
            }
            out.flush();
            return Response.read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Response(int status, Map<String, String> headers, String body) {

        static Response read(InputStream in) throws IOException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                in.transferTo(all);
            } catch (IOException e) {
                // the server may reset a connection whose request body it did not read; what arrived counts
                if (all.size() == 0) {
                    throw e;
                }
            }
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            return new Response(status, headers, end < 0 ? "" : text.substring(end + 4));
        }

        boolean hasCorsHeader() {
            return headers.keySet().stream().anyMatch(name -> name.startsWith("access-control-"));
        }
    }
}
