package com.xentracker.collector.enrollment;

import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/** Stores a real enrollment (real keys and certificates) without a server, for tests of what comes after it. */
public final class TestEnrollments {

    private static final Instant KEYS_ISSUED = Instant.parse("2026-11-01T00:00:00Z");

    private TestEnrollments() {}

    /** Enrolls {@code dataDir} for a server at {@code serverUri} that nobody has to run. */
    public static EnrolledDevice store(Path dataDir, URI serverUri) {
        // The CA is a TLS trust anchor, which TLS checks against the real time: issued by the real clock. The
        // organization certificate is never checked against a time: a fixed instant will do.
        EnrolledDevice device = new EnrolledDevice(UUID.randomUUID(), UUID.randomUUID(), "Acme Test",
                serverUri, CertificateAuthority.generate("Acme CA", Clock.systemUTC()).certificate(),
                OrganizationKey.generate("Acme Test", Clock.fixed(KEYS_ISSUED, ZoneOffset.UTC)).certificate(),
                DeviceKeys.generate().getPrivate());
        device.save(dataDir);
        return device;
    }
}
