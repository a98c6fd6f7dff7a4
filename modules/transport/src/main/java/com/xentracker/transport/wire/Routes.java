package com.xentracker.transport.wire;

import java.util.Objects;
import java.util.UUID;

/** The server's HTTP routes, shared by client and server. */
public final class Routes {

    /** POST, JSON {@link EnrollmentRequest} in, JSON {@link EnrollmentResponse} out. */
    public static final String ENROLL = "/api/v1/enroll";

    /** POST, a sealed batch ({@link #SEALED_BATCH_MEDIA_TYPE}) in, JSON {@link UploadReceipt} out. */
    public static final String BATCH = "/api/v1/devices/{device-id}/batches/{sequence}";

    /**
     * GET, JSON {@link OrganizationCertificate} out: the organization's current encryption certificate, for an
     * agent whose batch the server refused as sealed to an unknown key. Public data; the pinned TLS connection
     * authenticates the server that answers.
     */
    public static final String ORGANIZATION_CERTIFICATE = "/api/v1/devices/{device-id}/organization-certificate";

    /** POST, JSON {@link DeviceKeyRotation} in, JSON {@link OrganizationCertificate} out: replace the device's key. */
    public static final String DEVICE_KEY = "/api/v1/devices/{device-id}/key";

    /**
     * Request header of a batch upload: the device's clock (ISO-8601 instant) when it sent the request, so the
     * server can measure the clock skew per batch. Outside the sealed bytes, which must stay identical on retries.
     */
    public static final String DEVICE_TIME_HEADER = "X-Xentracker-Device-Time";

    /** The media type of a sealed batch: DER CMS (RFC 5751's S/MIME type; the body is CMS, not MIME). */
    public static final String SEALED_BATCH_MEDIA_TYPE = "application/pkcs7-mime";

    private Routes() {}

    /** {@link #DEVICE_KEY} with its parameter filled in. */
    public static String deviceKey(UUID deviceId) {
        return DEVICE_KEY.replace("{device-id}", Objects.requireNonNull(deviceId, "deviceId").toString());
    }

    /** {@link #ORGANIZATION_CERTIFICATE} with its parameter filled in. */
    public static String organizationCertificate(UUID deviceId) {
        return ORGANIZATION_CERTIFICATE.replace("{device-id}", Objects.requireNonNull(deviceId, "deviceId").toString());
    }

    /** {@link #BATCH} with its parameters filled in. */
    public static String batch(UUID deviceId, long sequence) {
        Objects.requireNonNull(deviceId, "deviceId");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative, got " + sequence);
        }
        return BATCH.replace("{device-id}", deviceId.toString()).replace("{sequence}", Long.toString(sequence));
    }
}
