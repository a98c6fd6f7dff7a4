package com.xentracker.server.ingest;

import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.rollup.CategoryRules;
import java.sql.Array;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * What storing a batch needs to know about its device and organization, read in one query before the batch is
 * opened (one round trip instead of one per fact): the enrolled key, whether it was revoked, its OS account's person
 * (if mapped yet), the organization's zone, certificate, policy and category rules.
 */
record DeviceContext(UUID organizationId, UUID id, String publicKeyPem, boolean revoked, String osUser,
        Optional<UUID> person, ZoneId zone, String certificatePem, Optional<String> policyJson, long policyVersion,
        CategoryRules categoryRules) {

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
                               rules.kinds, rules.patterns, rules.categories
                        FROM devices d
                        JOIN organizations o ON o.id = d.organization_id
                        LEFT JOIN device_users u ON u.organization_id = d.organization_id AND u.device_id = d.id
                                                AND u.os_user = d.os_user
                        CROSS JOIN LATERAL (
                            SELECT array_agg(r.kind ORDER BY r.kind, r.pattern) AS kinds,
                                   array_agg(r.pattern ORDER BY r.kind, r.pattern) AS patterns,
                                   array_agg(c.name ORDER BY r.kind, r.pattern) AS categories
                            FROM category_rules r
                            JOIN categories c ON c.organization_id = r.organization_id AND c.id = r.category_id
                            WHERE r.organization_id = d.organization_id) AS rules
                        WHERE d.id = :id""")
                .bind("id", deviceId)
                .map((rs, ctx) -> new DeviceContext(rs.getObject("organization_id", UUID.class),
                        rs.getObject("id", UUID.class), rs.getString("public_key_pem"), rs.getBoolean("revoked"),
                        rs.getString("os_user"), Optional.ofNullable(rs.getObject("person_id", UUID.class)),
                        ZoneId.of(rs.getString("time_zone")), rs.getString("encryption_certificate_pem"),
                        Optional.ofNullable(rs.getString("policy")), rs.getLong("policy_version"),
                        CategoryRules.of(strings(rs.getArray("kinds")), strings(rs.getArray("patterns")),
                                strings(rs.getArray("categories")))))
                .findOne())
                .orElseThrow(() -> new NoSuchDeviceException(deviceId));
    }

    private static Optional<String[]> strings(Array array) throws SQLException {
        return array == null ? Optional.empty() : Optional.of((String[]) array.getArray());
    }
}
