package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.organization.Organization;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.Pem;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.wire.Routes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Liveness, readiness and Prometheus metrics, over real HTTPS. */
class HealthAndMetricsTest {

    /** The day after the data (2026-11-02). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private static long sample(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> (long) Double.parseDouble(line.substring(name.length() + 1))).orElse(-1L);
    }

    @Test
    void livenessAndReadinessAnswerAndReadinessFollowsTheSchema() {
        assertThat(server.https().get("/healthz").status()).isEqualTo(200);
        assertThat(server.https().get("/readyz").text()).contains("ready");
        assertThat(server.https().get("/readyz").status()).isEqualTo(200);

        server.jdbi().useHandle(handle -> handle.execute(
                "UPDATE flyway_schema_history SET success = false WHERE installed_rank ="
                        + " (SELECT max(installed_rank) FROM flyway_schema_history)"));
        try {
            assertThat(server.https().get("/readyz").status()).isEqualTo(503);
            assertThat(server.https().get("/healthz").status()).isEqualTo(200);
        } finally {
            server.jdbi().useHandle(handle -> handle.execute(
                    "UPDATE flyway_schema_history SET success = true WHERE installed_rank ="
                            + " (SELECT max(installed_rank) FROM flyway_schema_history)"));
        }
        assertThat(server.https().get("/readyz").status()).isEqualTo(200);
    }

    @Test
    void metricsCountBatchesSpansRejectionsLatencyAndThePoolWithoutTenantData() {
        Organization organization = server.newOrganization();
        EnrolledDevice device = server.enroll(organization);
        Instant start = Instant.parse("2026-11-02T09:00:00Z");
        byte[] sealed = device.sealing().seal(0, List.of(
                Span.of(start, start.plusSeconds(60), Activity.active("a", "", Optional.empty())),
                Span.of(start.plusSeconds(60), start.plusSeconds(90), Activity.active("b", "", Optional.empty()))));
        String before = server.https().get("/metrics").text();
        assertThat(server.https().post(Routes.batch(device.id(), 0), Routes.SEALED_BATCH_MEDIA_TYPE, sealed)
                .status()).isEqualTo(200);
        assertThat(server.https().post(Routes.batch(device.id(), 0), Routes.SEALED_BATCH_MEDIA_TYPE, sealed)
                .status()).isEqualTo(200);
        assertThat(server.https().post(Routes.batch(device.id(), 1), "text/plain", sealed).status())
                .isEqualTo(415);

        Https.Response response = server.https().get("/metrics");
        String after = response.text();

        assertThat(response.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(sample(after, "xentracker_batches_total{result=\"stored\"}")
                - sample(before, "xentracker_batches_total{result=\"stored\"}")).isEqualTo(1);
        assertThat(sample(after, "xentracker_batches_total{result=\"duplicate\"}")
                - sample(before, "xentracker_batches_total{result=\"duplicate\"}")).isEqualTo(1);
        assertThat(sample(after, "xentracker_spans_stored_total")
                - sample(before, "xentracker_spans_stored_total")).isEqualTo(2);
        assertThat(sample(after, "xentracker_batches_rejected_total{code=\"unsupported-media-type\"}"))
                .isPositive();
        assertThat(sample(after, "xentracker_batch_duration_seconds_count")
                - sample(before, "xentracker_batch_duration_seconds_count")).isEqualTo(3);
        assertThat(sample(after, "xentracker_batch_duration_seconds_bucket{le=\"+Inf\"}"))
                .isEqualTo(sample(after, "xentracker_batch_duration_seconds_count"));
        assertThat(sample(after, "xentracker_db_pool_max_connections")).isEqualTo(4);
        assertThat(after).contains("# TYPE xentracker_batch_duration_seconds histogram")
                .contains("xentracker_db_pool_connections{state=\"active\"}")
                .doesNotContain(organization.id().toString()).doesNotContain(device.id().toString());
    }
}
