package com.xentracker.server.device;

import com.xentracker.server.access.Guard;
import com.xentracker.server.crypto.SecretTokens;
import com.xentracker.server.organization.Policies;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The device concept as the server wires it: the directory and enrollment tokens for accounts, and enrollment and key
 * rotation for agents. Made once by the server; front ends get the interfaces only.
 */
public final class DeviceServices {

    private final DatabaseDevices devices;
    private final DatabaseEnrollmentTokens tokens;
    private final DeviceEnrollment enrollment;

    private DeviceServices(Jdbi jdbi, Guard guard, SecretTokens tokens, Policies policies, Clock clock) {
        this.devices = new DatabaseDevices(guard, clock);
        this.tokens = new DatabaseEnrollmentTokens(guard, tokens, clock);
        this.enrollment = DeviceEnrollment.create(jdbi, guard, policies, clock);
    }

    public static DeviceServices create(Jdbi jdbi, Guard guard, SecretTokens tokens, Policies policies, Clock clock) {
        return new DeviceServices(jdbi, guard, tokens, policies, clock);
    }

    public Devices devices() {
        return devices;
    }

    public EnrollmentTokens enrollmentTokens() {
        return tokens;
    }

    /** What agents call over the API: enrollment and device key rotation. */
    public DeviceEnrollment enrollment() {
        return enrollment;
    }
}
