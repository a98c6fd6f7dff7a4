package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.Routes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EnrollmentTest {

    /** The tests do not depend on the date; the clock starts at a fixed one all the same. */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private Https.Response enroll(String token, KeyPair keys) {
        return server.https().post(Routes.ENROLL, "application/json",
                server.codec().encode(ServerFixture.enrollmentRequest(token, keys)));
    }

    private ErrorBody error(Https.Response response) {
        return server.codec().decode(response.body(), ErrorBody.class);
    }

    @Test
    void aValidTokenEnrollsTheDeviceAndReturnsTheOrganizationsCertificate() {
        Organization organization = server.newOrganization();
        KeyPair keys = DeviceKeys.generate();

        Https.Response response = enroll(server.token(organization).token(), keys);

        assertThat(response.status()).isEqualTo(200);
        EnrollmentResponse enrolled = server.codec().decode(response.body(), EnrollmentResponse.class);
        assertThat(enrolled.organizationId()).isEqualTo(organization.id());
        assertThat(enrolled.organizationName()).isEqualTo(organization.name());
        X509Certificate certificate = Pem.certificate(enrolled.organizationCertificatePem());
        assertThat(certificate.getSubjectX500Principal().getName()).contains(organization.id().toString()).doesNotContain(organization.name());
        String storedKey = server.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT public_key_pem FROM devices WHERE organization_id = :o AND id = :d")
                .bind("o", organization.id()).bind("d", enrolled.deviceId())
                .mapTo(String.class).one());
        assertThat(Pem.publicKey(storedKey)).isEqualTo(keys.getPublic());
        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action = ?",
                organization.id(), "enroll-device")).isEqualTo(1);
    }

    @Test
    void anUnknownTokenIsRefused() {
        Https.Response response = enroll("no-such-token-no-such-token-no-such-token-x", DeviceKeys.generate());

        assertThat(response.status()).isEqualTo(403);
        assertThat(error(response).code()).isEqualTo("enrollment-token-unknown");
    }

    @Test
    void anExpiredTokenIsRefused() {
        Organization organization = server.newOrganization();
        IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(server.operator(organization.id()), "test", Duration.ofMinutes(30), 5);
        server.clock().advance(Duration.ofMinutes(31));

        Https.Response response = enroll(token.token(), DeviceKeys.generate());

        assertThat(response.status()).isEqualTo(403);
        assertThat(error(response).code()).isEqualTo("enrollment-token-expired");
        assertThat(server.count("SELECT count(*) FROM devices WHERE organization_id = ?", organization.id()))
                .isZero();
    }

    @Test
    void aRevokedTokenIsRefused() {
        Organization organization = server.newOrganization();
        IssuedEnrollmentToken token = server.token(organization);
        server.services().enrollmentTokens().revoke(server.operator(organization.id()), token.id());

        Https.Response response = enroll(token.token(), DeviceKeys.generate());

        assertThat(response.status()).isEqualTo(403);
        assertThat(error(response).code()).isEqualTo("enrollment-token-revoked");
    }

    @Test
    void aTokenCannotBeUsedMoreOftenThanItAllows() {
        Organization organization = server.newOrganization();
        IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(server.operator(organization.id()), "test", Duration.ofHours(1), 1);

        assertThat(enroll(token.token(), DeviceKeys.generate()).status()).isEqualTo(200);
        Https.Response second = enroll(token.token(), DeviceKeys.generate());

        assertThat(second.status()).isEqualTo(403);
        assertThat(error(second).code()).isEqualTo("enrollment-token-exhausted");
        assertThat(server.count("SELECT count(*) FROM devices WHERE organization_id = ?", organization.id()))
                .isOne();
    }

    @Test
    void concurrentEnrollmentsNeverExceedTheTokensUses() throws Exception {
        Organization organization = server.newOrganization();
        IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(server.operator(organization.id()), "test", Duration.ofHours(1), 3);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                KeyPair keys = DeviceKeys.generate();
                attempts.add(() -> enroll(token.token(), keys).status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(attempts, 60, TimeUnit.SECONDS)) {
                statuses.add(status.get());
            }

            assertThat(statuses).filteredOn(status -> status == 200).hasSize(3);
            assertThat(statuses).filteredOn(status -> status == 403).hasSize(5);
            assertThat(server.count("SELECT uses FROM enrollment_tokens WHERE organization_id = ? AND id = ?",
                    organization.id(), token.id())).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyThatIsNotPemIsRefused() {
        Organization organization = server.newOrganization();
        EnrollmentRequest request = new EnrollmentRequest(server.token(organization).token(), "not a key", "host",
                "Linux", "alice", "0.1.0");

        Https.Response response = server.https().post(Routes.ENROLL, "application/json",
                server.codec().encode(request));

        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response).code()).isEqualTo("invalid-key");
        assertThat(server.count("SELECT count(*) FROM devices WHERE organization_id = ?", organization.id()))
                .isZero();
    }

    @Test
    void aRequestWithoutAHostnameIsRefusedAndUsesNothing() {
        Organization organization = server.newOrganization();
        IssuedEnrollmentToken token = server.services().enrollmentTokens().issue(server.operator(organization.id()), "test", Duration.ofHours(1), 1);
        String json = "{\"token\":\"" + token.token() + "\",\"devicePublicKeyPem\":\"x\",\"hostname\":\" \","
                + "\"operatingSystem\":\"Linux\",\"osUser\":\"alice\",\"agentVersion\":\"1\"}";

        Https.Response response = server.https().post(Routes.ENROLL, "application/json",
                json.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(400);
        assertThat(error(response).code()).isEqualTo("invalid-request");
        assertThat(enroll(token.token(), DeviceKeys.generate()).status()).isEqualTo(200);
    }
}
