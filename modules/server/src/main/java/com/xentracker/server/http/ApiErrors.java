package com.xentracker.server.http;

import com.xentracker.server.TooManyAttemptsException;
import com.xentracker.server.XentrackerServerException;
import com.xentracker.server.database.DatabaseErrors;
import com.xentracker.transport.InvalidKeyMaterialException;
import com.xentracker.transport.MalformedMessageException;
import com.xentracker.transport.UnableToOpenBatchException;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.ErrorCode;
import com.xentracker.transport.wire.WireCodec;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP answers: the status and stable code of an {@link ErrorCode} (shared with
 * the agent, which branches on the code) in an {@link ErrorBody}. Every exception of the server's family carries its
 * code; transport's and Javalin's are mapped here; anything else is a 500 whose message says nothing.
 */
final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    /** What 503 answers tell clients to wait. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final WireCodec codec;
    private final Supplier<Handler> notFoundPage;

    private ApiErrors(WireCodec codec, Supplier<Handler> notFoundPage) {
        this.codec = codec;
        this.notFoundPage = notFoundPage;
    }

    /**
     * Registers the mapping for every exception (Javalin treats its own HTTP exceptions apart, hence two).
     *
     * @param notFoundPage the web module's page for unknown paths outside {@code /api/}, if one set it
     */
    static void register(RoutesConfig routes, WireCodec codec, Supplier<Handler> notFoundPage) {
        ApiErrors errors = new ApiErrors(codec, notFoundPage);
        routes.exception(HttpResponseException.class, errors::respond);
        routes.exception(Exception.class, errors::respond);
    }

    static ErrorCode codeOf(Exception e) {
        if (e instanceof XentrackerServerException server) {
            return server.code();
        } else if (e instanceof JdbiException) {
            return DatabaseErrors.isOverload(e) ? ErrorCode.STORAGE_UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
        } else if (e instanceof UnableToOpenBatchException unopened) {
            // one code per failed check, so that the agent knows what to do (refresh its certificate for
            // unknown-key-id, drop the batch for the others); see Uploader in the collector
            return switch (unopened.reason()) {
                case MALFORMED -> ErrorCode.BATCH_UNREADABLE;
                case ALGORITHM_NOT_ALLOWED -> ErrorCode.ALGORITHM_NOT_ALLOWED;
                case UNKNOWN_KEY_ID -> ErrorCode.UNKNOWN_KEY_ID;
                case DECRYPTION_FAILED -> ErrorCode.DECRYPTION_FAILED;
                case BAD_SIGNATURE -> ErrorCode.BAD_SIGNATURE;
                case BINDING_MISMATCH -> ErrorCode.BATCH_BINDING_MISMATCH;
                case TOO_LARGE -> ErrorCode.PAYLOAD_TOO_LARGE;
            };
        } else if (e instanceof MalformedMessageException) {
            return ErrorCode.MALFORMED_MESSAGE;
        } else if (e instanceof InvalidKeyMaterialException) {
            return ErrorCode.INVALID_KEY;
        } else if (e instanceof HttpResponseException http) {
            return switch (http.getStatus()) {
                case 404 -> ErrorCode.NOT_FOUND;
                case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
                case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
                case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
                default -> http.getStatus() >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST;
            };
        }
        return ErrorCode.INTERNAL_ERROR;
    }

    /** What the answer says: our own words for 5xx (a driver's or a bug's message may carry internals or values). */
    static String messageOf(Exception e, ErrorCode code) {
        if (code == ErrorCode.STORAGE_UNAVAILABLE) {
            return "the database is unavailable or busy; retry later";
        }
        if (code.status() >= 500 && code != ErrorCode.SERVER_BUSY) {
            return "internal error";
        }
        return e.getMessage() == null ? code.code() : e.getMessage();
    }

    private void respond(Exception e, Context ctx) {
        Handler page = notFoundPage.get();
        if (e instanceof EndpointNotFound && page != null && !ctx.path().startsWith("/api/")
                && !ctx.path().equals("/api")) {
            // a person's browser on a mistyped address: the web module's page, with its layout and headers
            LOG.debug("{} {}: no such page", ctx.method(), ctx.path());
            try {
                page.handle(ctx);
                return;
            } catch (Exception failed) {
                LOG.error("the page for unknown paths failed on {} {}", ctx.method(), ctx.path(), failed);
            }
        }
        ErrorCode code = codeOf(e);
        if (code.status() >= 500) {
            LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), code.code(), e);
        } else {
            LOG.info("{} {} refused: {} {}", ctx.method(), ctx.path(), code.status(), code.code());
        }
        ctx.status(code.status());
        if (code.status() == 503) {
            // agents keep the batch and retry after this; a short, fixed hint spreads retries over the next seconds
            ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        } else if (e instanceof TooManyAttemptsException throttled) {
            ctx.header("Retry-After", Long.toString(Math.max(1, throttled.retryAfter().toSeconds())));
        }
        String message = messageOf(e, code);
        if (ctx.path().startsWith("/api/")) {
            ctx.contentType("application/json").result(codec.encode(new ErrorBody(code.code(), message)));
        } else {
            ctx.contentType("text/plain; charset=utf-8").result(code.code() + ": " + message);
        }
    }
}
