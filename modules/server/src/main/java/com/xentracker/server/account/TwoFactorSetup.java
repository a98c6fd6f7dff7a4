package com.xentracker.server.account;

import java.util.Objects;

/**
 * A pending two-factor set-up, shown once to the account that began it: what its authenticator app needs. Nothing
 * changes at sign-in until the account confirms it with a code ({@link OwnAccount#confirmTwoFactor}); beginning again
 * replaces the pending secret.
 *
 * @param secret     the TOTP secret in base32, in groups of four, for typing into an app by hand
 * @param otpauthUri the {@code otpauth://totp/...} URI the QR code encodes (issuer Xentracker, the organization's
 *                   name and the account's e-mail address as label, SHA-1, 6 digits, 30 s)
 * @param qrCodeSvg  the QR code of {@code otpauthUri} as SVG markup (attributes only, no style or script), for
 *                   inlining in a page
 */
public record TwoFactorSetup(String secret, String otpauthUri, String qrCodeSvg) {

    public TwoFactorSetup {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(otpauthUri, "otpauthUri");
        Objects.requireNonNull(qrCodeSvg, "qrCodeSvg");
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "TwoFactorSetup[secret hidden]";
    }
}
