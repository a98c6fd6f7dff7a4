package com.xentracker.portal.devices;

import com.xentracker.portal.page.Frame;
import java.util.List;
import java.util.Objects;

/**
 * Model of {@code devices.jte}.
 *
 * @param timeZone  the zone the exact times are shown in (the organization's)
 * @param silentAfter when a device is flagged silent, e.g. "no contact for more than 24 h"
 * @param canRevoke whether the revoke links are shown (the server decides when it is asked)
 * @param canDelete whether the delete links are shown
 */
public record DevicesPage(Frame frame, String timeZone, String silentAfter, List<Row> rows, boolean canRevoke,
        boolean canDelete) {

    public DevicesPage {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(silentAfter, "silentAfter");
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
     * @param silent       whether nothing was heard of the device for the organization's silent-after hours
     * @param unsentSpans  the reported number of spans waiting on the device, for machines; empty when not reported
     * @param backlogText  "Caught up", "2,400 spans waiting", "Not reported"
     * @param backlogDetail "the oldest from 28 Nov 14:05 (20 h ago)", or empty
     * @param backlogTone  CSS class: {@code recording} (caught up), {@code neutral}, {@code not-recording} (old)
     * @param lossesText   "None", or the gaps and missing batches: "1 gap, 45 min; 5 batches missing"
     * @param lossesDetail "the latest gap until 28 Nov 14:05; in 2 holes of the batch sequence", or empty
     * @param lost         whether anything is known to be lost
     */
    public record Row(String id, String hostname, String osUser, String operatingSystem, String agentVersion,
            String captureState, String captureText, String captureTone, String captureDetail, String policyVersion,
            String clockText, String clockTone, When enrolled, When lastSeen, boolean revoked, boolean silent,
            String unsentSpans, String backlogText, String backlogDetail, String backlogTone, String lossesText,
            String lossesDetail, boolean lost) {
    }

    /**
     * A moment, for people ({@code text}: "3 min ago", "29 Nov 2026"), for machines ({@code datetime}: ISO 8601)
     * and exact for people on hover ({@code exact}: "2026-11-29 11:12:30 CET", in the organization's zone).
     */
    public record When(String text, String datetime, String exact) {
    }
}
