package com.xentracker.portal;

import static com.xentracker.portal.PortalServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server's sign-in throttle per source address as a browser meets it. A class of its own: the throttle is per
 * address across the whole server, and every test here signs in from 127.0.0.1.
 */
class SignInThrottlePageTest {

    @RegisterExtension
    static final PortalServer server = new PortalServer();

    private final Portal portal = server.portal();

    @Test
    void twentyFailedSignInsFromOneAddressGetAPageSayingToWaitWithRetryAfterUntilThePauseEnds() {
        Account account = server.account(server.newOrganization(), Role.ADMIN);
        for (int i = 0; i < 20; i++) {
            assertThat(portal.submitLogin("nobody-" + i + "@example.org", "not the password at all").statusCode())
                    .as("failure %d", i + 1).isEqualTo(401);
        }

        HttpResponse<String> paused = portal.submitLogin(account.email(), PASSWORD);

        assertThat(paused.statusCode()).isEqualTo(429);
        assertThat(paused.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(paused.body()).contains("There were too many failed sign-ins from your network address.")
                .contains("<strong class=\"retry-after\">1 minute</strong>");
        assertThat(Portal.setCookie(paused, "xt_session")).isEmpty();

        server.clock().advance(Duration.ofSeconds(15));
        HttpResponse<String> still = portal.submitLogin(account.email(), PASSWORD);
        assertThat(still.headers().firstValue("Retry-After")).hasValue("45");
        assertThat(still.body()).contains("<strong class=\"retry-after\">45 seconds</strong>");

        server.clock().advance(Duration.ofSeconds(45));
        assertThat(portal.signIn(account.email(), PASSWORD)).as("after the pause").startsWith("xt_session=");
    }
}
