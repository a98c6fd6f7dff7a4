package com.xentracker.portal.enrollment;

import com.xentracker.portal.page.Frame;
import java.util.Objects;

/**
 * Model of {@code enrollment-issued.jte}: a token just issued, shown this once, with the agent commands that use it.
 *
 * @param token          the token itself; the server keeps only its hash, so this page is the only place it appears
 * @param serverUrl      the server as this browser reached it, for the agent's {@code --server}
 * @param tokenVariable  the environment variable the {@code --token-env} command reads
 */
public record IssuedPage(Frame frame, String id, String name, String token, String expires, String expiresDatetime,
        String devices, String serverUrl, String tokenVariable) {

    public IssuedPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(serverUrl, "serverUrl");
    }

    /** Never shows the token (a model may end up in a log line or a debugger). */
    @Override
    public String toString() {
        return "IssuedPage[id=" + id + ", token=****]";
    }
}
