package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.server.cli.ServerMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ServerMain account invite|list}, as the host's operator runs them while the server is stopped. */
class AccountCommandTest {

    private static final Pattern LINK = Pattern.compile("(https://\\S+/account/setup\\?token=[A-Za-z0-9_-]{43})");

    private Path dataDirectory;

    @AfterEach
    void cleanUp() {
        ServerFixture.delete(dataDirectory);
    }

    /** Runs the command line in this process; its exit code and what it printed. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... arguments) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int exitCode = new CommandLine(new ServerMain()).setErr(new PrintWriter(err)).execute(arguments);
            return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void theOperatorInvitesAnAccountAndThePrintedLinkPointsAtTheConfiguredPortAndSetsItsPassword() throws Exception {
        dataDirectory = Files.createTempDirectory("xt-account-command-");
        UUID organization;
        try (XentrackerServer server = XentrackerServer.start(ServerFixture.config(dataDirectory), Clock.systemUTC())) {
            server.administration().createOrganization("Acme", ZoneOffset.UTC);
            organization = server.administration().createOrganization("Second", ZoneOffset.UTC).id();
        }
        Path config = dataDirectory.resolve("server.properties");
        Files.writeString(config, "https-port=18443\n");
        String email = "ada-" + UUID.randomUUID() + "@example.org";

        Run invited = run("account", "invite", "--config", config.toString(), "--data-dir", dataDirectory.toString(),
                "--organization", organization.toString(), "--email", email, "--role", "Admin");
        Run listed = run("account", "list", "--data-dir", dataDirectory.toString(),
                "--organization", organization.toString());
        Run badRole = run("account", "invite", "--data-dir", dataDirectory.toString(), "--email",
                "b-" + email, "--role", "superuser");

        assertThat(invited.exitCode()).as(invited.err()).isZero();
        Matcher link = LINK.matcher(invited.out());
        assertThat(link.find()).as(invited.out()).isTrue();
        URI uri = URI.create(link.group(1));
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        assertThat(uri.getPort()).as("serve's port, not the command's spare one").isEqualTo(18443);
        assertThat(invited.out()).contains("shown only now").contains("as admin to 'Second'");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(email).contains("admin").contains("invited").doesNotContain("token");
        assertThat(badRole.exitCode()).isNotZero();
        assertThat(badRole.err()).contains("--role must be owner, admin, auditor or viewer");
        try (XentrackerServer server = XentrackerServer.start(ServerFixture.config(dataDirectory), Clock.systemUTC())) {
            String token = uri.getQuery().substring("token=".length());
            Account account = server.services().accountLinks().setPasswordWithLink(token,
                    "correct horse battery staple".toCharArray());
            assertThat(account.role()).isEqualTo(Role.ADMIN);
            assertThat(account.organizationId()).isEqualTo(organization);
            assertThat(server.services().signIn().withPassword(email, "correct horse battery staple".toCharArray(),
                    "127.0.0.1")).isInstanceOf(com.xentracker.server.account.SignIn.SignedIn.class);
            List<AuditEntry> invitations = server.services().audit().search(
                    server.administration().operator(organization),
                    AuditQuery.newest(10).withAction("invite-account")).entries();
            assertThat(invitations).singleElement().extracting(AuditEntry::actorKind).isEqualTo(ActorKind.OPERATOR);
        }
    }
}
