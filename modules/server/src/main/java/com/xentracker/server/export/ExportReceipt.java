package com.xentracker.server.export;

import java.util.Objects;

/**
 * What an export sent, as its audit entry records it.
 *
 * @param rows     data rows written (the header not counted)
 * @param bytes    bytes written to the client
 * @param sha256   the SHA-256 (lower-case hex) of exactly those bytes
 * @param complete false when the client broke the download off: then rows, bytes and hash say how far it got
 */
public record ExportReceipt(String fileName, long rows, long bytes, String sha256, boolean complete) {

    public ExportReceipt {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(sha256, "sha256");
    }
}
