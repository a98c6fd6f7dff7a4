package com.xentracker.collector.enrollment;

import com.xentracker.collector.AgentVersion;
import com.xentracker.collector.EnrollmentException;
import com.xentracker.collector.LocalStateException;
import com.xentracker.collector.policy.PolicyCache;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrolls this device: generates its signing key here (the private key never leaves the device), sends the public
 * key with the one-time token over the pinned TLS channel, and stores the server's answer with the key. Once with
 * {@link #enroll}; again, as a new device with a new key, with {@link #replace} (after a revocation, a deletion on the
 * server, or a damaged key: the server never lets a key that ever enrolled enroll again).
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
        requireToken(token);
        // both checked before the server call: a token is single-use and must not be burnt on a doomed attempt
        if (EnrolledDevice.existsIn(dataDir)) {
            throw new EnrollmentException("this device is already enrolled (" + dataDir.resolve(EnrolledDevice.DIRECTORY)
                    + "); to enroll it again as a new device (revoked, deleted on the server, or a damaged key), run"
                    + " `enroll --replace` with a new token: the old identity is kept aside, and what was recorded is"
                    + " sent under the new one");
        }
        if (EnrolledDevice.replacementUnfinished(dataDir)) {
            throw new EnrollmentException("an interrupted re-enrollment waits in "
                    + dataDir.resolve(EnrolledDevice.NEXT_DIRECTORY) + "; `run` or `enroll --replace` finishes it");
        }
        Registered registered = register(serverUri, serverCa, token);
        registered.device().save(dataDir);
        LOG.info("enrolled as device {} of {}", registered.device().deviceId(), registered.device().organizationName());
        cachePolicy(dataDir, registered.policy());
        return registered.device();
    }

    /**
     * Enrolls this device again, as a new device with a new key, in place of the enrollment in {@code dataDir}
     * (which may be missing or unreadable). Nothing on disk changes before the server has agreed. Then the new
     * identity is stored completely in {@code device.next/}, the old one is moved to
     * {@code device.replaced-<UTC time>/} (kept with its key, owner only), and the new one renamed into place (see
     * {@link EnrolledDevice#finishReplacement}); a crash in between is finished by the next {@code finishReplacement}.
     *
     * <p>The caller keeps agents off the data directory, finishes an interrupted replacement first, and hands the
     * span buffer to the new device afterwards ({@code Agent.reenroll} does all three).
     *
     * @param at names the old identity's directory
     * @throws EnrollmentException when an interrupted replacement waits, or the result cannot be stored
     * @throws com.xentracker.transport.TransportException when the server cannot be reached or refuses; nothing
     *                                                     changed on disk
     */
    public static Replacement replace(Path dataDir, URI serverUri, X509Certificate serverCa, String token,
            Instant at) {
        return replace(dataDir, serverUri, serverCa, token, at, step -> { });
    }

    /** {@link #replace(Path, URI, X509Certificate, String, Instant)}, telling {@code afterStep} each durable step. */
    static Replacement replace(Path dataDir, URI serverUri, X509Certificate serverCa, String token, Instant at,
            Consumer<ReplacementStep> afterStep) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(at, "at");
        requireToken(token);
        if (EnrolledDevice.replacementUnfinished(dataDir)) {
            throw new EnrollmentException("an interrupted re-enrollment waits in "
                    + dataDir.resolve(EnrolledDevice.NEXT_DIRECTORY) + "; finish it first");
        }
        Optional<EnrolledDevice> old;
        try {
            old = EnrolledDevice.load(dataDir);
        } catch (EnrollmentException e) {
            old = Optional.empty(); // a damaged enrollment is a reason to replace it; it is kept aside all the same
            LOG.warn("the enrollment being replaced cannot be read: {}", e.getMessage());
        }
        Registered registered = register(serverUri, serverCa, token);
        EnrolledDevice device = registered.device();
        device.stageReplacement(dataDir);
        afterStep.accept(ReplacementStep.STAGED);
        if (old.map(EnrolledDevice::organizationId).filter(device.organizationId()::equals).isEmpty()) {
            keepPolicyWithOldIdentity(dataDir);
        }
        Replacement replacement = EnrolledDevice.finishReplacement(dataDir, at, afterStep).orElseThrow(
                () -> new EnrollmentException("the new enrollment disappeared from " + dataDir));
        LOG.info("enrolled again as device {} of {}, replacing {}", device.deviceId(), device.organizationName(),
                old.map(previous -> "device " + previous.deviceId()).orElse("an enrollment that could not be read"));
        cachePolicy(dataDir, registered.policy());
        return replacement;
    }

    private record Registered(EnrolledDevice device, CollectionPolicy policy) {}

    /** The server call: a new key pair, generated here, and the token. */
    private static Registered register(URI serverUri, X509Certificate serverCa, String token) {
        Objects.requireNonNull(serverUri, "serverUri");
        Objects.requireNonNull(serverCa, "serverCa");
        KeyPair keys = DeviceKeys.generate();
        EnrollmentRequest request = new EnrollmentRequest(token.strip(), Pem.encodePublicKey(keys.getPublic()),
                hostName(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("user.name", ""), AgentVersion.current());
        LOG.info("enrolling at {} as {} (user {})", serverUri, request.hostname(), request.osUser());
        EnrollmentResponse response = ServerClient.create(serverUri, serverCa, TIMEOUT).enroll(request);
        return new Registered(new EnrolledDevice(response.deviceId(), response.organizationId(),
                response.organizationName(), serverUri, serverCa, Pem.certificate(response.organizationCertificatePem()),
                keys.getPrivate()), response.policy());
    }

    /**
     * Another organization (or an unknown one): its policy versions are not comparable with the cached policy's, so
     * the cached file goes with the old identity, before the new one is in place. Until the new organization's
     * policy is cached, the defaults apply.
     */
    private static void keepPolicyWithOldIdentity(Path dataDir) {
        Path cached = PolicyCache.open(dataDir).file();
        Path identity = dataDir.resolve(EnrolledDevice.DIRECTORY);
        if (!Files.exists(cached) || !Files.isDirectory(identity)) {
            return;
        }
        try {
            Files.move(cached, identity.resolve(cached.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EnrollmentException("cannot move the old organization's policy " + cached + " aside: "
                    + e.getMessage(), e);
        }
    }

    private static void cachePolicy(Path dataDir, CollectionPolicy policy) {
        try { // so the organization's policy applies from the first sample; later ones come with upload receipts
            PolicyCache.open(dataDir).offer(policy);
        } catch (LocalStateException e) { // enrolled all the same: the first upload receipt brings the policy again
            LOG.warn("cannot cache the collection policy: {}", e.getMessage());
        }
    }

    private static void requireToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new EnrollmentException("the enrollment token is empty");
        }
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException unknown) {
                return "unknown";
            }
        }
    }
}
