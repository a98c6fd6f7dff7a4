package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.organization.Organization;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.Routes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Liveness and readiness over real HTTPS; Prometheus metrics on their own loopback listener (never on the HTTPS
 * port), through the Prometheus Java client, with the JVM's and the pool's metrics.
 */
class HealthAndMetricsTest {

    /** The day after the data (2026-11-02). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private static long sample(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> (long) Double.parseDouble(line.substring(name.length() + 1))).orElse(-1L);
    }

    private record Scrape(int status, String contentType, String text) {
    }

    /** What Prometheus gets from the node's metrics listener. */
    private static Scrape scrape() {
        URI uri = server.server().metricsUri().orElseThrow();
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(30_000);
            int status = connection.getResponseCode();
            String text = new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Scrape(status, connection.getContentType(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void metricsAreServedOnALoopbackListenerOfTheirOwnAndNotOnTheHttpsPort() {
        URI uri = server.server().metricsUri().orElseThrow();

        assertThat(uri.getScheme()).isEqualTo("http");
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        assertThat(uri.getPort()).isNotEqualTo(server.server().port());
        assertThat(scrape().status()).isEqualTo(200);
        assertThat(server.https().get("/metrics").status()).isEqualTo(404);
        assertThat(server.https().get("/metrics").text()).doesNotContain("xentracker_batches_total");
    }

    @Test
    void withoutAMetricsPortThereIsNoMetricsListener() {
        ServerConfig config = ServerConfig.forDataDirectory(server.dataDirectory());

        assertThat(config.observability().metricsPort()).isEmpty();
        assertThat(config.observability().metricsBindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void theJvmsAndThePoolsOwnMetricsAreThere() {
        // Readiness reads the schema through the pool, so at least one acquisition is timed before the scrape.
        assertThat(server.https().get("/readyz").status()).isEqualTo(200);
        String metrics = scrape().text();

        assertThat(metrics).contains("jvm_memory_used_bytes{area=\"heap\"}", "jvm_gc_collection_seconds_count",
                "jvm_threads_current", "process_cpu_seconds_total", "xentracker_db_pool_acquire_seconds_bucket",
                "xentracker_db_pool_usage_seconds_count", "xentracker_db_pool_timeouts_total",
                "xentracker_db_pool_connections{state=\"total\"}");
        assertThat(sample(metrics, "xentracker_db_pool_acquire_seconds_count")).as("the readiness check used the pool")
                .isPositive();
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
        String before = scrape().text();
        assertThat(server.https().post(Routes.batch(device.id(), 0), Routes.SEALED_BATCH_MEDIA_TYPE, sealed)
                .status()).isEqualTo(200);
        assertThat(server.https().post(Routes.batch(device.id(), 0), Routes.SEALED_BATCH_MEDIA_TYPE, sealed)
                .status()).isEqualTo(200);
        assertThat(server.https().post(Routes.batch(device.id(), 1), "text/plain", sealed).status())
                .isEqualTo(415);

        Scrape response = scrape();
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
