package com.xentracker.portal.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens derived from the session token: HMAC-SHA256 of the session token under a fixed, public
 * domain-separation key.
 *
 * <p>Why no secret, per-process key: sessions live in the database so that any server node (and a restarted node)
 * can serve any request; a per-process key would make every form rendered by one node fail on another, or after a
 * restart. A secret key would also add nothing here: computing the token requires the session token, which is a
 * 256-bit secret in an HttpOnly cookie, and whoever holds that needs no CSRF. The token reveals nothing about the
 * session token (HMAC is one-way), and it differs from the hash the server stores for the session.
 */
final class CsrfTokens {

    private static final byte[] DOMAIN = "xentracker portal csrf v1".getBytes(StandardCharsets.UTF_8);

    private CsrfTokens() {
    }

    static String forSession(String sessionToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(DOMAIN, "HmacSHA256"));
            byte[] tag = mac.doFinal(sessionToken.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is required of every Java platform.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
    static boolean matches(String expected, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
