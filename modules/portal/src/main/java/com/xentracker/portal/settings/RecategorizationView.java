package com.xentracker.portal.settings;

import com.xentracker.portal.page.Frame;
import com.xentracker.server.organization.Recategorization;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The background re-categorisation as the categories page and its progress page show it (the latter is also the
 * model of {@code settings-recategorization.jte}, with a frame that loads the page again while work is pending).
 *
 * @param pending whether the job still has work to do (the progress page then refreshes itself)
 * @param percent 0 to 100, for the {@code <progress>} element
 */
public record RecategorizationView(String state, String message, boolean pending, int percent, int devicesDone,
        int devicesTotal) {

    public RecategorizationView {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
    }

    static RecategorizationView of(Recategorization progress, ZoneId zone) {
        String message = progress.recount() && progress.pending() ? switch (progress.state()) {
            case QUEUED -> "Waiting to start: the background job recounts the recorded days in the new time zone"
                    + progress.requestedAt().map(at -> " (requested " + SettingsText.time(at, zone) + ")").orElse("")
                    + " within about a minute. New uploads count in the new zone already.";
            default -> "Recounting the recorded days in the new time zone: " + progress.devicesDone() + " of "
                    + progress.devicesTotal() + " devices done. Until it is done, reports show days of devices not"
                    + " yet recounted as the old zone counted them.";
        } : switch (progress.state()) {
            case NEVER_REQUESTED -> "The rules have not changed since the data was recorded: every figure uses them.";
            case QUEUED -> "Waiting to start: the background job picks up a change within about a minute"
                    + progress.requestedAt().map(at -> " (requested " + SettingsText.time(at, zone) + ")").orElse("")
                    + ". New uploads use the new rules already.";
            case RUNNING -> "Re-categorising the recorded data: " + progress.devicesDone() + " of "
                    + progress.devicesTotal() + " devices done. Reports show old and new categories side by side"
                    + " until it is done.";
            case DONE -> "Done" + progress.finishedAt().map(at -> " " + SettingsText.time(at, zone)).orElse("")
                    + ": all recorded data is categorised by the current rules.";
        };
        String state = switch (progress.state()) {
            case NEVER_REQUESTED, DONE -> "Up to date";
            case QUEUED -> "Queued";
            case RUNNING -> "Running";
        };
        return new RecategorizationView(state, message, progress.pending(), progress.percent(),
                progress.devicesDone(), progress.devicesTotal());
    }

    /** The progress page's model. */
    public record Page(Frame frame, RecategorizationView status) {

        public SettingsTab tab() {
            return SettingsTab.CATEGORIES;
        }
    }
}
