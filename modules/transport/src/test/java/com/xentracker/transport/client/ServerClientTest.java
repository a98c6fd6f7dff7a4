package com.xentracker.transport.client;

import static com.xentracker.transport.client.HttpsServerExtension.readBody;
import static com.xentracker.transport.client.HttpsServerExtension.respond;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpsExchange;
import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.ServerUnreachableException;
import com.xentracker.transport.envelope.BatchOpener;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.ErrorCode;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServerClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String JSON = "application/json";
    private static final UUID DEVICE = UUID.fromString("0b6f4c3e-52a1-4c4e-9d51-6a3c1f0e2d7b");
    /**
     * Organization certificates are never checked against a time: a fixed clock issues them. TLS certificates are,
     * against the real time, so the CAs here are made by the real clock.
     */
    private static final Clock KEY_CLOCK = Clock.fixed(Instant.parse("2026-11-01T00:00:00Z"), ZoneOffset.UTC);

    @RegisterExtension
    final HttpsServerExtension https = new HttpsServerExtension();

    private final WireCodec codec = WireCodec.create();

    private ServerClient client() {
        return ServerClient.create(https.baseUri(), https.ca().certificate(), TIMEOUT);
    }

    private static final java.util.UUID ORGANIZATION_ID = java.util.UUID.randomUUID();

    @Test
    void enrollmentRoundTripsOverTlsPinnedToTheCa() {
        KeyPair device = DeviceKeys.generate();
        OrganizationKey organization = OrganizationKey.generate("Acme", KEY_CLOCK);
        EnrollmentResponse answer = new EnrollmentResponse(DEVICE, UUID.randomUUID(), "Acme",
                Pem.encode(organization.certificate()));
        AtomicReference<EnrollmentRequest> received = new AtomicReference<>();
        AtomicReference<String> contentType = new AtomicReference<>();
        AtomicReference<String> protocol = new AtomicReference<>();
        https.route(Routes.ENROLL, exchange -> {
            protocol.set(((HttpsExchange) exchange).getSSLSession().getProtocol());
            contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            received.set(codec.decode(readBody(exchange), EnrollmentRequest.class));
            respond(exchange, 201, JSON, codec.encode(answer));
        });
        EnrollmentRequest request = new EnrollmentRequest("tok-123", Pem.encodePublicKey(device.getPublic()),
                "ws-17", "Debian GNU/Linux 12", "alice", "0.1.0");

        EnrollmentResponse response = client().enroll(request);

        assertThat(response).isEqualTo(answer);
        assertThat(received.get()).isEqualTo(request);
        assertThat(contentType.get()).isEqualTo(JSON);
        assertThat(protocol.get()).isEqualTo("TLSv1.3");
    }

    @Test
    void aSealedBatchIsUploadedOpenedAndAcknowledged() {
        KeyPair device = DeviceKeys.generate();
        OrganizationKey organization = OrganizationKey.generate("Acme", KEY_CLOCK);
        Instant t0 = Instant.parse("2026-11-29T09:00:00Z");
        SpanBatch batch = new SpanBatch(DEVICE, 7, List.of(
                Span.of(t0, t0.plusSeconds(60), Activity.active("xterm", "/usr/bin/xterm", Optional.of("vim"))),
                Span.of(t0.plusSeconds(60), t0.plusSeconds(90), Activity.of(ActivityState.LOCKED))));
        AtomicReference<SpanBatch> opened = new AtomicReference<>();
        AtomicReference<String> contentType = new AtomicReference<>();
        AtomicReference<String> method = new AtomicReference<>();
        https.route(Routes.batch(DEVICE, 7), exchange -> {
            method.set(exchange.getRequestMethod());
            contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] payload = BatchOpener.create(organization.privateKey(), organization.certificate())
                    .open(readBody(exchange), device.getPublic(), ORGANIZATION_ID, DEVICE, 7).payload();
            opened.set(codec.decode(payload, SpanBatch.class));
            respond(exchange, 200, JSON, codec.encode(new UploadReceipt(DEVICE, 7, opened.get().spans().size(),
                    false)));
        });
        byte[] sealed = BatchSealer.create(device.getPrivate(), organization.certificate()).seal(codec.encode(batch),
                com.xentracker.transport.envelope.BatchBinding.of(ORGANIZATION_ID, DEVICE, 7));

        UploadReceipt receipt = client().upload(DEVICE, 7, sealed);

        assertThat(receipt).isEqualTo(new UploadReceipt(DEVICE, 7, 2, false));
        assertThat(opened.get()).isEqualTo(batch);
        assertThat(method.get()).isEqualTo("POST");
        assertThat(contentType.get()).isEqualTo(Routes.SEALED_BATCH_MEDIA_TYPE);
    }

    @Test
    void aServerWithACertificateFromAnotherCaIsRefused() {
        // same name as the real CA: only the signature on the server certificate tells them apart
        CertificateAuthority impostorsCa = CertificateAuthority.generate("Test CA", Clock.systemUTC());
        https.route(Routes.ENROLL, exchange -> respond(exchange, 200, JSON, new byte[0]));

        ServerClient pinnedToOtherCa = ServerClient.create(https.baseUri(), impostorsCa.certificate(), TIMEOUT);

        ServerUnreachableException refused = catchThrowableOfType(ServerUnreachableException.class,
                () -> pinnedToOtherCa.enroll(request()));
        assertThat(refused.getCause()).isInstanceOf(SSLHandshakeException.class);
        assertThat(refused).hasStackTraceContaining("CertPathValidatorException");
        assertThat(https.requests()).isZero();
    }

    @Test
    void aCertificateFromThePinnedCaForAnotherHostIsRefused() {
        HttpsServerExtension otherHost = new HttpsServerExtension(https.ca(), List.of("xentracker.example.org"),
                List.of());
        try {
            otherHost.beforeEach(null);
            otherHost.route(Routes.ENROLL, exchange -> respond(exchange, 200, JSON, new byte[0]));
            ServerClient client = ServerClient.create(otherHost.baseUri(), https.ca().certificate(), TIMEOUT);

            assertThatThrownBy(() -> client.enroll(request())).isInstanceOf(ServerUnreachableException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class);
            assertThat(otherHost.requests()).isZero();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            otherHost.afterEach(null);
        }
    }

    @Test
    void aClientErrorWithAnErrorBodyCarriesItsCode() {
        https.route(Routes.ENROLL, exchange -> respond(exchange, ErrorCode.ENROLLMENT_TOKEN_UNKNOWN.status(), JSON,
                codec.encode(new ErrorBody(ErrorCode.ENROLLMENT_TOKEN_UNKNOWN.code(),
                        "the enrollment token is unknown or used"))));

        ServerRejectedRequestException rejected = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().enroll(request()));

        assertThat(rejected.status()).isEqualTo(403);
        assertThat(rejected.code()).isEqualTo("enrollment-token-unknown");
        assertThat(rejected.errorCode()).contains(ErrorCode.ENROLLMENT_TOKEN_UNKNOWN);
        assertThat(rejected).hasMessageContaining("the enrollment token is unknown or used");
    }

    @Test
    void aServerErrorWithoutAnErrorBodyIsStillARejection() {
        https.route(Routes.batch(DEVICE, 1), exchange -> respond(exchange, 502, "text/html",
                "<h1>Bad Gateway</h1>".getBytes(UTF_8)));

        ServerRejectedRequestException rejected = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().upload(DEVICE, 1, new byte[] {1, 2, 3}));

        assertThat(rejected.status()).isEqualTo(502);
        assertThat(rejected.code()).isEqualTo("unknown");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        https.route(Routes.batch(DEVICE, 1), exchange -> {
            exchange.getResponseHeaders().add("Retry-After", "120");
            respond(exchange, 503, JSON, codec.encode(new ErrorBody("storage-unavailable", "busy")));
        });

        ServerRejectedRequestException rejected = catchThrowableOfType(ServerRejectedRequestException.class,
                () -> client().upload(DEVICE, 1, new byte[] {1}));

        assertThat(rejected.retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(ServerClient.retryAfter(Optional.of("Sun, 29 Nov 2026 09:05:00 GMT"),
                Optional.of("Sun, 29 Nov 2026 09:00:00 GMT"), Instant.parse("2026-11-29T10:00:00Z")))
                .as("relative to the server's Date, whatever the device's clock says").contains(Duration.ofMinutes(5));
        Instant now = Instant.parse("2026-11-29T09:00:00Z");
        assertThat(ServerClient.retryAfter(Optional.of("Sun, 29 Nov 2026 09:01:30 GMT"), now))
                .contains(Duration.ofSeconds(90));
        assertThat(ServerClient.retryAfter(Optional.of("soon"), now)).isEmpty();
        assertThat(ServerClient.retryAfter(Optional.of("99999999"), now)).contains(Duration.ofDays(1));
        assertThat(ServerClient.retryAfter(Optional.empty(), now)).isEmpty();
    }

    @Test
    void anUploadTellsTheDevicesClockAndTheCertificateCanBeFetched() {
        AtomicReference<String> deviceTime = new AtomicReference<>();
        https.route(Routes.batch(DEVICE, 3), exchange -> {
            deviceTime.set(exchange.getRequestHeaders().getFirst(Routes.DEVICE_TIME_HEADER));
            respond(exchange, 200, JSON, codec.encode(new UploadReceipt(DEVICE, 3, 0, false)
                    .withOrganizationCertificate("PEM")));
        });
        https.route(Routes.organizationCertificate(DEVICE), exchange -> respond(exchange, 200, JSON,
                codec.encode(new com.xentracker.transport.wire.OrganizationCertificate(ORGANIZATION_ID, "PEM2"))));

        UploadReceipt receipt = client().upload(DEVICE, 3, new byte[] {1}, Instant.parse("2026-11-29T09:00:00Z"));

        assertThat(deviceTime.get()).isEqualTo("2026-11-29T09:00:00Z");
        assertThat(receipt.organizationCertificatePem()).isEqualTo("PEM");
        assertThat(client().organizationCertificate(DEVICE).certificatePem()).isEqualTo("PEM2");
    }

    @Test
    void aRedirectIsNotFollowed() {
        https.route(Routes.ENROLL, exchange -> {
            exchange.getResponseHeaders().set("Location", "http://127.0.0.1:9/elsewhere");
            respond(exchange, 307, JSON, codec.encode(new ErrorBody("moved", "moved")));
        });

        assertThatThrownBy(() -> client().enroll(request())).isInstanceOf(ServerRejectedRequestException.class)
                .extracting(e -> ((ServerRejectedRequestException) e).status()).isEqualTo(307);
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ServerClient client = ServerClient.create(URI.create("https://127.0.0.1:" + closedPort),
                https.ca().certificate(), TIMEOUT);

        assertThatThrownBy(() -> client.enroll(request())).isInstanceOf(ServerUnreachableException.class);
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsUnreachable() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        https.route(Routes.ENROLL, exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ServerClient impatient = ServerClient.create(https.baseUri(), https.ca().certificate(),
                Duration.ofMillis(500));
        try {
            assertThatThrownBy(() -> impatient.enroll(request())).isInstanceOf(ServerUnreachableException.class)
                    .hasCauseInstanceOf(HttpTimeoutException.class);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aSuccessWithAnUnreadableBodyIsMalformed() {
        https.route(Routes.ENROLL, exchange -> respond(exchange, 200, JSON, "{\"deviceId\":".getBytes(UTF_8)));

        assertThatThrownBy(() -> client().enroll(request()))
                .isInstanceOf(com.xentracker.transport.MalformedMessageException.class);
    }

    @Test
    void plainHttpIsRefused() {
        assertThatThrownBy(() -> ServerClient.create(URI.create("http://127.0.0.1:8080"), https.ca().certificate(),
                TIMEOUT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    }

    @Test
    void aBasePathIsKept() {
        https.route("/xentracker" + Routes.ENROLL, exchange -> respond(exchange, 200, JSON,
                codec.encode(new EnrollmentResponse(DEVICE, DEVICE, "Acme", "pem"))));
        ServerClient client = ServerClient.create(URI.create(https.baseUri() + "/xentracker/"),
                https.ca().certificate(), TIMEOUT);

        assertThat(client.enroll(request()).organizationName()).isEqualTo("Acme");
    }

    private static EnrollmentRequest request() {
        return new EnrollmentRequest("tok", "pem", "ws-17", "Debian", "alice", "0.1.0");
    }
}
