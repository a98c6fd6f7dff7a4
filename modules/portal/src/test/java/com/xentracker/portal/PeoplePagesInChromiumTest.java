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
import com.xentracker.server.organization.Organization;
import com.xentracker.server.people.DeviceAccount;
import com.xentracker.testing.prerequisite.Prerequisites;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.CaptureState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The people, person and devices pages in real headless Chromium: the day timeline and the period chart are in the
 * rendered DOM as SVG, and the pages carry no script. Full-page screenshots at 1280 and 390 px wide are
 * written to {@code target/screenshots/} as test artifacts (the pages are saved with their stylesheet and opened from
 * disk, because a session cookie cannot be handed to Chromium's command line).
 */
class PeoplePagesInChromiumTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
    private static final LocalDate TODAY = LocalDate.parse("2026-11-29");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static Instant at(String hhmm) {
        return TODAY.atTime(LocalTime.parse(hhmm)).atZone(AUCKLAND).toInstant();
    }

    private static Span active(String application, String from, String to) {
        return Span.of(at(from), at(to), Activity.active(application, "/usr/bin/" + application, Optional.empty()));
    }

    /** A working day: editor, mail, a browser on two sites, idle and locked stretches, private time, a lost hour. */
    private static List<Span> workingDay() {
        List<Span> spans = new ArrayList<>(List.of(
                active("code", "08:05", "09:40"),
                Span.of(at("09:40"), at("09:52"), Activity.of(ActivityState.IDLE)),
                active("thunderbird", "09:52", "10:20"),
                Span.of(at("10:20"), at("10:50"), Activity.active("firefox", "/usr/bin/firefox", Optional.empty())
                        .withPage(WebPage.ofDomain("docs.example.org"))),
                Span.of(at("10:50"), at("11:05"), Activity.active("firefox", "/usr/bin/firefox", Optional.empty())
                        .withPage(WebPage.ofDomain("news.example.com"))),
                active("code", "11:05", "12:30"),
                Span.of(at("12:30"), at("13:15"), Activity.of(ActivityState.LOCKED)),
                Span.of(at("13:15"), at("13:45"), Activity.of(ActivityState.PAUSED)),
                active("slack", "13:45", "14:10"),
                active("code", "15:10", "17:20"),
                Span.of(at("17:20"), at("17:30"), Activity.of(ActivityState.EXCLUDED))));
        return spans;
    }

    @Test
    void thePeoplePersonAndDevicesPagesRenderWithoutScriptAndAreCaptured() throws Exception {
        Prerequisites.requireTools(List.of("chromium"), "Debian: apt-get install -y chromium");
        Organization organization = server.server().administration().createOrganization("Harbour Ltd", AUCKLAND);
        var operator = server.operator(organization);
        var organizations = server.services().organizations();
        var development = organizations.createCategory(operator, "Development");
        organizations.addCategoryRule(operator, development.id(),
                com.xentracker.server.organization.CategoryRule.Kind.APPLICATION, "code");
        var news = organizations.createCategory(operator, "News");
        organizations.addCategoryRule(operator, news.id(),
                com.xentracker.server.organization.CategoryRule.Kind.DOMAIN, "news.example.com");
        TestAgent laptop = server.deviceWith(organization, "aroha-laptop", "aroha", List.of());
        for (int day = 6; day > 0; day--) {
            LocalDate date = TODAY.minusDays(day);
            Instant start = date.atTime(9, 0).atZone(AUCKLAND).toInstant();
            laptop.upload(List.of(Span.of(start, start.plus(Duration.ofMinutes(60L * day + 30)),
                    Activity.active("code", "/usr/bin/code", Optional.empty()))), Optional.empty(), Optional.empty());
        }
        // today's batch last: its agent state (recording, a backlog) is the device's newest word
        laptop.upload(workingDay(), List.of(Gap.of(at("14:10"), at("15:10"), GapReason.BUFFER_FULL)),
                Optional.of(new AgentState("0.3.0", CaptureState.RECORDING, "", 1)
                        .withBacklog(AgentState.Backlog.of(320, Optional.of(at("17:31"))))), Optional.empty());
        server.deviceWith(organization, "kiosk-7", "kiosk", List.of(active("firefox", "07:00", "07:20")));
        UUID aroha = server.services().people().directory(operator).accounts().stream()
                .filter(account -> account.deviceId().equals(laptop.id())).findFirst()
                .flatMap(DeviceAccount::person).orElseThrow();
        server.services().people().rename(operator, aroha, "Aroha Ngata");
        String session = server.portal().signIn(server.account(organization, Role.OWNER).email(), PASSWORD);
        Files.createDirectories(SCREENSHOTS);
        Files.copy(PortalServer.class.getResourceAsStream("/com/xentracker/portal/page/portal.css"),
                SCREENSHOTS.resolve("portal.css"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        for (String[] page : List.of(new String[] {"people", "/people"},
                new String[] {"person", "/people/person?id=" + aroha + "&period=7"},
                new String[] {"devices", "/devices"})) {
            String html = server.portal().get(page[1], session).body();
            Path file = SCREENSHOTS.resolve(page[0] + ".html");
            Files.writeString(file, html.replace("href=\"/portal.css\"", "href=\"portal.css\""),
                    StandardCharsets.UTF_8);

            String dom = chromium(file, "1280,900", "--dump-dom");
            Path wide = screenshot(file, page[0] + "-1280.png", 1280, 2400);
            Path narrow = screenshot(file, page[0] + "-390.png", 390, 3200);

            assertThat(dom).as("%s as Chromium rendered it", page[0]).contains("<main id=\"main\">")
                    .doesNotContain("<script");
            assertThat(Files.size(wide)).as(wide.toString()).isGreaterThan(10_000);
            assertThat(Files.size(narrow)).as(narrow.toString()).isGreaterThan(10_000);
            if (page[0].equals("person")) {
                assertThat(dom).contains("<svg class=\"timeline\"").contains("data-kind=\"GAP\"")
                        .contains("<svg class=\"day-bars\"");
            }
        }
    }

    private static Path screenshot(Path file, String name, int width, int height) throws Exception {
        Path png = SCREENSHOTS.resolve(name).toAbsolutePath();
        Files.deleteIfExists(png);
        chromium(file, width + "," + height, "--screenshot=" + png, "--hide-scrollbars");
        assertThat(png).exists();
        return png;
    }

    /**
     * Runs headless Chromium on the saved page; its standard output. (Headless Chromium's DOM dump and screenshots
     * themselves need JavaScript on; that the pages need none is shown by their having no script, which the CSP would
     * block anyway.)
     */
    private static String chromium(Path file, String windowSize, String... arguments) throws IOException,
            InterruptedException {
        // the real binary where Debian puts it: the /usr/bin/chromium wrapper adds flags of its own
        String binary = Files.isExecutable(Path.of("/usr/lib/chromium/chromium")) ? "/usr/lib/chromium/chromium"
                : "chromium";
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking",
                "--user-data-dir=" + Files.createTempDirectory("xt-chromium-"),
                "--window-size=" + windowSize));
        command.addAll(List.of(arguments));
        command.add(file.toAbsolutePath().toUri().toString());
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(SCREENSHOTS.resolve("chromium.log").toFile())).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
