package com.xentracker.server.account;

import com.xentracker.server.crypto.MasterKey;
import com.xentracker.server.crypto.SecretTokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The second factor of sign-in: TOTP secrets (made here, stored sealed under the master key and bound to their account,
 * like organization keys: a database dump alone does not reveal them) and recovery codes (stored as SHA-256), and
 * checking a presented code against either, once.
 */
final class SecondFactors {

    static final String ISSUER = "Xentracker";
    /**
     * 80 random bits: hopeless to guess within the sign-in locks, and too many to find from the stored SHA-256 by
     * trying every code, which is why a plain hash suffices (a password needs Argon2id).
     */
    private static final int RECOVERY_CODE_BYTES = 10;
    private static final Pattern RECOVERY_CODE = Pattern.compile("[a-z2-7]{16}");
    /** Longer input than this is neither a code nor a recovery code (with spaces and hyphens). */
    private static final int MAX_INPUT = 64;

    private final MasterKey masterKey;
    private final SecureRandom random;
    private final Totp totp;
    private final Clock clock;

    SecondFactors(MasterKey masterKey, SecureRandom random, Clock clock) {
        this.masterKey = masterKey;
        this.random = random;
        this.totp = Totp.standard();
        this.clock = clock;
    }

    /** What a presented second factor was. */
    enum Proof {
        AUTHENTICATOR_CODE,
        RECOVERY_CODE
    }

    /** An account's TOTP state as stored, read with the account row locked. */
    record Enrolled(UUID organizationId, UUID accountId, byte[] sealedSecret, OptionalLong lastStep) {
    }

    /** A new secret of 20 random bytes, and how it is stored. */
    record NewSecret(byte[] secret, byte[] sealed) {
    }

    NewSecret newSecret(UUID accountId) {
        byte[] secret = new byte[Totp.SECRET_BYTES];
        random.nextBytes(secret);
        return new NewSecret(secret, masterKey.seal(secret, context(accountId)));
    }

    /** What an authenticator app needs for {@code secret}. */
    TwoFactorSetup setup(byte[] secret, String organizationName, String email) {
        String base32 = Base32.encode(secret);
        // Key URI format of authenticator apps: label "issuer:account", issuer repeated as a parameter
        String label = encode(ISSUER) + ":" + encode(organizationName + " (" + email + ")");
        String uri = "otpauth://totp/" + label + "?secret=" + base32 + "&issuer=" + encode(ISSUER)
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP.getSeconds();
        return new TwoFactorSetup(String.join(" ", base32.split("(?<=\\G.{4})")), uri,
                QrSvg.of(uri, "QR code for your authenticator app"));
    }

