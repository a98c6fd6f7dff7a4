package com.xentracker.portal.signin;

import com.xentracker.portal.page.Frame;
import java.time.Duration;

/** Model of {@code throttled.jte}: how long the address must wait before it may try to sign in again. */
public record ThrottledPage(Duration retryAfter) {

    public Frame frame() {
        return Frame.anonymous("Too many attempts");
    }

    /** "1 minute", "12 minutes", "30 seconds": rounded up, so that trying at the time shown works. */
    public String waitText() {
        long seconds = Math.max(1, retryAfter.toSeconds());
        if (seconds < 60) {
            return seconds + (seconds == 1 ? " second" : " seconds");
        }
        long minutes = (seconds + 59) / 60;
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
