package com.xentracker.portal.account;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Model of {@code account.jte}: the signed-in account's own page.
 *
 * @param twoFactor         {@code OFF}, {@code PENDING} (set-up begun, not confirmed) or {@code ON}
 * @param setup             while a set-up is pending: what the authenticator app needs
 * @param newRecoveryCodes  recovery codes just made, shown this once; empty otherwise
 * @param notice            what the last change did, e.g. "Your password was changed."
 */
public record AccountPage(Frame frame, String csrfToken, String email, String role, String twoFactor,
        boolean twoFactorRequired, int recoveryCodesLeft, Optional<Setup> setup, List<String> newRecoveryCodes,
        Optional<String> notice, Optional<String> passwordError, Optional<String> twoFactorError,
        List<SignInRow> signIns) {

    public AccountPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(passwordError, "passwordError");
        Objects.requireNonNull(twoFactorError, "twoFactorError");
        newRecoveryCodes = List.copyOf(newRecoveryCodes);
        signIns = List.copyOf(signIns);
    }

    public boolean twoFactorOn() {
        return "ON".equals(twoFactor);
    }

    /**
     * A pending set-up.
     *
     * @param secret    base32 in groups of four, to type into the app by hand
     * @param qrCodeSvg the server's SVG markup of the otpauth URI (no script, no style), inlined as it is
     */
    public record Setup(String secret, String qrCodeSvg) {
    }

    /**
     * One sign-in attempt.
     *
     * @param datetime ISO 8601 in UTC, for {@code <time datetime>}
     * @param tone     CSS class: {@code ok} or {@code failed}
     */
    public record SignInRow(String when, String datetime, String address, String outcome, String tone) {
    }
}
