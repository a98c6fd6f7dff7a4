package com.xentracker.portal.exports;

import com.xentracker.portal.page.Frame;
import java.util.Objects;

/**
 * Model of {@code export-token.jte}: a token just created, shown this once.
 *
 * @param token the token itself; the server keeps only its hash, so this page is the only place it appears
 * @param curl  the example command with the token's variable
 */
public record TokenCreatedPage(Frame frame, String id, String name, String token, String expires,
        String expiresDatetime, String curl) {

    public TokenCreatedPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(token, "token");
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "TokenCreatedPage[id=" + id + ", token=****]";
    }
}
