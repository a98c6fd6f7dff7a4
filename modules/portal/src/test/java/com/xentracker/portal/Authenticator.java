package com.xentracker.portal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An authenticator app in tests: takes the secret as a person types it from the set-up page (base32, in groups) and
 * shows the 6-digit code for any instant. Written apart from the server's TOTP (plain RFC 4226 on the JDK's Mac), so
 * that a test passes only when both agree with the RFCs.
 */
record Authenticator(byte[] secret) {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    static Authenticator fromBase32(String typed) {
        String text = typed.replace(" ", "").toUpperCase(Locale.ROOT);
        ByteBuffer bytes = ByteBuffer.allocate(text.length() * 5 / 8);
        long buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            int value = ALPHABET.indexOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("not base32: " + c);
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                bytes.put((byte) (buffer >>> (bits - 8)));
                bits -= 8;
            }
        }
        return new Authenticator(bytes.array());
    }

    /** The code an app shows at {@code instant}. */
    String codeAt(Instant instant) {
        return codeFor(Math.floorDiv(instant.getEpochSecond(), 30));
    }

    String codeFor(long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
