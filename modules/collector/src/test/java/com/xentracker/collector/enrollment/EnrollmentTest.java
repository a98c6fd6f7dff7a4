package com.xentracker.collector.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.collector.EnrollmentException;
import com.xentracker.testing.https.Ports;
import com.xentracker.transport.ServerUnreachableException;
import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.Pem;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storing and loading an enrollment on a real file system; the server call against a closed port. */
class EnrollmentTest {

    @TempDir
    Path dir;

    @Test
    void anEnrollmentIsStoredWithAnOwnerOnlyKeyAndLoadsBackEqual() throws Exception {
        Path dataDir = dir.resolve("agent");
        EnrolledDevice stored = TestEnrollments.store(dataDir, URI.create("https://tracker.example:8443"));

        EnrolledDevice loaded = EnrolledDevice.load(dataDir).orElseThrow();

        assertThat(loaded.deviceId()).isEqualTo(stored.deviceId());
        assertThat(loaded.organizationId()).isEqualTo(stored.organizationId());
        assertThat(loaded.organizationName()).isEqualTo("Acme Test");
        assertThat(loaded.serverUri()).isEqualTo(URI.create("https://tracker.example:8443"));
        assertThat(loaded.serverCa()).isEqualTo(stored.serverCa());
        assertThat(loaded.organizationCertificate()).isEqualTo(stored.organizationCertificate());
        assertThat(Pem.encodePrivateKey(loaded.deviceKey())).isEqualTo(Pem.encodePrivateKey(stored.deviceKey()));
        Path device = dataDir.resolve("device");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(device.resolve("device-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(device))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
    }

    @Test
    void anUnenrolledDataDirectoryLoadsAsEmpty() {
        assertThat(EnrolledDevice.load(dir.resolve("nowhere"))).isEmpty();
        assertThat(EnrolledDevice.load(dir)).isEmpty();
    }

    @Test
    void anUnreachableServerLeavesNothingBehind() throws Exception {
        Path dataDir = dir.resolve("agent");
        // a TLS trust anchor: issued by the real clock, the one TLS checks it against
        var ca = CertificateAuthority.generate("Acme CA", Clock.systemUTC()).certificate();

        assertThatThrownBy(() -> Enrollment.enroll(dataDir, Ports.closedHttpsPort(), ca, "token-123"))
                .isInstanceOf(ServerUnreachableException.class);

        assertThat(EnrolledDevice.load(dataDir)).isEmpty();
        if (Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                assertThat(files.filter(Files::isRegularFile)).isEmpty();
            }
        }
    }

    @Test
    void anEnrolledDeviceRefusesToEnrollAgainBeforeUsingTheTokenAndPointsToReplace() {
        Path dataDir = dir.resolve("agent");
        TestEnrollments.store(dataDir, URI.create("https://tracker.example"));
        var ca = CertificateAuthority.generate("Acme CA", Clock.systemUTC()).certificate();

        // the closed port would give ServerUnreachableException: getting EnrollmentException proves no call was made
        assertThatThrownBy(() -> Enrollment.enroll(dataDir, Ports.closedHttpsPort(), ca, "token-123"))
                .isInstanceOf(EnrollmentException.class)
                .hasMessageContaining("already enrolled")
                .hasMessageContaining("enroll --replace");
    }

    @Test
    void theDeviceKeyNeverAppearsInTheDescription() {
        EnrolledDevice device = TestEnrollments.store(dir.resolve("agent"), URI.create("https://tracker.example"));
        String pem = Pem.encodePrivateKey(device.deviceKey());
        String body = pem.lines().filter(line -> !line.startsWith("-----")).reduce("", String::concat);

        assertThat(device.toString()).contains("deviceKey=***").doesNotContain(body);
    }

    @Test
    void aDamagedEnrollmentIsReportedWithoutItsContents() throws Exception {
        Path dataDir = dir.resolve("agent");
        TestEnrollments.store(dataDir, URI.create("https://tracker.example"));
        Files.writeString(dataDir.resolve("device/device-key.pem"), "-----BEGIN PRIVATE KEY-----\nnot-a-key-secret\n");

        assertThatThrownBy(() -> EnrolledDevice.load(dataDir)).isInstanceOf(EnrollmentException.class)
                .hasMessageContaining("cannot be read")
                .hasMessageNotContaining("not-a-key-secret");
    }
}
