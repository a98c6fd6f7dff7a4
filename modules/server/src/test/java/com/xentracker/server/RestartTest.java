package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.account.Account;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.UsageFilter;
import com.xentracker.server.usage.UsageTotal;
import com.xentracker.testing.clock.MutableClock;
import com.xentracker.testing.device.TestDevice;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestartTest {

    /** The day after the data (2026-11-02); both starts share it, as a restart shares the real one. */
    private final MutableClock clock = MutableClock.at("2026-11-03T12:00:00Z");
    private final WireCodec codec = WireCodec.create();
    private Path dataDirectory;

    @AfterEach
    void deleteData() {
        ServerFixture.delete(dataDirectory);
    }

    private byte[] seal(KeyPair keys, EnrollmentResponse enrolled, long sequence, Span span) {
        return TestDevice.of(keys, enrolled).seal(sequence, List.of(span));
    }

    @Test
    void everythingSurvivesARestartOnTheSameDataDirectory() throws IOException {
        dataDirectory = Files.createTempDirectory("xt-restart-test-");
        ServerConfig config = ServerFixture.config(dataDirectory);
        char[] password = "a long enough password".toCharArray();
        KeyPair keys = DeviceKeys.generate();
        Instant nine = Instant.parse("2026-11-02T09:00:00Z");
        Span span = Span.of(nine, nine.plusSeconds(600), Activity.active("xterm", "/usr/bin/xterm",
                Optional.empty()));
        Organization organization;
        Account owner;
        EnrollmentResponse enrolled;
        String caBefore;
        byte[] batch0;
        try (XentrackerServer first = XentrackerServer.start(config, clock)) {
            organization = first.administration().createOrganization("Acme", ZoneId.of("Europe/Berlin"));
            owner = first.administration().createOwner(organization.id(), "owner@acme.example", password.clone());
            ServerClient agent = ServerClient.create(first.baseUri(), first.certificateAuthority(),
                    Duration.ofSeconds(30));
            enrolled = agent.enroll(ServerFixture.enrollmentRequest(first.services().enrollmentTokens()
                    .issue(first.administration().operator(organization.id()), "test", Duration.ofHours(1), 1)
                    .token(), keys));
            batch0 = seal(keys, enrolled, 0, span);
            agent.upload(enrolled.deviceId(), 0, batch0);
            caBefore = Files.readString(first.certificateAuthorityFile());
        }

        try (XentrackerServer second = XentrackerServer.start(config, clock)) {
            assertThat(second.administration().firstOrganization()).contains(organization);
            assertThat(second.services().signIn().withPassword("owner@acme.example", password.clone(), "127.0.0.1"))
                    .isInstanceOfSatisfying(com.xentracker.server.account.SignIn.SignedIn.class, signedIn ->
                            assertThat(signedIn.actor().accountId()).contains(owner.id()));
            assertThat(second.services().usage().applications(second.administration().operator(organization.id()),
                    UsageFilter.of(DayRange.day(java.time.LocalDate.ofInstant(nine, organization.timeZone())))).rows())
                    .containsExactly(new UsageTotal("xterm", Duration.ofMinutes(10), 1));
            // agents pinned the CA on the first run; it must not change
            assertThat(Files.readString(second.certificateAuthorityFile())).isEqualTo(caBefore);
            // the organization's key still opens batches: the master key was kept
            ServerClient agent = ServerClient.create(second.baseUri(), second.certificateAuthority(),
                    Duration.ofSeconds(30));
            // the same bytes, as an agent that lost the receipt retries them
            UploadReceipt repeat = agent.upload(enrolled.deviceId(), 0, batch0);
            UploadReceipt next = agent.upload(enrolled.deviceId(), 1,
                    seal(keys, enrolled, 1, Span.of(nine.plusSeconds(600), nine.plusSeconds(660), span.activity())));
            assertThat(repeat.duplicate()).isTrue();
            assertThat(next).isEqualTo(new UploadReceipt(enrolled.deviceId(), 1, 1, false)
                    .withOrganizationCertificate(enrolled.organizationCertificatePem()));
        }
    }

    @Test
    void newPublicHostnamesGetANewServerCertificateFromTheSameCa() throws Exception {
        dataDirectory = Files.createTempDirectory("xt-restart-test-");
        ServerConfig config = ServerFixture.config(dataDirectory);
        try (XentrackerServer first = XentrackerServer.start(config, clock)) {
            assertThat(dnsNames(first)).containsExactly("localhost");
        }

        try (XentrackerServer second = XentrackerServer.start(config.withPublicHostnames(
                List.of("xt.example.org", "192.0.2.10")), clock)) {
            X509Certificate certificate = serverCertificate();
            assertThat(dnsNames(second)).containsExactlyInAnyOrder("localhost", "xt.example.org");
            assertThat(certificate.getSubjectAlternativeNames()).anyMatch(name -> name.get(1).equals("192.0.2.10"));
            certificate.verify(second.certificateAuthority().getPublicKey());
            // the renewed certificate is the one served
            assertThat(Https.trusting(second.baseUri(), second.certificateAuthority()).get("/api/v1/health").status())
                    .isEqualTo(200);
        }
    }

    private X509Certificate serverCertificate() throws IOException {
        return Pem.certificate(Files.readString(dataDirectory.resolve("tls/server.pem")));
    }

    private List<String> dnsNames(XentrackerServer server) throws Exception {
        return serverCertificate().getSubjectAlternativeNames().stream()
                .filter(name -> name.get(0).equals(2)).map(name -> (String) name.get(1)).toList();
    }
}
