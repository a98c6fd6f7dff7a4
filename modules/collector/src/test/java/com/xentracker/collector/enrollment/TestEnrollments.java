package com.xentracker.collector.enrollment;

import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

/** Stores a real enrollment (real keys and certificates) without a server, for tests of what comes after it. */
public final class TestEnrollments {

    private TestEnrollments() {}

    /** Enrolls {@code dataDir} for a server at {@code serverUri} that nobody has to run. */
    public static EnrolledDevice store(Path dataDir, URI serverUri) {
        Clock clock = Clock.systemUTC();
        EnrolledDevice device = new EnrolledDevice(UUID.randomUUID(), UUID.randomUUID(), "Acme Test",
                serverUri, CertificateAuthority.generate("Acme CA", clock).certificate(),
                OrganizationKey.generate("Acme Test", clock).certificate(), DeviceKeys.generate().getPrivate());
        device.save(dataDir);
        return device;
    }
}
