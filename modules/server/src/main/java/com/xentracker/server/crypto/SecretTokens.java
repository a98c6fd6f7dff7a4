package com.xentracker.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer secrets (session and enrollment tokens): 256 random bits, URL-safe. Only their SHA-256 is stored, so a
 * database dump does not hand out working tokens. A plain hash (no salt, no stretching) is enough here because the
 * token has full entropy, unlike a password, and lookups must be by hash.
 */
public final class SecretTokens {

    /** A token is 43 characters; anything much longer is not ours and is not hashed. */
    public static final int MAX_LENGTH = 128;

    private final SecureRandom random;

    private SecretTokens(SecureRandom random) {
        this.random = random;
    }

    public static SecretTokens create(SecureRandom random) {
        return new SecretTokens(random);
    }

    /** 32 random bytes, base64url without padding. */
    public String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 of the token's UTF-8 bytes, as stored. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
