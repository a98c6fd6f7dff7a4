package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.access.Actor;
import com.xentracker.server.cli.ServerMain;
import com.xentracker.server.device.EnrollmentToken;
import com.xentracker.server.organization.Organization;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.wire.EnrollmentResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ServerMain organization …} and {@code token …} as a host operator runs them while {@code serve} is stopped:
 * in this JVM through the real command line (its output and exit codes), and as real processes where what matters is
 * what the process prints (a password or token never in the log) or what it reads from its environment.
 */
class FleetCommandsTest {

    private static final Pattern TOKEN = Pattern.compile("(?m)^([A-Za-z0-9_-]{43})$");
    private static final Pattern GENERATED_PASSWORD = Pattern.compile("shown only now: (\\S+)");
    private static final Pattern ISSUED_ID = Pattern.compile("Issued the enrollment token ([0-9a-f-]{36})");
    private static final String PASSWORD = "correct horse battery staple";

    private Path dataDirectory;

    @BeforeEach
    void dataDirectory() throws IOException {
        dataDirectory = Files.createTempDirectory("xt-fleet-cli-test-");
    }

    @AfterEach
    void cleanUp() {
        ServerFixture.delete(dataDirectory);
    }

    /** One command's exit code and what it printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ServerMain.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        List<String> all = new java.util.ArrayList<>(List.of(arguments));
        if (all.size() >= 2 && !all.contains("--help")) {
            all.addAll(2, List.of("--data-dir", dataDirectory.toString()));
        }
        int exitCode = commandLine.execute(all.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in:%n%s", pattern, text).isTrue();
        return matcher.group(1);
    }

    private XentrackerServer start() {
        return XentrackerServer.start(ServerFixture.config(dataDirectory), Clock.systemUTC());
    }

    private static EnrollmentResponse enroll(XentrackerServer server, String token) {
        return ServerClient.create(server.baseUri(), server.certificateAuthority(), Duration.ofSeconds(30))
                .enroll(ServerFixture.enrollmentRequest(token, DeviceKeys.generate()));
    }

    @Test
    void onAHostOfOneOrganizationTheOrganizationMayBeLeftOutAndATokenFileIsTheOwnersOnly() throws IOException {
        assertThat(run("organization", "list").out()).contains("No organizations yet");
        Run noOrganization = run("token", "list");
        assertThat(noOrganization.exitCode()).isOne();
        assertThat(noOrganization.err()).contains("there is no organization yet");
        run("organization", "create", "--name", "Solo", "--time-zone", "UTC", "--owner-email", "o@solo.test");
        Path file = dataDirectory.resolve("tokens/berlin.token");

        Run issued = run("token", "issue", "--name", "Berlin", "--max-devices", "2", "--output", file.toString());
        Run again = run("token", "issue", "--name", "Berlin", "--output", file.toString());

        assertThat(issued.exitCode()).as(issued.err()).isZero();
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(issued.out()).doesNotContain(token).contains("Wrote the token to " + file.toAbsolutePath(),
                "(mode 600)", "--token-file " + file.toAbsolutePath(), "up to 2 device(s)");
        assertThat(again.exitCode()).isOne();
        assertThat(again.err()).contains("exists already");
        assertThat(Files.readString(file, StandardCharsets.UTF_8).strip()).as("not written over").isEqualTo(token);
        Run listed = run("token", "list");
        assertThat(listed.out()).contains("Berlin", "0/2", "usable").hasLineCount(2);
        try (XentrackerServer server = start()) {
            assertThat(enroll(server, token).organizationName()).isEqualTo("Solo");
        }

        // the service's bounds, and a duration in ISO-8601
        Run tooLong = run("token", "issue", "--name", "x", "--expires", "366d");
        Run tooMany = run("token", "issue", "--name", "x", "--max-devices", "0");
        Run valid = run("token", "issue", "--name", "x", "--expires", "pt90m");

        assertThat(tooLong.exitCode()).isOne();
        assertThat(tooLong.err()).contains("between 1 second and 365 days");
        assertThat(tooMany.exitCode()).isOne();
        assertThat(tooMany.err()).contains("between 1 and 1000000 devices");
        assertThat(valid.exitCode()).as(valid.err()).isZero();
        Instant created = Instant.now();
        assertThat(Instant.parse(find(Pattern.compile("until (\\S+)\\.$", Pattern.MULTILINE), valid.out())))
                .isBetween(created.plus(Duration.ofMinutes(88)), created.plus(Duration.ofMinutes(91)));
    }

    @Test
    void onAHostOfSeveralOrganizationsEachHasItsOwnOwnerKeysAndTokens() {
        Run acme = run("organization", "create", "--name", "Acme", "--time-zone", "Europe/Berlin",
                "--owner-email", "owner@acme.test");
        Run globex = run("organization", "create", "--name", "Globex", "--time-zone", "America/New_York",
                "--owner-email", "owner@globex.test");
        Run taken = run("organization", "create", "--name", "Initech", "--time-zone", "UTC",
                "--owner-email", "OWNER@acme.test");
        Run badZone = run("organization", "create", "--name", "Initech", "--time-zone", "Mars/Olympus",
                "--owner-email", "owner@initech.test");

        assertThat(acme.exitCode()).as(acme.err()).isZero();
        assertThat(acme.out()).contains("Created the organization 'Acme'", "time zone Europe/Berlin",
                "with its own encryption keys and its owner");
        assertThat(taken.exitCode()).isOne();
        assertThat(taken.err()).startsWith("error: ").contains("an account with this email address exists already")
                .doesNotContain("Exception");
        assertThat(badZone.exitCode()).isOne();
        assertThat(badZone.err()).contains("not a time zone");

        Run list = run("organization", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out().lines().toList()).hasSize(3).first().asString()
                .contains("ID", "NAME", "TIME ZONE", "CREATED", "DEVICES", "REVOKED", "ACCOUNTS");
        assertThat(list.out()).contains("Acme", "Europe/Berlin", "Globex", "America/New_York")
                .doesNotContain("Initech");
        List<Organization> organizations;
        try (XentrackerServer server = start()) {
            organizations = server.administration().organizations();
            assertThat(organizations).extracting(Organization::name).containsExactly("Acme", "Globex");
            assertThat(organizations).extracting(Organization::timeZone)
                    .containsExactly(ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"));
            assertThat(list.out()).contains(organizations.get(0).id().toString(),
                    organizations.get(1).id().toString());
            // each organization's owner signs in to its own organization, with the password printed or given
            for (Run created : List.of(acme, globex)) {
                String password = Optional.ofNullable(System.getenv("XT_OWNER_PASSWORD")).filter(p -> !p.isEmpty())
                        .orElseGet(() -> find(GENERATED_PASSWORD, created.out()));
                String email = created == acme ? "owner@acme.test" : "owner@globex.test";
                Actor owner = ((com.xentracker.server.account.SignIn.SignedIn) server.services().signIn()
                        .withPassword(email, password.toCharArray(), "127.0.0.1")).actor();
                assertThat(owner.organizationId())
                        .isEqualTo(organizations.get(created == acme ? 0 : 1).id());
            }
            assertThat(server.certificateAuthority()).isNotNull();
        }
        assertThat(list.out().lines().filter(line -> line.contains("Acme")).findFirst().orElseThrow())
                .matches(".*\\s0\\s+0\\s+1\\s*");

        tokensAreIssuedListedAndRevokedForTheChosenOrganization(organizations.get(0).id(),
                organizations.get(1).id());
    }

    /** Tokens on the host of Acme and Globex: issued for the organization chosen, listed and revoked there only. */
    private void tokensAreIssuedListedAndRevokedForTheChosenOrganization(UUID acme, UUID globex) {
        Run ambiguous = run("token", "issue", "--name", "Berlin laptops");
        Run issued = run("token", "issue", "--organization", acme.toString(), "--name", "Berlin laptops",
                "--expires", "30d", "--max-devices", "100");
        Run other = run("token", "issue", "--organization", globex.toString(), "--name", "Globex kiosks",
                "--expires", "PT12H");

        assertThat(ambiguous.exitCode()).isOne();
        assertThat(ambiguous.err()).contains("serves 2 organizations", "--organization ID", "organization list");
        assertThat(issued.exitCode()).as(issued.err()).isZero();
        String token = find(TOKEN, issued.out());
        UUID tokenId = UUID.fromString(find(ISSUED_ID, issued.out()));
        assertThat(issued.out()).contains("'Berlin laptops'", "of 'Acme'", "up to 100 device(s)",
                "shown only now", "xentracker-agent enroll --server https://", "--server-ca ",
                "--token-file FILE", "--token-env XT_ENROLLMENT_TOKEN");
        assertThat(issued.out().split(token, -1)).as("the token is printed once").hasSize(2);
        assertThat(other.exitCode()).isZero();
        String otherToken = find(TOKEN, other.out());

        Run listed = run("token", "list", "--organization", acme.toString());
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains(tokenId.toString(), "Berlin laptops", "0/100", "usable", "operator")
                .doesNotContain(token, "Globex kiosks");

        Run wrongOrganization = run("token", "revoke", tokenId.toString(), "--organization", globex.toString());
        assertThat(wrongOrganization.exitCode()).isOne();
        assertThat(wrongOrganization.err()).contains("the organization has no enrollment token " + tokenId);
        Run revoked = run("token", "revoke", tokenId.toString(), "--organization", acme.toString());
        assertThat(revoked.exitCode()).isZero();
        assertThat(revoked.out()).contains("Revoked the enrollment token " + tokenId, "no device can enroll");
        assertThat(run("token", "list", "--organization", acme.toString()).out()).contains("revoked")
                .doesNotContain("usable");

        try (XentrackerServer server = start()) {
            List<EnrollmentToken> acmeTokens = server.services().enrollmentTokens()
                    .list(server.administration().operator(acme));
            assertThat(acmeTokens).singleElement().satisfies(t -> {
                assertThat(t.expiresAt()).isBetween(t.createdAt().plus(Duration.ofDays(30)).minusSeconds(1),
                        t.createdAt().plus(Duration.ofDays(30)).plusSeconds(1));
                assertThat(t.revokedAt()).isPresent();
            });
            assertThat(server.services().enrollmentTokens().list(server.administration().operator(globex)))
                    .singleElement().satisfies(t -> assertThat(Duration.between(t.createdAt(), t.expiresAt()))
                            .isEqualTo(Duration.ofHours(12)));
            ServerRejectedRequestException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    ServerRejectedRequestException.class, () -> enroll(server, token));
            assertThat(refused.code()).isEqualTo("enrollment-token-revoked");
            assertThat(enroll(server, otherToken).organizationId()).isEqualTo(globex);
        }
        assertThat(run("organization", "list").out().lines().filter(line -> line.contains("Globex")))
                .singleElement().asString().as("its device").matches(".*\\s1\\s+0\\s+1\\s*");
    }

    @Test
    void durationsAreDaysHoursOrIsoAndAnythingElseIsRefusedWithAnExplanation() {
        for (String wrong : List.of("30m", "1y", "P1M", "soon", "-5d", "")) {
            Run refused = run("token", "issue", "--name", "x", "--expires", wrong);
            assertThat(refused.exitCode()).as(wrong).isEqualTo(2);
            assertThat(refused.err()).as(wrong).contains("--expires", "is not a duration",
                    "30d or 12h", "PT12H");
        }
        assertThat(dataDirectory).as("refused before the server started").isEmptyDirectory();
    }

    /**
     * As real processes: the owner's password comes from the environment and is never printed; a printed token
     * appears once in all the process wrote (its log included).
     */
    @Test
    void asProcessesThePasswordFromTheEnvironmentAndTheTokenAreNeverLogged() throws Exception {
        String created = process(PASSWORD, "organization", "create", "--name", "Acme", "--time-zone", "UTC",
                "--owner-email", "owner@acme.test");
        String shortPassword = process("too short", "organization", "create", "--name", "Other",
                "--time-zone", "UTC", "--owner-email", "owner@other.test");
        String issued = process(null, "token", "issue", "--name", "Laptops", "--max-devices", "5");

        assertThat(created).contains("Created the organization 'Acme'",
                "Sign in as owner@acme.test with the password from XT_OWNER_PASSWORD").doesNotContain(PASSWORD);
        assertThat(shortPassword).contains("error: XT_OWNER_PASSWORD must have at least 12 characters");
        String token = find(TOKEN, issued);
        assertThat(issued.split(token, -1)).as("printed once, never logged").hasSize(2);
        try (XentrackerServer server = start()) {
            assertThat(server.administration().organizations()).extracting(Organization::name)
                    .containsExactly("Acme");
            Actor owner = ((com.xentracker.server.account.SignIn.SignedIn) server.services().signIn()
                    .withPassword("owner@acme.test", PASSWORD.toCharArray(), "127.0.0.1")).actor();
            assertThat(enroll(server, token).organizationId()).isEqualTo(owner.organizationId());
        }
    }

    /** Runs {@code ServerMain} as a process; returns everything it wrote (standard output and error, log included). */
    private String process(String ownerPassword, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", ServerMainTest.modulePath(),
                "--module", "com.xentracker.server/com.xentracker.server.cli.ServerMain"));
        command.addAll(List.of(arguments));
        command.addAll(7, List.of("--data-dir", dataDirectory.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("XT_OWNER_PASSWORD");
        if (ownerPassword != null) {
            builder.environment().put("XT_OWNER_PASSWORD", ownerPassword);
        }
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new String(output, StandardCharsets.UTF_8);
    }
}
