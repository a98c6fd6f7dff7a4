package com.xentracker.portal.devices;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;

/**
 * Model of {@code devices.jte}.
 *
 * @param timeZone  the zone the exact times are shown in
 * @param canRevoke whether the revoke links are shown (the server decides when it is asked)
 * @param canDelete whether the delete links are shown
 */
public record DevicesPage(Frame frame, String timeZone, List<Row> rows, boolean canRevoke, boolean canDelete) {

    public DevicesPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(timeZone, "timeZone");
        rows = List.copyOf(rows);
    }

    /** Whether the rows have an actions column. */
    public boolean hasActions() {
        return canRevoke || canDelete;
    }

    /**
     * One device.
     *
     * @param id           the device's id, for the revoke and delete links
     * @param captureState the state's name for machines and tests, e.g. {@code WAYLAND_UNSUPPORTED}
     * @param captureText  the state in plain words, e.g. "Not recording: Wayland session — foreground tracking
     *                     unavailable"
     * @param captureTone  CSS class: {@code recording}, {@code neutral} or {@code not-recording}
     * @param captureDetail the agent's own explanation; may be empty
     * @param clockText    the device's clock against the server's: "in time", "4 min ahead", "—" when unknown
     * @param clockTone    CSS class: {@code neutral}, or {@code not-recording} when the clock is off by a minute or
     *                     more (its times in reports are shifted)
     */
    public record Row(String id, String hostname, String osUser, String operatingSystem, String agentVersion,
            String captureState, String captureText, String captureTone, String captureDetail, String policyVersion,
            String clockText, String clockTone, When enrolled, When lastSeen, boolean revoked) {
    }

    /**
     * A moment, for people ({@code text}: "3 min ago", "29 Nov 2026"), for machines ({@code datetime}: ISO 8601)
     * and exact for people on hover ({@code exact}: "2026-11-29 10:12:30 UTC").
     */
    public record When(String text, String datetime, String exact) {
    }
}
