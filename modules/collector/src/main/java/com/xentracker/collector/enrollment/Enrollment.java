package com.xentracker.collector.enrollment;

import com.xentracker.collector.AgentVersion;
import com.xentracker.collector.EnrollmentException;
import com.xentracker.collector.LocalStateException;
import com.xentracker.collector.policy.PolicyCache;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrolls this device once: generates its signing key here (the private key never leaves the device), sends the
 * public key with the one-time token over the pinned TLS channel, and stores the server's answer with the key.
 */
public final class Enrollment {

    private static final Logger LOG = LoggerFactory.getLogger(Enrollment.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Enrollment() {}

    /**
     * Enrolls with {@code token} at {@code serverUri}, whose TLS certificate must chain to {@code serverCa}, and
     * stores the enrollment in {@code dataDir}.
     *
     * @throws EnrollmentException                                  when the device is already enrolled there, or
     *                                                              the result cannot be stored
     * @throws com.xentracker.transport.ServerUnreachableException  when the server cannot be reached (also an
     *                                                              untrusted TLS certificate)
     * @throws com.xentracker.transport.ServerRejectedRequestException when the server refuses (e.g. a used token)
     */
    public static EnrolledDevice enroll(Path dataDir, URI serverUri, X509Certificate serverCa, String token) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(serverCa, "serverCa");
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new EnrollmentException("the enrollment token is empty");
        }
        if (EnrolledDevice.existsIn(dataDir)) {
            // checked before the server call: a token is single-use and must not be burnt on a doomed attempt
            throw new EnrollmentException("this device is already enrolled (" + dataDir.resolve(EnrolledDevice.DIRECTORY)
                    + "); remove that directory to enroll again");
        }
        KeyPair keys = DeviceKeys.generate();
        EnrollmentRequest request = new EnrollmentRequest(token.strip(), Pem.encodePublicKey(keys.getPublic()),
                hostName(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("user.name", ""), AgentVersion.current());
        LOG.info("enrolling at {} as {} (user {})", serverUri, request.hostname(), request.osUser());
        EnrollmentResponse response = ServerClient.create(serverUri, serverCa, TIMEOUT).enroll(request);
        EnrolledDevice device = new EnrolledDevice(response.deviceId(), response.organizationId(),
                response.organizationName(), serverUri, serverCa, Pem.certificate(response.organizationCertificatePem()),
                keys.getPrivate());
        device.save(dataDir);
        LOG.info("enrolled as device {} of {}", device.deviceId(), device.organizationName());
        try { // so the organization's policy applies from the first sample; later ones come with upload receipts
            PolicyCache.open(dataDir).offer(response.policy());
        } catch (LocalStateException e) { // enrolled all the same: the first upload receipt brings the policy again
            LOG.warn("cannot cache the collection policy: {}", e.getMessage());
        }
        return device;
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException | RuntimeException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException unknown) {
                return "unknown";
            }
        }
    }
}
