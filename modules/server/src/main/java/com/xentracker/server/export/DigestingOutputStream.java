package com.xentracker.server.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes bytes on and keeps their SHA-256 and count: the hash of exactly what was handed to the client, so that an
 * auditor can compare the file they received with the audit entry. Bytes count once they were accepted by the
 * stream below (a write that failed is not counted).
 */
final class DigestingOutputStream extends FilterOutputStream {

    private final MessageDigest digest;
    private long count;

    DigestingOutputStream(OutputStream out) {
        super(out);
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        digest.update(bytes, offset, length);
        count += length;
    }

    /** Does not close the stream below (a ZIP entry's stream must leave the ZIP open). */
    @Override
    public void close() throws IOException {
        flush();
    }

    long count() {
        return count;
    }

    /** The SHA-256 so far, lower-case hex (the digest goes on). */
    String sha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable in the JDK", e);
        }
    }
}
