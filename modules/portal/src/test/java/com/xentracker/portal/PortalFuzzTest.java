package com.xentracker.portal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.portal.page.PortalPaths;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.organization.Organization;
import com.xentracker.testing.fuzz.Fuzz;
import com.xentracker.testing.https.Https;
import java.net.URLEncoder;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fuzz target: the portal's forms and query strings, through the real server over HTTPS, as a signed-in owner and
 * as nobody. Properties: never a 5xx; a form posted without the session's CSRF token stores nothing; the portal keeps
 * serving. Requests are sent raw (testing's {@code Https.raw}), so malformed escapes reach the server.
 */
class PortalFuzzTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    /** Pages and their query parameters. */
    private static final List<String> PAGES = List.of(PortalPaths.HOME, PortalPaths.LOGIN, PortalPaths.DASHBOARD,
            PortalPaths.DEVICES, PortalPaths.ENROLLMENT, PortalPaths.PEOPLE, PortalPaths.GROUPS, PortalPaths.AUDIT,
            PortalPaths.AUDIT_VERIFY, PortalPaths.ACCOUNT, PortalPaths.ACCOUNTS, PortalPaths.SETTINGS,
            PortalPaths.DEVICES_REVOKE, PortalPaths.DEVICES_DELETE, PortalPaths.GROUPS_DELETE, PortalPaths.ACCOUNTS_DELETE,
            PortalPaths.ACCOUNT_SETUP, PortalPaths.LOGIN_SECOND_FACTOR, "/no/such/page");
    private static final List<String> FORMS = List.of(PortalPaths.LOGIN, PortalPaths.LOGIN_SECOND_FACTOR,
            PortalPaths.DEVICES_REVOKE, PortalPaths.DEVICES_DELETE, PortalPaths.ENROLLMENT_ISSUE,
            PortalPaths.ENROLLMENT_REVOKE, PortalPaths.PEOPLE, PortalPaths.PEOPLE_ASSIGN, PortalPaths.GROUPS_CREATE,
            PortalPaths.GROUPS_RENAME, PortalPaths.GROUPS_DELETE, PortalPaths.GROUPS_ADD_MEMBER,
            PortalPaths.GROUPS_REMOVE_MEMBER, PortalPaths.GROUPS_GRANT, PortalPaths.GROUPS_REVOKE,
            PortalPaths.ACCOUNT_PASSWORD, PortalPaths.ACCOUNT_TWO_FACTOR, PortalPaths.ACCOUNT_TWO_FACTOR_CONFIRM,
            PortalPaths.ACCOUNT_TWO_FACTOR_DISABLE, PortalPaths.ACCOUNT_RECOVERY_CODES, PortalPaths.ACCOUNT_SETUP,
            PortalPaths.ACCOUNTS_INVITE, PortalPaths.ACCOUNTS_ROLE, PortalPaths.ACCOUNTS_DISABLE,
            PortalPaths.ACCOUNTS_ENABLE, PortalPaths.ACCOUNTS_DELETE, PortalPaths.ACCOUNTS_RESET_PASSWORD,
            PortalPaths.ACCOUNTS_END_SESSIONS, PortalPaths.SETTINGS, PortalPaths.LOGOUT);
    private static final List<String> FIELDS = List.of("csrf", "email", "password", "code", "name", "id", "device",
            "person", "group", "account", "role", "token", "lifetime", "maxDevices", "osUser", "displayName",
            "confirm", "from", "to", "page", "action", "subject", "before", "detail", "timeZone", "requireTwoFactor",
            "newPassword", "currentPassword", "retentionDays");

    private static Arbitrary<String> hostileValue() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), Arbitraries.of("", "%", "%uFFFF", "%zz",
                "%00", "+", "&", "=", "\u0000", "\uFFFF", "-1", "0", "99999999999999999999", "1e309", "NaN",
                UUID.randomUUID().toString(), "OWNER", "VIEWER", "2026-11-29", "2026-02-30", "9999-12-31T23:59:59Z",
                "x".repeat(3000), "<script>alert(1)</script>", "../../etc/passwd", "Europe/Berlin", "Mars/Olympus"));
    }

    /** A query string or form body: known and unknown names, hostile values, some raw (unencoded) escapes. */
    private static Arbitrary<String> encodedPairs() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(8));
        Arbitrary<String> pair = Combinators.combine(name, hostileValue(), Arbitraries.integers().between(0, 4))
                .as((key, value, raw) -> raw == 0 ? key + "=" + value.replace(" ", "+").replace("&", "%26")
                        : URLEncoder.encode(key, UTF_8) + "=" + URLEncoder.encode(value, UTF_8));
        return pair.list().ofMaxSize(6).map(pairs -> String.join("&", pairs));
    }

    private record Query(String path, String query, boolean signedIn) {
    }

    private record Form(String path, String body, int csrf, boolean signedIn) {
    }

    private static String rawTarget(String path, String query) {
        // a request line cannot carry spaces, CR/LF or '#': send them as the escapes a browser would
        String safe = query.replace(" ", "%20").replace("#", "%23").replace("\r", "%0D").replace("\n", "%0A");
        StringBuilder ascii = new StringBuilder();
        for (char c : safe.toCharArray()) {
            ascii.append(c < 0x21 || c > 0x7e ? URLEncoder.encode(String.valueOf(c), UTF_8) : String.valueOf(c));
        }
        return ascii.isEmpty() ? path : path + "?" + ascii;
    }

    private record Counts(int people, int groups, int accounts, int tokens, int devices) {
    }

    private static Counts counts(Actor operator) {
        var services = server.services();
        return new Counts(services.people().directory(operator).people().size(),
                services.groups().list(operator).size(), services.accounts().list(operator).size(),
                services.enrollmentTokens().list(operator).size(), services.devices().list(operator).size());
    }

    @Test
    void formsAndQueryStringsAreNeverA5xxAndFormsWithoutTheSessionsCsrfTokenStoreNothing() {
        Organization organization = server.newOrganization();
        Account owner = server.account(organization, Role.OWNER);
        Actor operator = server.operator(organization);
        String session = server.portal().signIn(owner.email(), PortalServer.PASSWORD);
        String csrf = Portal.csrfIn(server.portal().get(PortalPaths.GROUPS, session).body());
        Https https = Https.trusting(server.server().baseUri(), server.server().certificateAuthority());

        Arbitrary<Query> queries = Combinators.combine(Arbitraries.of(PAGES), encodedPairs(),
                Arbitraries.of(true, false)).as(Query::new);
        Fuzz.run("portal/query-strings", 50, queries, query -> query.path() + "?" + Fuzz.escaped(query.query())
                + (query.signedIn() ? " signed in" : ""), query -> {
                    Https.Response answer = https.raw("GET", rawTarget(query.path(), query.query()),
                            query.signedIn() ? Map.of("Cookie", session) : Map.of(), null);
                    assertThat(answer.status()).as(answer.text()).isLessThan(500);
                });

        Counts before = counts(operator);
        // 0: no csrf field added, 1: the session's token, wrong: another value
        Arbitrary<Form> forms = Combinators.combine(Arbitraries.of(FORMS), encodedPairs(),
                Arbitraries.of(0, 2), Arbitraries.of(true, false)).as(Form::new);
        Fuzz.run("portal/forms", 50, forms, form -> form.path() + " " + Fuzz.escaped(form.body()) + " csrf "
                + form.csrf() + (form.signedIn() ? " signed in" : ""), form -> {
                    String body = form.body().replaceAll("(^|&)csrf=[^&]*", "$1")
                            + (form.csrf() == 2 ? "&csrf=" + csrf.substring(1) + "A" : "");
                    Https.Response answer = https.raw("POST", form.path(), form.signedIn()
                            ? Map.of("Cookie", session, "Content-Type", "application/x-www-form-urlencoded")
                            : Map.of("Content-Type", "application/x-www-form-urlencoded"), body.getBytes(UTF_8));
                    assertThat(answer.status()).as(answer.text()).isLessThan(500);
                });
        assertThat(counts(operator)).as("nothing stored without the session's CSRF token").isEqualTo(before);

        // with the session's token, safe forms only (not the ones that would end this very session)
        List<String> withToken = FORMS.stream().filter(path -> !List.of(PortalPaths.LOGOUT,
                PortalPaths.ACCOUNTS_END_SESSIONS, PortalPaths.ACCOUNTS_DISABLE, PortalPaths.ACCOUNTS_DELETE,
                PortalPaths.ACCOUNTS_ROLE, PortalPaths.ACCOUNT_PASSWORD).contains(path)).toList();
        Fuzz.run("portal/forms-with-token", 50, Combinators.combine(Arbitraries.of(withToken), encodedPairs())
                .as((path, pairs) -> new Form(path, pairs, 1, true)), form -> form.path() + " "
                + Fuzz.escaped(form.body()), form -> {
                    String body = form.body().replaceAll("(^|&)csrf=[^&]*", "$1") + "&csrf=" + csrf;
                    Https.Response answer = https.raw("POST", form.path(), Map.of("Cookie", session,
                            "Content-Type", "application/x-www-form-urlencoded"), body.getBytes(UTF_8));
                    assertThat(answer.status()).as(answer.text()).isLessThan(500);
                });

        assertThat(server.portal().get(PortalPaths.LOGIN).statusCode()).as("still serving").isEqualTo(200);
    }
}
