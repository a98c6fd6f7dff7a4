package com.xentracker.testing.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.testing.https.Https;
import com.xentracker.testing.https.HttpsServerExtension;
import com.xentracker.transport.envelope.BatchOpener;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.WireCodec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestDeviceTest {

    private static final Instant NINE = Instant.parse("2026-11-02T09:00:00Z");

    @RegisterExtension
    final HttpsServerExtension server = HttpsServerExtension.create();

    private final WireCodec codec = WireCodec.create();
    // the organization certificate is never checked against a time: any fixed instant will do
    private final OrganizationKey organization = OrganizationKey.generate("Acme", Clock.fixed(NINE, ZoneOffset.UTC));
    private final KeyPair keys = DeviceKeys.generate();
    private final TestDevice device = TestDevice.of(keys, new EnrollmentResponse(UUID.randomUUID(),
            UUID.randomUUID(), "Acme", Pem.encode(organization.certificate())));

    @Test
    void anUploadIsSealedAsTheAgentSealsAndPostedToTheBatchRouteOverPinnedHttps() {
        SpanBatch batch = new SpanBatch(device.id(), 3, List.of(Span.of(NINE, NINE.plusSeconds(60),
                Activity.active("editor", "", Optional.empty()))));
        AtomicReference<SpanBatch> opened = new AtomicReference<>();
        AtomicReference<String> contentType = new AtomicReference<>();
        server.route(Routes.batch(device.id(), 3), exchange -> {
            contentType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            byte[] payload = BatchOpener.create(organization.privateKey(), organization.certificate())
                    .open(HttpsServerExtension.readBody(exchange), keys.getPublic(), device.organizationId(),
                            device.id(), 3)
                    .payload();
            opened.set(codec.decode(payload, SpanBatch.class));
            HttpsServerExtension.respond(exchange, 200, "text/plain", "stored".getBytes(StandardCharsets.UTF_8));
        });

        Https.Response response = device.upload(Https.trusting(server.baseUri(), server.ca().certificate()), batch);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("stored");
        assertThat(opened.get()).isEqualTo(batch);
        assertThat(contentType.get()).isEqualTo(Routes.SEALED_BATCH_MEDIA_TYPE);
        assertThat(server.requests()).isOne();
    }
}
