package com.xentracker.server.http;

import com.xentracker.server.BatchRejectedException;
import com.xentracker.server.DeviceKeyReusedException;
import com.xentracker.server.DeviceRevokedException;
import com.xentracker.server.DuplicateAccountException;
import com.xentracker.server.InvalidEnrollmentTokenException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.KeyProofInvalidException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.NoSuchOrganizationException;
import com.xentracker.server.PrivateDataInBatchException;
import com.xentracker.server.ServerBusyException;
import com.xentracker.server.StorageException;
import com.xentracker.transport.InvalidKeyMaterialException;
import com.xentracker.transport.MalformedMessageException;
import com.xentracker.transport.UnableToOpenBatchException;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.WireCodec;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.sql.SQLException;
import java.util.Locale;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP answers: a status and an {@link ErrorBody} whose code is stable (agents
 * and scripts branch on it; messages are for people and may change).
 *
 * <table>
 *   <caption>Codes</caption>
 *   <tr><td>400</td><td>{@code invalid-request}, {@code malformed-message}, {@code invalid-key},
 *       {@code batch-unreadable}, {@code batch-rejected}, {@code batch-private-data}; a batch that does not open:
 *       {@code unknown-key-id}, {@code decryption-failed}, {@code bad-signature}, {@code batch-binding-mismatch},
 *       {@code algorithm-not-allowed}</td></tr>
 *   <tr><td>400</td><td>{@code key-proof-invalid} (device key rotation)</td></tr>
 *   <tr><td>409</td><td>{@code device-key-reused}</td></tr>
 *   <tr><td>403</td><td>{@code device-revoked}, {@code enrollment-token-unknown}, {@code enrollment-token-expired},
 *       {@code enrollment-token-revoked}, {@code enrollment-token-exhausted}</td></tr>
 *   <tr><td>404</td><td>{@code device-unknown}, {@code organization-unknown}, {@code not-found}</td></tr>
 *   <tr><td>409</td><td>{@code account-exists}</td></tr>
 *   <tr><td>413</td><td>{@code payload-too-large}</td></tr>
 *   <tr><td>500</td><td>{@code internal-error}</td></tr>
 *   <tr><td>503</td><td>{@code storage-unavailable}, {@code server-busy} (both with {@code Retry-After})</td></tr>
 * </table>
 */
final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    /** What 503 answers tell clients to wait. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final WireCodec codec;

    private ApiErrors(WireCodec codec) {
        this.codec = codec;
    }

    /** Registers the mapping for every exception (Javalin treats its own HTTP exceptions apart, hence two). */
    static void register(RoutesConfig routes, WireCodec codec) {
        ApiErrors errors = new ApiErrors(codec);
        routes.exception(HttpResponseException.class, errors::respond);
        routes.exception(Exception.class, errors::respond);
    }

    record Problem(int status, String code) {
    }

    static Problem problemOf(Exception e) {
        if (e instanceof InvalidEnrollmentTokenException token) {
            return new Problem(403, "enrollment-token-" + token.reason().name().toLowerCase(Locale.ROOT));
        } else if (e instanceof DeviceRevokedException) {
            return new Problem(403, "device-revoked");
        } else if (e instanceof NoSuchDeviceException) {
            return new Problem(404, "device-unknown");
        } else if (e instanceof NoSuchOrganizationException) {
            return new Problem(404, "organization-unknown");
        } else if (e instanceof PrivateDataInBatchException) {
            return new Problem(400, "batch-private-data");
        } else if (e instanceof BatchRejectedException) {
            return new Problem(400, "batch-rejected");
        } else if (e instanceof InvalidRequestException) {
            return new Problem(400, "invalid-request");
        } else if (e instanceof DuplicateAccountException) {
            return new Problem(409, "account-exists");
        } else if (e instanceof StorageException || e instanceof ConnectionException) {
            return new Problem(503, "storage-unavailable");
        } else if (e instanceof ServerBusyException) {
            return new Problem(503, "server-busy");
        } else if (e instanceof JdbiException && isOverload(e)) {
            return new Problem(503, "storage-unavailable");
        } else if (e instanceof UnableToOpenBatchException unopened) {
            // one code per failed check, so that the agent knows what to do (refresh its certificate for
            // unknown-key-id, drop the batch for the others); see Uploader in the collector
            return switch (unopened.reason()) {
                case MALFORMED -> new Problem(400, "batch-unreadable");
                case ALGORITHM_NOT_ALLOWED -> new Problem(400, "algorithm-not-allowed");
                case UNKNOWN_KEY_ID -> new Problem(400, "unknown-key-id");
                case DECRYPTION_FAILED -> new Problem(400, "decryption-failed");
                case BAD_SIGNATURE -> new Problem(400, "bad-signature");
                case BINDING_MISMATCH -> new Problem(400, "batch-binding-mismatch");
                case TOO_LARGE -> new Problem(413, "payload-too-large");
            };
        } else if (e instanceof DeviceKeyReusedException) {
            return new Problem(409, "device-key-reused");
        } else if (e instanceof KeyProofInvalidException) {
            return new Problem(400, "key-proof-invalid");
        } else if (e instanceof MalformedMessageException) {
            return new Problem(400, "malformed-message");
        } else if (e instanceof InvalidKeyMaterialException) {
            return new Problem(400, "invalid-key");
        } else if (e instanceof HttpResponseException http) {
            return new Problem(http.getStatus(), switch (http.getStatus()) {
                case 400 -> "invalid-request";
                case 404 -> "not-found";
                case 405 -> "method-not-allowed";
                case 413 -> "payload-too-large";
                case 415 -> "unsupported-media-type";
                default -> "http-" + http.getStatus();
            });
        }
        return new Problem(500, "internal-error");
    }

    /**
     * Whether a database error means "too slow or too busy now" rather than a bug: a statement or lock timeout, too
     * many connections, or a lost connection (SQL states 57014, 55P03, 53300, class 08).
     */
    static boolean isOverload(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.equals("57014") || state.equals("55P03") || state.equals("53300")
                        || state.startsWith("08");
            }
        }
        return false;
    }

    private void respond(Exception e, Context ctx) {
        Problem problem = problemOf(e);
        // a 500 may carry internals in its message; everything else was written to be shown
        String message = problem.status() == 500 ? "internal error" : e.getMessage();
        if (problem.status() >= 500) {
            LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), problem.code(), e);
        } else {
            LOG.info("{} {} refused: {} {}", ctx.method(), ctx.path(), problem.status(), problem.code());
        }
        ctx.status(problem.status());
        if (problem.status() == 503) {
            // agents keep the batch and retry after this; a short, fixed hint spreads retries over the next seconds
            ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        if (ctx.path().startsWith("/api/")) {
            ctx.contentType("application/json").result(codec.encode(new ErrorBody(problem.code(), message)));
        } else {
            ctx.contentType("text/plain; charset=utf-8").result(problem.code() + ": " + message);
        }
    }
}
