package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.core.activity.Activity;
import com.xentracker.core.activity.ActivityState;
import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.GapReason;
import com.xentracker.core.activity.Span;
import com.xentracker.core.activity.WebPage;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.DeviceAccount;
import com.xentracker.server.people.Group;
import com.xentracker.server.people.Person;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A person's page against the real server: the day timeline at the organization's local times in a zone far from UTC
 * (Pacific/Auckland, UTC+12/+13), across both daylight-saving changes (days of 23 and 25 hours); idle, locked,
 * private time and recorded gaps drawn as what they are; the period's totals; and renaming, merging and deleting
 * people through the portal.
 */
class PersonPageTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    /** 02:00 NZST → 03:00 NZDT: 23 hours. */
    private static final LocalDate SPRING = LocalDate.parse("2026-09-27");
    /** 03:00 NZDT → 02:00 NZST: 25 hours. */
    private static final LocalDate AUTUMN = LocalDate.parse("2026-04-05");
    /** The test clock's day in Auckland (2026-11-29T10:15:30Z is 23:15 NZDT). */
    private static final LocalDate TODAY = LocalDate.parse("2026-11-29");
    /** The timeline's plot: from x = 132 to x = 948 of its 960-unit viewBox. */
    private static final double PLOT_START = 132;
    private static final double PLOT_WIDTH = 816;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Portal portal = server.portal();

    private static Instant local(LocalDate day, String hhmm) {
        return day.atTime(LocalTime.parse(hhmm)).atZone(AUCKLAND).toInstant();
    }

    private static Instant local(LocalDate day, String hhmm, String offset) {
        return day.atTime(LocalTime.parse(hhmm)).atOffset(java.time.ZoneOffset.of(offset)).toInstant();
    }

    private static Span active(String application, Instant from, Duration length) {
        return Span.of(from, from.plus(length), Activity.active(application, "/usr/bin/" + application,
                Optional.empty()));
    }

    private static Organization auckland() {
        return server.server().administration().createOrganization("Auckland " + COUNTER.incrementAndGet(),
                AUCKLAND);
    }

    private String signIn(Organization organization, Role role) {
        return portal.signIn(server.account(organization, role).email(), PASSWORD);
    }

    /** The person ingest made for the device's OS user. */
    private static Person personOf(Organization organization, TestAgent device) {
        var directory = server.services().people().directory(server.operator(organization));
        UUID id = directory.accounts().stream().filter(account -> account.deviceId().equals(device.id()))
                .findFirst().flatMap(DeviceAccount::person).orElseThrow();
        return directory.people().stream().filter(person -> person.id().equals(id)).findFirst().orElseThrow();
    }

    /** The x of the segment of the timeline that starts at {@code localStart}, as drawn. */
    private static double xOf(String body, String localStart) {
        Matcher segment = Pattern.compile("data-start=\"" + Pattern.quote(localStart) + "\" x=\"([0-9.]+)\"")
                .matcher(body);
        assertThat(segment.find()).as("a segment starting at %s", localStart).isTrue();
        return Double.parseDouble(segment.group(1));
    }

    private static double expectedX(Duration sinceMidnight, Duration dayLength) {
        return PLOT_START + PLOT_WIDTH * sinceMidnight.toMillis() / dayLength.toMillis();
    }

    @Test
    void theTimelineShowsAFarZonesLocalTimesOnAnOrdinaryDay() {
        Organization organization = auckland();
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "aroha", List.of(
                active("editor", local(TODAY, "09:00"), Duration.ofHours(1)),
                active("mail", local(TODAY, "13:30"), Duration.ofMinutes(15))));
        Person aroha = personOf(organization, laptop);

        HttpResponse<String> response = portal.get("/people/person?id=" + aroha.id(), signIn(organization,
                Role.AUDITOR));

        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(body).contains("<h2 id=\"day-heading\">Sunday 29 November 2026</h2>")
                .contains("From midnight to midnight in Pacific/Auckland.")
                .contains("<text class=\"tl-lane-label\" x=\"0\"")
                .contains(">kiwi-laptop</text>")
                .contains("<td class=\"time\">09:00:00</td>")
                .doesNotContain("<script", "style=\"");
        assertThat(xOf(body, "09:00:00")).isCloseTo(expectedX(Duration.ofHours(9), Duration.ofHours(24)),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(xOf(body, "13:30:00")).isCloseTo(expectedX(Duration.ofMinutes(13 * 60 + 30), Duration.ofHours(24)),
                org.assertj.core.data.Offset.offset(0.01));
        // UTC would have put 09:00 NZDT at 20:00 of the day before
        assertThat(body).doesNotContain("data-start=\"20:00:00\"");
    }

    @Test
    void theDayDaylightSavingTimeBeginsHas23HoursAndSpansAfterTheChangeSitAnHourOfTimeLater() {
        Organization organization = auckland();
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "mere", List.of(
                active("editor", local(SPRING, "01:30"), Duration.ofMinutes(15)),
                active("editor", local(SPRING, "03:30"), Duration.ofMinutes(15))));
        Person mere = personOf(organization, laptop);

        String body = portal.get("/people/person?id=" + mere.id() + "&day=" + SPRING, signIn(organization,
                Role.ADMIN)).body();

        assertThat(body).contains("23-hour day: daylight saving time begins")
                .contains("<td class=\"time\">01:30:00 +12:00</td>")
                .contains("<td class=\"time\">03:30:00 +13:00</td>");
        // 01:30 NZST is 1.5 h after midnight, 03:30 NZDT only 2.5 h: the skipped hour takes no room
        assertThat(xOf(body, "01:30:00 +12:00")).isCloseTo(expectedX(Duration.ofMinutes(90), Duration.ofHours(23)),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(xOf(body, "03:30:00 +13:00")).isCloseTo(expectedX(Duration.ofMinutes(150), Duration.ofHours(23)),
                org.assertj.core.data.Offset.offset(0.01));
        // the hour labels: 01 then 03, no 02
        assertThat(body).contains(">01</text>").contains(">03</text>").doesNotContain(">02</text>");
    }

    @Test
    void theDayDaylightSavingTimeEndsHas25HoursAndBothHalfPastTwosAreDrawn() {
        Organization organization = auckland();
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "tane", List.of(
                active("editor", local(AUTUMN, "02:30", "+13:00"), Duration.ofMinutes(10)),
                active("mail", local(AUTUMN, "02:30", "+12:00"), Duration.ofMinutes(10))));
        Person tane = personOf(organization, laptop);

        String body = portal.get("/people/person?id=" + tane.id() + "&day=" + AUTUMN, signIn(organization,
                Role.OWNER)).body();

        assertThat(body).contains("25-hour day: daylight saving time ends");
        assertThat(xOf(body, "02:30:00 +13:00")).isCloseTo(expectedX(Duration.ofMinutes(150), Duration.ofHours(25)),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(xOf(body, "02:30:00 +12:00")).isCloseTo(expectedX(Duration.ofMinutes(210), Duration.ofHours(25)),
                org.assertj.core.data.Offset.offset(0.01));
        Matcher twos = Pattern.compile(">02</text>").matcher(body);
        assertThat(twos.results().count()).as("the repeated hour is labelled twice").isEqualTo(2);
    }

    @Test
    void idleLockedPrivateTimeAndRecordedGapsAreDrawnAsWhatTheyAre() {
        Organization organization = auckland();
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "hemi", List.of());
        Instant nine = local(TODAY, "09:00");
        laptop.upload(List.of(
                active("editor", nine, Duration.ofMinutes(30)),
                Span.of(nine.plusSeconds(1800), nine.plusSeconds(2400), Activity.of(ActivityState.IDLE)),
                Span.of(nine.plusSeconds(2400), nine.plusSeconds(3000), Activity.of(ActivityState.LOCKED)),
                Span.of(nine.plusSeconds(3000), nine.plusSeconds(3600), Activity.of(ActivityState.PAUSED)),
                Span.of(nine.plusSeconds(3600), nine.plusSeconds(4200), Activity.of(ActivityState.EXCLUDED))),
                List.of(Gap.of(local(TODAY, "11:00"), local(TODAY, "12:00"), GapReason.BUFFER_FULL)),
                Optional.empty(), Optional.empty());
        Person hemi = personOf(organization, laptop);

        String body = portal.get("/people/person?id=" + hemi.id(), signIn(organization, Role.ADMIN)).body();

        assertThat(body)
                .contains("class=\"tl-segment tl-uncategorised\" data-kind=\"UNCATEGORISED\" data-start=\"09:00:00\"")
                .contains("class=\"tl-segment tl-idle\" data-kind=\"IDLE\" data-start=\"09:30:00\"")
                .contains("class=\"tl-segment tl-locked\" data-kind=\"LOCKED\" data-start=\"09:40:00\"")
                .contains("class=\"tl-segment tl-private\" data-kind=\"PRIVATE\" data-start=\"09:50:00\"")
                .contains("class=\"tl-segment tl-private\" data-kind=\"PRIVATE\" data-start=\"10:00:00\"")
                .contains("class=\"tl-segment tl-gap\" data-kind=\"GAP\" data-start=\"11:00:00\"")
                .contains("<td>private time</td>")
                .contains("buffer was full and dropped this time</td>");
        // private time says when, never what
        assertThat(body).contains("09:50:00–10:00:00 · Private · private time</title>");
    }

    @Test
    void titlesAndAddressesAppearOnlyWhereTheyWereCollected() {
        Organization organization = auckland();
        Instant ten = local(TODAY, "10:00");
        TestAgent withTitles = server.deviceWith(organization, "kiwi-desk", "wiremu", List.of(Span.of(ten,
                ten.plusSeconds(600), new Activity(ActivityState.ACTIVE, "chromium", "/usr/bin/chromium",
                        Optional.of("Quarterly plan"), Optional.of(WebPage.of("docs.example.org",
                        "https://docs.example.org/plan"))))));
        TestAgent without = server.deviceWith(organization, "kiwi-kiosk", "ana", List.of(Span.of(ten,
                ten.plusSeconds(600), Activity.active("chromium", "/usr/bin/chromium", Optional.empty())
                        .withPage(WebPage.ofDomain("docs.example.org")))));
        String session = signIn(organization, Role.ADMIN);

        String collected = portal.get("/people/person?id=" + personOf(organization, withTitles).id(), session).body();
        String plain = portal.get("/people/person?id=" + personOf(organization, without).id(), session).body();

        assertThat(collected).contains("<td class=\"title\">Quarterly plan</td>")
                .contains("<td class=\"url\">https://docs.example.org/plan</td>")
                .contains("<td class=\"name\">docs.example.org</td>");
        assertThat(plain).doesNotContain("Window title</th>", "Address</th>", "Quarterly plan")
                .contains("No window titles: the collection policy did not collect them")
                .contains("<td class=\"name\">docs.example.org</td>");
    }

    @Test
    void theDayNavigatesToThePreviousAndNextDayButNotPastToday() {
        Organization organization = auckland();
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "rangi", List.of(
                active("editor", local(TODAY.minusDays(1), "09:00"), Duration.ofHours(2))));
        Person rangi = personOf(organization, laptop);
        String session = signIn(organization, Role.AUDITOR);

        String today = portal.get("/people/person?id=" + rangi.id(), session).body();
        String yesterday = portal.get("/people/person?id=" + rangi.id() + "&day=" + TODAY.minusDays(1)
                + "&period=30", session).body();

        assertThat(today).contains("href=\"/people/person?id=" + rangi.id() + "&amp;day=2026-11-28\" rel=\"prev\"")
                .doesNotContain("rel=\"next\"")
                .contains("Nothing was recorded on this day.")
                .contains("<strong class=\"period-active\">2 h 00 min</strong>");
        assertThat(yesterday).contains("<h2 id=\"day-heading\">Saturday 28 November 2026</h2>")
                .contains("href=\"/people/person?id=" + rangi.id() + "&amp;day=2026-11-29&amp;period=30\" rel=\"next\"")
                .contains("30 Oct – 28 Nov 2026 (30 days)")
                .contains("<a href=\"/people/person?id=" + rangi.id() + "&amp;day=2026-11-28&amp;period=30\""
                        + " aria-current=\"page\">30 days</a>")
                .contains("<td class=\"name\">editor</td>");
        assertThat(portal.get("/people/person?id=" + rangi.id() + "&day=yesterday", session).statusCode())
                .isEqualTo(400);
        assertThat(portal.get("/people/person?id=" + rangi.id() + "&period=12", session).statusCode())
                .isEqualTo(400);
    }

    @Test
    void everyViewOfAPersonsPageIsAuditedByTheServerWithThatPersonAsSubject() {
        Organization organization = auckland();
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "nikau", List.of(
                active("editor", local(TODAY, "09:00"), Duration.ofHours(1))));
        Person nikau = personOf(organization, laptop);
        String session = signIn(organization, Role.AUDITOR);

        portal.get("/people/person?id=" + nikau.id(), session);
        portal.get("/people/person?id=" + nikau.id() + "&day=" + TODAY.minusDays(3), session);

        List<AuditEntry> views = server.audit(organization, "view-person");
        assertThat(views).hasSize(2).allSatisfy(entry -> {
            assertThat(entry.subject().person()).contains(nikau.id());
            assertThat(entry.subject().text()).doesNotContain("nikau", "editor");
        });
    }

    @Test
    void aViewerSeesThePeopleOfItsDetailGroupAndNobodyElse() {
        Organization organization = auckland();
        var operator = server.operator(organization);
        TestAgent inside = server.deviceWith(organization, "inside-host", "inside", List.of(
                active("editor", local(TODAY, "09:00"), Duration.ofHours(1))));
        TestAgent outside = server.deviceWith(organization, "outside-host", "outside", List.of(
                active("editor", local(TODAY, "09:00"), Duration.ofHours(1))));
        Group team = server.services().groups().create(operator, "Team");
        server.services().groups().addMember(operator, team.id(), personOf(organization, inside).id());
        var viewer = server.account(organization, Role.VIEWER);
        server.services().groups().grantViewer(operator, team.id(), viewer.id(), true);
        String session = portal.signIn(viewer.email(), PASSWORD);

        HttpResponse<String> own = portal.get("/people/person?id=" + personOf(organization, inside).id(), session);
        HttpResponse<String> other = portal.get("/people/person?id=" + personOf(organization, outside).id(), session);
        String list = portal.get("/people", session).body();

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).doesNotContain("action=\"/people/rename\"", "/people/merge", "/people/delete");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).doesNotContain("outside-host");
        assertThat(list).contains(">inside</a>").doesNotContain("outside");
    }

    @Test
    void peopleCanBeSearchedByNameOrLoginAndFilteredByGroup() {
        Organization organization = auckland();
        var operator = server.operator(organization);
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "kahu", List.of(
                active("editor", local(TODAY, "09:00"), Duration.ofHours(1))));
        Person kahu = personOf(organization, laptop);
        server.services().people().rename(operator, kahu.id(), "Kahu Tamihana");
        Person moana = server.services().people().create(operator, "Moana Rua");
        Group team = server.services().groups().create(operator, "Harbour team");
        server.services().groups().addMember(operator, team.id(), moana.id());
        String session = signIn(organization, Role.ADMIN);

        String byLogin = portal.get("/people?q=KAHU", session).body();
        String byGroup = portal.get("/people?group=" + team.id(), session).body();
        String nobody = portal.get("/people?q=zzz", session).body();

        assertThat(byLogin).contains(">Kahu Tamihana</a>").doesNotContain(">Moana Rua</a>")
                .contains("<td class=\"last-active\">29 Nov 2026</td>");
        assertThat(byGroup).contains(">Moana Rua</a>").doesNotContain(">Kahu Tamihana</a>")
                .contains("<option value=\"" + team.id() + "\" selected>Harbour team</option>")
                .contains("<span class=\"tag\">Harbour team</span>");
        assertThat(nobody).contains("Nobody matches.");
        assertThat(portal.get("/people?group=" + UUID.randomUUID(), session).statusCode()).isEqualTo(404);
        assertThat(server.audit(organization, "view-people")).extracting(entry -> entry.subject().text())
                .noneMatch(text -> text.toLowerCase(java.util.Locale.ROOT).contains("kahu"));
    }

    @Test
    void aNameMistakeIsShownBesideTheFieldAndAGoodNameRenames() {
        Organization organization = auckland();
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "tui", List.of(
                active("editor", local(TODAY, "09:00"), Duration.ofHours(1))));
        Person tui = personOf(organization, laptop);
        String session = signIn(organization, Role.ADMIN);
        String csrf = Portal.csrfIn(portal.get("/people/person?id=" + tui.id(), session).body());

        HttpResponse<String> blank = portal.post("/people/rename", Map.of("csrf", csrf, "personId",
                tui.id().toString(), "name", "   ", "day", TODAY.toString(), "period", "7"), session);
        HttpResponse<String> good = portal.post("/people/rename", Map.of("csrf", csrf, "personId",
                tui.id().toString(), "name", " Tui Walker ", "day", TODAY.toString(), "period", "30"), session);

        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("<p class=\"field-error\" id=\"rename-error\">A name has between 1 and 200"
                + " characters.</p>").contains("aria-invalid=\"true\"").contains("<h1 class=\"person-name\">tui</h1>");
        assertThat(good.statusCode()).isEqualTo(303);
        assertThat(good.headers().firstValue("Location"))
                .hasValue("/people/person?id=" + tui.id() + "&day=" + TODAY + "&period=30");
        assertThat(personOf(organization, laptop).displayName()).isEqualTo("Tui Walker");
        assertThat(server.audit(organization, "rename-person")).singleElement()
                .satisfies(entry -> assertThat(entry.subject().person()).contains(tui.id()));
    }

    @Test
    void mergingMovesEverythingIntoOnePersonAndLeavesOne() {
        Organization organization = auckland();
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "pita", List.of(
                active("editor", local(TODAY, "09:00"), Duration.ofHours(1))));
        TestAgent desktop = server.deviceWith(organization, "kiwi-desktop", "peter", List.of(
                active("mail", local(TODAY, "11:00"), Duration.ofMinutes(30))));
        Person pita = personOf(organization, laptop);
        Person peter = personOf(organization, desktop);
        String session = signIn(organization, Role.OWNER);
        String confirm = portal.get("/people/merge?person=" + peter.id(), session).body();

        HttpResponse<String> merged = portal.post("/people/merge", Map.of("csrf", Portal.csrfIn(confirm),
                "personId", peter.id().toString(), "intoId", pita.id().toString()), session);

        assertThat(confirm).contains("<h1>Merge peter into someone else?</h1>")
                .contains("<option value=\"" + pita.id() + "\">pita (pita)</option>");
        assertThat(merged.statusCode()).isEqualTo(303);
        assertThat(merged.headers().firstValue("Location")).hasValue("/people/person?id=" + pita.id());
        assertThat(server.services().people().directory(server.operator(organization)).people())
                .extracting(Person::id).containsExactly(pita.id());
        String page = portal.get("/people/person?id=" + pita.id(), session).body();
        assertThat(page).contains(">kiwi-laptop</text>").contains(">kiwi-desktop</text>")
                .contains("data-start=\"09:00:00\"").contains("data-start=\"11:00:00\"")
                .contains("<strong class=\"period-active\">1 h 30 min</strong>");
        assertThat(portal.get("/people/person?id=" + peter.id(), session).statusCode()).isEqualTo(404);
        // the desktop's next upload lands on the merged person: nobody new appears
        desktop.upload(List.of(active("mail", local(TODAY, "12:00"), Duration.ofMinutes(5))), Optional.empty(),
                Optional.empty());
        assertThat(server.services().people().directory(server.operator(organization)).people()).hasSize(1);
    }

    @Test
    void deletingAPersonAsksFirstThenRemovesThemAndTheirTime() {
        Organization organization = auckland();
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "huia", List.of(
                active("editor", local(TODAY, "09:00"), Duration.ofHours(1))));
        Person huia = personOf(organization, laptop);
        String session = signIn(organization, Role.ADMIN);
        String confirm = portal.get("/people/delete?person=" + huia.id(), session).body();

        HttpResponse<String> deleted = portal.post("/people/delete", Map.of("csrf", Portal.csrfIn(confirm),
                "personId", huia.id().toString()), session);

        assertThat(confirm).contains("<h1>Delete huia?</h1>").contains("kiwi-laptop · huia")
                .contains("This cannot be undone.");
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(deleted.headers().firstValue("Location")).hasValue("/people");
        assertThat(portal.get("/people/person?id=" + huia.id(), session).statusCode()).isEqualTo(404);
        assertThat(server.services().people().directory(server.operator(organization)).people()).isEmpty();
        assertThat(server.audit(organization, "delete-person")).singleElement()
                .satisfies(entry -> assertThat(entry.subject().person()).contains(huia.id()));
    }

    @Test
    void anAuditorSeesNoFormsAndTheServerRefusesItsChanges() {
        Organization organization = auckland();
        TestAgent laptop = server.deviceWith(organization, "kiwi-laptop", "kea", List.of(
                active("editor", local(TODAY, "09:00"), Duration.ofHours(1))));
        Person kea = personOf(organization, laptop);
        String session = signIn(organization, Role.AUDITOR);
        String page = portal.get("/people/person?id=" + kea.id(), session).body();

        HttpResponse<String> rename = portal.post("/people/rename", Map.of("csrf", Portal.csrfIn(page),
                "personId", kea.id().toString(), "name", "Someone"), session);
        HttpResponse<String> delete = portal.post("/people/delete", Map.of("csrf", Portal.csrfIn(page),
                "personId", kea.id().toString()), session);

        assertThat(page).doesNotContain("action=\"/people/rename\"", "/people/merge?", "/people/delete?");
        assertThat(rename.statusCode()).isEqualTo(403);
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(personOf(organization, laptop).displayName()).isEqualTo("kea");
    }
}
