package com.xentracker.transport.wire;

import java.util.Objects;

/**
 * Agent to server: "enroll this device with this one-time token". {@link #toString()} masks the token.
 *
 * @param token              the one-time enrollment token an administrator handed out
 * @param devicePublicKeyPem the device's Ed25519 public key as PEM; its batches must be signed with the private half
 * @param hostname           the device's host name
 * @param operatingSystem    e.g. {@code Debian GNU/Linux 12}
 * @param osUser             the operating-system account the agent runs for
 * @param agentVersion       the agent's version
 */
public record EnrollmentRequest(String token, String devicePublicKeyPem, String hostname, String operatingSystem,
        String osUser, String agentVersion) {

    public EnrollmentRequest {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(devicePublicKeyPem, "devicePublicKeyPem");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(operatingSystem, "operatingSystem");
        Objects.requireNonNull(osUser, "osUser");
        Objects.requireNonNull(agentVersion, "agentVersion");
    }

    /** Never prints the token: requests end up in logs and exception messages. */
    @Override
    public String toString() {
        return "EnrollmentRequest[token=***, hostname=" + hostname + ", operatingSystem=" + operatingSystem
                + ", osUser=" + osUser + ", agentVersion=" + agentVersion + "]";
    }
}
