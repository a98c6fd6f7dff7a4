package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Span;
import com.xentracker.server.ServerFixture.EnrolledDevice;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.usage.ApplicationUsage;
import com.xentracker.server.usage.UsageQueries;
import com.xentracker.testing.https.Https;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UsageQueriesTest {

    /** The day after the data (2026-11-02). */
    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-11-03T12:00:00Z"));

    private static final Instant NINE = Instant.parse("2026-11-02T09:00:00Z");
    private static final Instant TEN = NINE.plus(Duration.ofHours(1));

    private static Instant at(String hhmm) {
        return Instant.parse("2026-11-02T" + hhmm + ":00Z");
    }

    private static Span active(String application, String from, String to) {
        return Span.of(at(from), at(to), Activity.active(application, "/usr/bin/" + application, Optional.empty()));
    }

    private void upload(EnrolledDevice device, Span... spans) {
        Https.Response response = server.upload(device, 0, List.of(spans));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private UsageQueries usage() {
        return server.server().services().usage();
    }

    /** The fixture's organizations are in Europe/Berlin: 2 November 2026 is 23:00Z on the 1st to 23:00Z. */
    private static final Instant BERLIN_DAY_START = Instant.parse("2026-11-01T23:00:00Z");
    private static final Instant BERLIN_DAY_END = Instant.parse("2026-11-02T23:00:00Z");

    @Test
    void activeTimeIsSummedPerApplicationOverTheOrganizationsLocalDay() {
        Organization organization = server.newOrganization();
        EnrolledDevice a = server.enroll(organization);
        EnrolledDevice b = server.enroll(organization);
        upload(a,
                active("editor", "08:30", "09:30"),                                  // 60 min
                active("browser", "09:30", "09:40"),                                 // 10 min
                Span.of(at("09:40"), at("09:50"), Activity.of(ActivityState.IDLE)),  // idle: not counted
                active("editor", "09:50", "10:30"));                                 // 40 min
        upload(b,
                active("editor", "09:00", "09:15"),                                  // 15 min
                active("browser", "10:00", "10:10"),                                 // 10 min
                active("browser", "22:30", "23:30"));                                // 30 min before Berlin midnight

        List<ApplicationUsage> usage = usage().byApplication(server.operator(organization.id()), BERLIN_DAY_START, BERLIN_DAY_END);

        assertThat(usage).containsExactly(
                new ApplicationUsage("editor", Duration.ofMinutes(115), 2),
                new ApplicationUsage("browser", Duration.ofMinutes(50), 2));
    }

    @Test
    void aSpanCrossingLocalMidnightCountsOnBothDays() {
        Organization organization = server.newOrganization();
        upload(server.enroll(organization), Span.of(Instant.parse("2026-11-02T22:00:00Z"),
                Instant.parse("2026-11-03T01:00:00Z"), Activity.active("terminal", "/usr/bin/xterm", Optional.empty())));

        assertThat(usage().byApplication(server.operator(organization.id()), BERLIN_DAY_START, BERLIN_DAY_END))
                .containsExactly(new ApplicationUsage("terminal", Duration.ofHours(1), 1));
        assertThat(usage().byApplication(server.operator(organization.id()), BERLIN_DAY_END, BERLIN_DAY_END.plus(Duration.ofDays(1))))
                .containsExactly(new ApplicationUsage("terminal", Duration.ofHours(2), 1));
    }

    @Test
    void utcMidnightsMeanTheSameCalendarDaysInTheOrganizationsZone() {
        Organization organization = server.newOrganization();
        upload(server.enroll(organization), active("terminal", "06:00", "18:00"));

        assertThat(usage().byApplication(server.operator(organization.id()), Instant.parse("2026-11-02T00:00:00Z"),
                Instant.parse("2026-11-03T00:00:00Z")))
                .containsExactly(new ApplicationUsage("terminal", Duration.ofHours(12), 1));
        assertThat(usage().byApplication(server.operator(organization.id()), Instant.parse("2026-11-03T00:00:00Z"),
                Instant.parse("2026-11-04T00:00:00Z"))).isEmpty();
    }

    @Test
    void anotherOrganizationsSpansAreNeverCounted() {
        Organization mine = server.newOrganization();
        Organization theirs = server.newOrganization();
        upload(server.enroll(theirs), active("secret-app", "09:00", "09:30"));

        assertThat(usage().byApplication(server.operator(mine.id()), NINE, TEN)).isEmpty();
        assertThat(usage().byApplication(server.operator(theirs.id()), NINE, TEN)).hasSize(1);
    }

    @Test
    void excludedPausedAndUnknownTimeIsNeverCountedAsUsage() {
        Organization organization = server.newOrganization();
        upload(server.enroll(organization),
                active("editor", "09:00", "09:10"),
                Span.of(at("09:10"), at("09:20"), Activity.of(ActivityState.EXCLUDED)),
                Span.of(at("09:20"), at("09:40"), Activity.of(ActivityState.PAUSED)),
                Span.of(at("09:40"), at("09:50"), Activity.of(ActivityState.UNKNOWN)));

        assertThat(usage().byApplication(server.operator(organization.id()), BERLIN_DAY_START, BERLIN_DAY_END))
                .containsExactly(new ApplicationUsage("editor", Duration.ofMinutes(10), 1));
    }

    @Test
    void aPeriodMustEndAfterItStarts() {
        Organization organization = server.newOrganization();

        assertThatThrownBy(() -> usage().byApplication(server.operator(organization.id()), TEN, NINE))
                .isInstanceOf(InvalidRequestException.class);
    }
}
