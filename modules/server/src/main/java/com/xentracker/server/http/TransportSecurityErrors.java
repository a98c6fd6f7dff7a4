package com.xentracker.server.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a request it cannot parse or decode, such as {@code /%zz}, is refused before any
 * handler or request customizer runs) with {@code Strict-Transport-Security} too, so that every answer of the
 * HTTPS port carries it; otherwise Jetty's, unchanged (no stack traces).
 */
final class TransportSecurityErrors extends ErrorHandler {

    private static final String HEADER = "Strict-Transport-Security";
    private final String value;

    TransportSecurityErrors(Duration maxAge) {
        this.value = "max-age=" + maxAge.toSeconds();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put(HEADER, value);
        return super.handle(request, response, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HEADER, value);
        return super.badMessageError(status, reason, fields);
    }
}
