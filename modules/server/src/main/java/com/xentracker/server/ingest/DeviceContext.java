package com.xentracker.server.ingest;

import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.transport.wire.Erasure;
import java.sql.Array;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * What storing a batch needs to know about its device and organization, read in one query before the batch is
 * opened (one round trip instead of one per fact): the enrolled key, whether it was revoked, its OS account's person
 * (if mapped yet), the organization's zone, certificate and policy. (Category rules are read by the storing
 * transaction, under the device's row lock: see {@link BatchStore}.)
 */
record DeviceContext(UUID organizationId, UUID id, String publicKeyPem, boolean revoked, String osUser,
        Optional<UUID> person, ZoneId zone, String certificatePem, Optional<String> policyJson, long policyVersion,
        List<Erasure> erasures) {

    /**
     * The device's context.
     *
     * @throws NoSuchDeviceException when no device has this id
     */
    static DeviceContext read(Jdbi jdbi, UUID deviceId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT d.organization_id, d.id, d.public_key_pem, d.revoked_at IS NOT NULL AS revoked,
                               d.os_user, u.person_id, o.time_zone, o.encryption_certificate_pem,
                               o.policy::text AS policy, o.policy_version,
                               (SELECT array_agg(e.id::text || ' ' || e.through_sequence ORDER BY e.requested_at)
                                FROM device_erasures e WHERE e.device_id = d.id AND e.organization_id = d.organization_id
                                  AND e.confirmed_at IS NULL) AS erasures
                        FROM devices d
                        JOIN organizations o ON o.id = d.organization_id
                        LEFT JOIN device_users u ON u.organization_id = d.organization_id AND u.device_id = d.id
                                                AND u.os_user = d.os_user
                        WHERE d.id = :id""")
                .bind("id", deviceId)
                .map((rs, ctx) -> new DeviceContext(rs.getObject("organization_id", UUID.class),
                        rs.getObject("id", UUID.class), rs.getString("public_key_pem"), rs.getBoolean("revoked"),
                        rs.getString("os_user"), Optional.ofNullable(rs.getObject("person_id", UUID.class)),
                        ZoneId.of(rs.getString("time_zone")), rs.getString("encryption_certificate_pem"),
                        Optional.ofNullable(rs.getString("policy")), rs.getLong("policy_version"),
                        erasures(rs.getArray("erasures"))))
                .findOne())
                .orElseThrow(() -> new NoSuchDeviceException(deviceId));
    }

    /** The pending erasures as the device lookup reads them: "id through-sequence" each. */
    private static List<Erasure> erasures(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<Erasure> erasures = new ArrayList<>();
        for (String each : (String[]) array.getArray()) {
            int space = each.indexOf(' ');
            erasures.add(new Erasure(UUID.fromString(each.substring(0, space)),
                    Long.parseLong(each.substring(space + 1))));
        }
        return List.copyOf(erasures);
    }
}
