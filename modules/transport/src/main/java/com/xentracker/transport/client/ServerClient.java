package com.xentracker.transport.client;

import com.xentracker.transport.MalformedMessageException;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.ServerUnreachableException;
import com.xentracker.transport.pki.PinnedTrust;
import com.xentracker.transport.wire.DeviceKeyRotation;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.OrganizationCertificate;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTPS client for the server: {@code java.net.http.HttpClient} over a {@link PinnedTrust} context, so
 * only a server whose certificate the organization's CA issued for the URI's host is accepted.
 *
 * <p>Outcomes: a 2xx answer is decoded; any other status becomes a {@link ServerRejectedRequestException} carrying
 * the {@link ErrorBody} code ({@code unknown} when the body is not an ErrorBody); connection, TLS and timeout
 * failures become {@link ServerUnreachableException}; a 2xx answer that does not decode becomes a
 * {@link MalformedMessageException}. Redirects are never followed; the JVM's standard proxy properties are honoured.
 * Thread-safe.
 */
public final class ServerClient {

    private static final Logger LOG = LoggerFactory.getLogger(ServerClient.class);
    private static final String JSON = "application/json";
    private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);
    // only to turn an HTTP-date Retry-After into a delay when the answer carries no Date header
    private final Clock clock = Clock.systemUTC();

    private final ClientConfig config;
    private final HttpClient http;
    private final WireCodec codec;

    private ServerClient(ClientConfig config, HttpClient http, WireCodec codec) {
        this.config = config;
        this.http = http;
        this.codec = codec;
    }

    /**
     * @param baseUri        {@code https://host[:port][/prefix]}; {@code http://} is refused
     * @param pinnedCa       the organization's TLS CA certificate, the only trust anchor
     * @param requestTimeout limit for connecting and for each request, each on its own
     * @throws IllegalArgumentException for a non-https URI, a URI with user info, query or fragment, or a
     *                                  non-positive timeout
     */
    public static ServerClient create(URI baseUri, X509Certificate pinnedCa, Duration requestTimeout) {
        return create(baseUri, pinnedCa, requestTimeout, false);
    }

    /**
     * A client that also trusts the JDK's default certificate authorities when {@code trustSystemStore} (see
     * {@link PinnedTrust#trusting(X509Certificate, boolean)}).
     */
    public static ServerClient create(URI baseUri, X509Certificate pinnedCa, Duration requestTimeout,
            boolean trustSystemStore) {
        ClientConfig config = new ClientConfig(baseUri, requestTimeout);
        HttpClient http = HttpClient.newBuilder()
                .sslContext(PinnedTrust.trusting(Objects.requireNonNull(pinnedCa, "pinnedCa"), trustSystemStore))
                .connectTimeout(config.requestTimeout())
                // a redirect could lead off the pinned host or to plain http
                .followRedirects(HttpClient.Redirect.NEVER)
                // No .proxy(...): the JVM's proxy settings (https.proxyHost ...) apply, as enterprise networks need.
                // A proxy only tunnels (CONNECT); TLS is still end to end and pinned, so it cannot read or forge.
                .build();
        LOG.info("server client: base-uri={}, request-timeout={}, pinned-ca=\"{}\", system-authorities={}",
                config.baseUri(), config.requestTimeout(), pinnedCa.getSubjectX500Principal(), trustSystemStore);
        return new ServerClient(config, http, WireCodec.create());
    }

    /** Enrolls the device: POST {@link Routes#ENROLL}. */
    public EnrollmentResponse enroll(EnrollmentRequest request) {
        Objects.requireNonNull(request, "request");
        HttpRequest http = requestTo(Routes.ENROLL)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(request)))
                .build();
        // the request's token is never logged; EnrollmentRequest.toString masks it as well
        LOG.debug("enrolling host {} at {}", request.hostname(), http.uri());
        return exchange(http, EnrollmentResponse.class);
    }

    /** Uploads one sealed batch: POST {@link Routes#batch(UUID, long)}. */
    public UploadReceipt upload(UUID deviceId, long sequence, byte[] sealedBatch) {
        return upload(deviceId, sequence, sealedBatch, Optional.empty());
    }

    /**
     * Uploads one sealed batch, telling the server the device's clock ({@link Routes#DEVICE_TIME_HEADER}) so that
     * it can measure the skew.
     */
    public UploadReceipt upload(UUID deviceId, long sequence, byte[] sealedBatch, Instant deviceTime) {
        return upload(deviceId, sequence, sealedBatch, Optional.of(deviceTime));
    }

    /**
     * Replaces the device's signing key: POST {@link Routes#deviceKey(UUID)}. Answers with the organization's
     * current certificate. Repeating a rotation that took effect is answered the same way.
     */
    public OrganizationCertificate rotateDeviceKey(DeviceKeyRotation rotation) {
        Objects.requireNonNull(rotation, "rotation");
        HttpRequest http = requestTo(Routes.deviceKey(rotation.deviceId()))
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(rotation)))
                .build();
        return exchange(http, OrganizationCertificate.class);
    }

    /** The organization's current encryption certificate: GET {@link Routes#organizationCertificate(UUID)}. */
    public OrganizationCertificate organizationCertificate(UUID deviceId) {
        HttpRequest http = requestTo(Routes.organizationCertificate(deviceId)).GET().build();
        return exchange(http, OrganizationCertificate.class);
    }

    private UploadReceipt upload(UUID deviceId, long sequence, byte[] sealedBatch, Optional<Instant> deviceTime) {
        Objects.requireNonNull(sealedBatch, "sealedBatch");
        HttpRequest.Builder builder = requestTo(Routes.batch(deviceId, sequence))
                .header("Content-Type", Routes.SEALED_BATCH_MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(sealedBatch));
        deviceTime.ifPresent(time -> builder.header(Routes.DEVICE_TIME_HEADER, time.toString()));
        HttpRequest http = builder.build();
        LOG.debug("uploading batch {} of device {} ({} bytes)", sequence, deviceId, sealedBatch.length);
        return exchange(http, UploadReceipt.class);
    }

    private HttpRequest.Builder requestTo(String route) {
        return HttpRequest.newBuilder(config.resolve(route))
                .timeout(config.requestTimeout())
                .header("Accept", JSON);
    }

    private <T> T exchange(HttpRequest request, Class<T> answer) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // ConnectException, SSLHandshakeException (untrusted certificate, wrong host), HttpTimeoutException ...
            throw new ServerUnreachableException(
                    "cannot reach " + request.uri() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException("interrupted while talking to " + request.uri(), e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return codec.decode(response.body(), answer);
        }
        ErrorBody error = errorBody(response.body(), status);
        LOG.debug("{} {} answered {} {}", request.method(), request.uri(), status, error.code());
        throw new ServerRejectedRequestException(status, error.code(), error.message(),
                retryAfter(response.headers().firstValue("Retry-After"), response.headers().firstValue("Date"),
                        clock.instant()));
    }

    /**
     * {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110 §10.2.3); anything else, or a negative delay,
     * is ignored. Capped at one day: a broken proxy must not park an agent for ever.
     */
    static Optional<Duration> retryAfter(Optional<String> header, Optional<String> serverDate, Instant deviceNow) {
        // an HTTP-date Retry-After is relative to the server's clock (its Date header), not to a skewed device clock
        return retryAfter(header, serverDate.flatMap(ServerClient::httpDate).orElse(deviceNow));
    }

    static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        Duration delay;
        try {
            delay = Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException notSeconds) {
            Optional<Instant> date = httpDate(value);
            if (date.isEmpty()) {
                return Optional.empty();
            }
            delay = Duration.between(now, date.get());
        }
        if (delay.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(delay.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : delay);
    }

    private ErrorBody errorBody(byte[] body, int status) {
        try {
            return codec.decode(body, ErrorBody.class);
        } catch (MalformedMessageException e) {
            // a proxy or a crashed server: keep the status, the body is not ours to interpret
            return new ErrorBody("unknown", "HTTP " + status + " without an error body");
        }
    }

    private static Optional<Instant> httpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "ServerClient[" + config.baseUri() + "]";
    }

    /** The validated settings of one client. */
    record ClientConfig(URI baseUri, Duration requestTimeout) {
        ClientConfig {
            Objects.requireNonNull(baseUri, "baseUri");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (baseUri.getScheme() == null || !"https".equals(baseUri.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("the server URI must use https, got " + baseUri.getScheme());
            }
            if (baseUri.getHost() == null) {
                throw new IllegalArgumentException("the server URI has no host");
            }
            if (baseUri.getRawUserInfo() != null || baseUri.getRawQuery() != null
                    || baseUri.getRawFragment() != null) {
                throw new IllegalArgumentException("the server URI must not carry user info, a query or a fragment");
            }
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("the request timeout must be positive, got " + requestTimeout);
            }
        }

        /** {@code base + route}, keeping a path prefix of the base ({@code https://h/xt} + {@code /api/...}). */
        URI resolve(String route) {
            String base = baseUri.toString();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            return URI.create(base + route);
        }
    }
}
