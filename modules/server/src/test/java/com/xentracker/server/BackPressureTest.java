package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.SpanBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A database that cannot take more work makes uploads answer 503 with Retry-After, not wait without bound. */
class BackPressureTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture();

    @Test
    void anExhaustedPoolAnswers503WithRetryAfterAndTheBatchIsStoredOnRetry() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        Instant start = Instant.parse("2026-11-02T09:00:00Z");
        byte[] sealed = BatchSealer.create(device.keys().getPrivate(),
                        Pem.certificate(device.enrollment().organizationCertificatePem()))
                .seal(server.codec().encode(new SpanBatch(device.id(), 0, List.of(Span.of(start,
                        start.plusSeconds(60), Activity.active("editor", "", Optional.empty()))))),
                        BatchBinding.of(device.enrollment().organizationId(), device.id(), 0));
        List<Handle> held = new ArrayList<>();
        Https.Response busy;
        try {
            // the fixture's pool has 4 connections: hold them all, as a slow database would
            for (int i = 0; i < 4; i++) {
                held.add(server.jdbi().open());
            }
            busy = server.https().post(Routes.batch(device.id(), 0), Routes.SEALED_BATCH_MEDIA_TYPE, sealed);
        } finally {
            held.forEach(Handle::close);
        }

        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.header("Retry-After")).hasValueSatisfying(value -> assertThat(Integer.parseInt(value))
                .isPositive());
        assertThat(server.codec().decode(busy.body(), ErrorBody.class).code()).isEqualTo("storage-unavailable");

        Https.Response retried = server.https().post(Routes.batch(device.id(), 0), Routes.SEALED_BATCH_MEDIA_TYPE,
                sealed);
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        assertThat(server.count("SELECT count(*) FROM spans WHERE device_id = ?", device.id())).isEqualTo(1);
    }
}
