package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.wire.ErrorBody;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A database that cannot take more work makes uploads answer 503 with Retry-After, not wait without bound. */
class BackPressureTest {

    /** The day after the data (2026-11-02). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    @Test
    void anExhaustedPoolAnswers503WithRetryAfterAndTheBatchIsStoredOnRetry() {
        EnrolledDevice device = server.enroll(server.newOrganization());
        Instant start = Instant.parse("2026-11-02T09:00:00Z");
        byte[] sealed = device.sealing().seal(0, List.of(Span.of(start, start.plusSeconds(60),
                Activity.active("editor", "", Optional.empty()))));
        List<Handle> held = new ArrayList<>();
        Https.Response busy;
        try {
            // the fixture's pool has 4 connections: hold them all, as a slow database would
            for (int i = 0; i < 4; i++) {
                held.add(server.jdbi().open());
            }
            busy = device.sealing().post(server.https(), 0, sealed);
        } finally {
            held.forEach(Handle::close);
        }

        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.header("Retry-After")).hasValueSatisfying(value -> assertThat(Integer.parseInt(value))
                .isPositive());
        assertThat(server.codec().decode(busy.body(), ErrorBody.class).code()).isEqualTo("storage-unavailable");

        Https.Response retried = device.sealing().post(server.https(), 0, sealed);
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        assertThat(server.count("SELECT count(*) FROM spans WHERE device_id = ?", device.id())).isEqualTo(1);
    }
}