    /** What the app needs for a secret stored as pending (shown again until the set-up is confirmed). */
    TwoFactorSetup pendingSetup(byte[] sealedSecret, UUID accountId, String organizationName, String email) {
        byte[] secret = masterKey.open(sealedSecret, context(accountId));
        try {
            return setup(secret, organizationName, email);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Checks {@code presented} (a code from the app, or a recovery code) for the account and uses it up: a code's step
     * becomes the last used, a recovery code is deleted. Call with the account row locked ({@code FOR UPDATE}), in the
     * transaction that acts on the result.
     */
    Optional<Proof> verify(Handle handle, Enrolled account, String presented) {
        if (presented == null || presented.length() > MAX_INPUT) {
            return Optional.empty();
        }
        if (Totp.looksLikeCode(presented)) {
            byte[] secret = masterKey.open(account.sealedSecret(), context(account.accountId()));
            try {
                OptionalLong step = totp.match(secret, presented, clock.instant(), account.lastStep());
                if (step.isEmpty()) {
                    return Optional.empty();
                }
                // the condition makes it hold even for a caller that did not lock the row: a code is used once
                int updated = handle.createUpdate("""
                                UPDATE accounts SET totp_last_step = :step
                                WHERE organization_id = :organization AND id = :account
                                  AND (totp_last_step IS NULL OR totp_last_step < :step)""")
                        .bind("step", step.getAsLong())
                        .bind("organization", account.organizationId())
                        .bind("account", account.accountId())
                        .execute();
                return updated == 1 ? Optional.of(Proof.AUTHENTICATOR_CODE) : Optional.empty();
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
        Optional<String> canonical = canonicalRecoveryCode(presented);
        if (canonical.isEmpty()) {
            return Optional.empty();
        }
        int deleted = handle.createUpdate("""
                        DELETE FROM recovery_codes
                        WHERE organization_id = :organization AND account_id = :account AND code_hash = :hash""")
                .bind("organization", account.organizationId())
                .bind("account", account.accountId())
                .bind("hash", SecretTokens.hash(canonical.get()))
                .execute();
        return deleted == 1 ? Optional.of(Proof.RECOVERY_CODE) : Optional.empty();
    }

    /** Checks a code from the app against a secret not stored yet as enabled (confirming a set-up); the step. */
    OptionalLong verifyPending(byte[] sealedSecret, UUID accountId, String presented) {
        if (presented == null || presented.length() > MAX_INPUT) {
            return OptionalLong.empty();
        }
        byte[] secret = masterKey.open(sealedSecret, context(accountId));
        try {
            return totp.match(secret, presented, clock.instant(), OptionalLong.empty());
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Deletes the account's recovery codes and stores ten new ones; the codes, to be shown once. */
    RecoveryCodes replaceRecoveryCodes(Handle handle, UUID organizationId, UUID accountId) {
        handle.createUpdate("DELETE FROM recovery_codes WHERE organization_id = :organization AND account_id = :account")
                .bind("organization", organizationId)
                .bind("account", accountId)
                .execute();
        Instant now = clock.instant();
        List<String> codes = new ArrayList<>(RecoveryCodes.COUNT);
        while (codes.size() < RecoveryCodes.COUNT) {
            byte[] bytes = new byte[RECOVERY_CODE_BYTES];
            random.nextBytes(bytes);
            String canonical = Base32.encode(bytes).toLowerCase(Locale.ROOT);
            if (codes.stream().anyMatch(code -> canonicalRecoveryCode(code).orElseThrow().equals(canonical))) {
                continue; // 2^-80: never, but the primary key would say so less politely
            }
            handle.createUpdate("""
                            INSERT INTO recovery_codes (organization_id, account_id, code_hash, created_at)
                            VALUES (:organization, :account, :hash, :now)""")
                    .bind("organization", organizationId)
                    .bind("account", accountId)
                    .bind("hash", SecretTokens.hash(canonical))
                    .bind("now", now)
                    .execute();
            codes.add(grouped(canonical));
        }
        return new RecoveryCodes(codes);
    }

    /** Deletes the account's recovery codes (two-factor sign-in turned off). */
    static void deleteRecoveryCodes(Handle handle, UUID organizationId, UUID accountId) {
        handle.createUpdate("DELETE FROM recovery_codes WHERE organization_id = :organization AND account_id = :account")
                .bind("organization", organizationId)
                .bind("account", accountId)
                .execute();
    }

    /**
     * A recovery code as stored (hashed): lower case, without hyphens and spaces. The alphabet has no 0 and 1, so a
     * 0 typed for an o and a 1 for an l are read as meant (RFC 4648 section 6 suggests this).
     */
    static Optional<String> canonicalRecoveryCode(String presented) {
        String canonical = presented.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT).replace('0', 'o')
                .replace('1', 'l');
        return RECOVERY_CODE.matcher(canonical).matches() ? Optional.of(canonical) : Optional.empty();
    }

    /** {@code xxxxx-xxxxx-xxxxx-x}: groups of five are easier to copy. */
    private static String grouped(String canonical) {
        return String.join("-", canonical.split("(?<=\\G.{5})"));
    }

    private static String context(UUID accountId) {
        return "xentracker account totp secret " + accountId;
    }

    private static String encode(String text) {
        // a label is a path segment: a space is %20 there, not URLEncoder's '+'
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
