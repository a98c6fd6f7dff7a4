package com.xentracker.portal.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.Span;
import com.xentracker.server.Administration;
import com.xentracker.server.ServerConfig;
import com.xentracker.server.XentrackerServer;
import com.xentracker.server.organization.Organization;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.pki.PinnedTrust;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet enrollment end to end: an owner works the portal over HTTPS as a browser does (sign-in form, CSRF tokens,
 * the token page, the revoke and delete confirmation steps) and devices talk to the same server with the transport's
 * own client, as agents do: they enroll with what the portal issued and upload sealed batches.
 */
class FleetEndToEndTest {

    /** Sunday 29 November 2026, 10:15:30 UTC: the server's clock stands here for the whole test. */
    private static final Instant NOW = Instant.parse("2026-11-29T10:15:30Z");
    private static final String OWNER = "owner@fleet.test";
    private static final String PASSWORD = "correct horse battery staple";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("<code class=\"token\" data-token-id=\"([0-9a-f-]{36})\">"
            + "([A-Za-z0-9_-]{43})</code>");

    @TempDir
    static Path dir;

    private static XentrackerServer server;
    private static Organization organization;
    private static PortalBrowser portal;
    private static String session;

    @BeforeAll
    static void serverWithAnOwnerSignedInToThePortal() throws Exception {
        server = XentrackerServer.start(ServerConfig.forDataDirectory(dir.resolve("server")).withHttpsPort(0),
                Clock.fixed(NOW, ZoneOffset.UTC));
        Administration administration = server.administration();
        organization = administration.createOrganization("Fleet GmbH", ZoneOffset.UTC, OWNER,
                PASSWORD.toCharArray());
        portal = new PortalBrowser(server.baseUri(), HttpClient.newBuilder()
                .sslContext(PinnedTrust.trusting(server.certificateAuthority()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
        session = portal.signIn(OWNER, PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A device as the server sees it: its keys and what enrollment answered; uploads sealed batches in order. */
    private static final class Device {
        private final KeyPair keys;
        private final EnrollmentResponse enrollment;
        private long sequence;

        private Device(KeyPair keys, EnrollmentResponse enrollment) {
            this.keys = keys;
            this.enrollment = enrollment;
        }

        static Device enroll(String token, String hostname) {
            KeyPair keys = DeviceKeys.generate();
            return new Device(keys, client().enroll(new EnrollmentRequest(token,
                    Pem.encodePublicKey(keys.getPublic()), hostname, "Linux 6.1", "ada", "0.2.0")));
        }

        UploadReceipt upload() {
            long next = sequence++;
            Instant start = NOW.minus(Duration.ofHours(1)).plus(Duration.ofMinutes(next));
            SpanBatch batch = new SpanBatch(enrollment.deviceId(), next, List.of(Span.of(start,
                    start.plusSeconds(60), Activity.active("editor", "/usr/bin/editor", Optional.empty()))));
            byte[] sealed = BatchSealer.create(keys.getPrivate(),
                            Pem.certificate(enrollment.organizationCertificatePem()))
                    .seal(WireCodec.create().encode(batch), BatchBinding.of(enrollment.organizationId(),
                            enrollment.deviceId(), next));
            return client().upload(enrollment.deviceId(), next, sealed);
        }
    }

    private static ServerClient client() {
        return ServerClient.create(server.baseUri(), server.certificateAuthority(), Duration.ofSeconds(30));
    }

    private static String refusedEnrollment(String token, String hostname) {
        return catchThrowableOfType(ServerRejectedRequestException.class, () -> Device.enroll(token, hostname))
                .code();
    }

    private static String csrf(String html) {
        Matcher matcher = CSRF.matcher(html);
        assertThat(matcher.find()).as("a CSRF token in %s", html).isTrue();
        return matcher.group(1);
    }

    /** Issues a token on the Enrollment page; returns its id and the token as the page showed it once. */
    private static String[] issueInThePortal(String name, int maxDevices) throws Exception {
        String page = portal.page("/enrollment", session);
        HttpResponse<String> issued = portal.post("/enrollment/issue", session, Map.of("csrf", csrf(page),
                "name", name, "days", "7", "maxDevices", Integer.toString(maxDevices)));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        Matcher token = TOKEN.matcher(issued.body());
        assertThat(token.find()).as(issued.body()).isTrue();
        return new String[] {token.group(1), token.group(2)};
    }

    private static String tokenRow(String tokenId) throws Exception {
        Matcher row = Pattern.compile("<tr data-token=\"" + tokenId + "\".*?</tr>", Pattern.DOTALL)
                .matcher(portal.page("/enrollment", session));
        assertThat(row.find()).isTrue();
        return row.group();
    }

    @Test
    @Timeout(120)
    void aTokenForTwoDevicesEnrollsExactlyTwo() throws Exception {
        String[] issued = issueInThePortal("pair of laptops", 2);

        Device first = Device.enroll(issued[1], "pair-1");
        Device second = Device.enroll(issued[1], "pair-2");
        String third = refusedEnrollment(issued[1], "pair-3");

        assertThat(third).isEqualTo("enrollment-token-exhausted");
        assertThat(List.of(first.enrollment.organizationId(), second.enrollment.organizationId()))
                .containsOnly(organization.id());
        assertThat(tokenRow(issued[0])).contains("2 / 2", "Used up");
        String devices = portal.page("/devices", session);
        assertThat(devices).contains("pair-1", "pair-2").doesNotContain("pair-3");
    }

    @Test
    @Timeout(120)
    void aTokenRevokedInThePortalCannotEnroll() throws Exception {
        String[] issued = issueInThePortal("revoked before use", 10);

        HttpResponse<String> revoked = portal.post("/enrollment/revoke", session,
                Map.of("csrf", csrf(portal.page("/enrollment", session)), "tokenId", issued[0]));

        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(refusedEnrollment(issued[1], "too-late")).isEqualTo("enrollment-token-revoked");
        assertThat(tokenRow(issued[0])).contains("0 / 10", "Revoked");
    }

    @Test
    @Timeout(120)
    void aDeviceRevokedInThePortalIsRefusedItsNextUploadWhileTheOthersGoOn() throws Exception {
        String[] issued = issueInThePortal("two desktops", 2);
        Device revokedOne = Device.enroll(issued[1], "desk-revoked");
        Device other = Device.enroll(issued[1], "desk-kept");
        revokedOne.upload();
        other.upload();

        String confirm = portal.page("/devices/revoke?device=" + revokedOne.enrollment.deviceId(), session);
        assertThat(confirm).contains("Revoke desk-revoked?");
        HttpResponse<String> revoked = portal.post("/devices/revoke", session, Map.of("csrf", csrf(confirm),
                "deviceId", revokedOne.enrollment.deviceId().toString()));

        assertThat(revoked.statusCode()).isEqualTo(303);
        ServerRejectedRequestException refused = catchThrowableOfType(ServerRejectedRequestException.class,
                revokedOne::upload);
        assertThat(refused.code()).isEqualTo("device-revoked");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(other.upload().acceptedSpans()).isOne();
        assertThat(portal.page("/devices", session)).contains("desk-revoked <span class=\"badge\">Revoked</span>");

        // deleting it too: its uploads are refused as from an unknown device, the other device goes on
        String delete = portal.page("/devices/delete?device=" + revokedOne.enrollment.deviceId(), session);
        assertThat(portal.post("/devices/delete", session, Map.of("csrf", csrf(delete),
                "deviceId", revokedOne.enrollment.deviceId().toString())).statusCode()).isEqualTo(303);
        assertThat(catchThrowableOfType(ServerRejectedRequestException.class, revokedOne::upload).code())
                .isEqualTo("device-unknown");
        assertThat(other.upload().acceptedSpans()).isOne();
        assertThat(portal.page("/devices", session)).doesNotContain("desk-revoked").contains("desk-kept");
    }
}
