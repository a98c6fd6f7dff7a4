package com.xentracker.portal.account;

import com.xentracker.portal.page.Frame;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.session.FormTokens;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.AccountLink;
import com.xentracker.server.account.AccountLinks;
import com.xentracker.server.account.AccountServices;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /account/setup?token=…}: the page an owner's one-time link opens, before signing in: it says which
 * account the link is for and asks for a password twice. {@code POST /account/setup} (fields {@code token},
 * {@value #PASSWORD_FIELD}, {@value #CONFIRM_FIELD}, {@code csrf}) sets it; the server uses the link up, activates an
 * invited account and audit-logs it. A used, replaced or expired link gets the server's explanation.
 *
 * <p>The token is a secret: it arrives in the link's query (which the server's request log leaves out, and which
 * {@code Referrer-Policy: no-referrer} keeps from other sites), is posted back in a hidden field rather than a URL,
 * and is never logged. The form is protected against cross-site posts by a double-submit cookie: there is no session
 * yet.
 */
public final class AccountSetup {

    public static final String PASSWORD_FIELD = "password";
    public static final String CONFIRM_FIELD = "confirmPassword";
    private static final int MAX_PASSWORD_LENGTH = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AccountSetup.class);

    private final AccountLinks links;
    private final FormTokens forms = FormTokens.of("xt_setup", PortalPaths.ACCOUNT_SETUP,
            "The form has expired or did not come from this portal. Please open your link again.");

    private AccountSetup(AccountLinks links) {
        this.links = links;
    }

    public static void install(PortalRoutes routes, ServerServices services) {
        AccountSetup page = new AccountSetup(services.accountLinks());
        routes.get(PortalPaths.ACCOUNT_SETUP, page::form);
        routes.post(PortalPaths.ACCOUNT_SETUP, page::setPassword);
    }

    private void form(Context ctx) {
        String token = token(ctx.queryParam(AccountLinks.TOKEN_PARAMETER));
        // refused here already when it was used, replaced or expired: nobody types a password in vain
        AccountLinks.LinkedAccount linked = links.inspect(token);
        render(ctx, HttpStatus.OK, linked, token, forms.issue(ctx), Optional.empty());
    }

    private void setPassword(Context ctx) {
        String csrf = forms.require(ctx);
        String token = token(ctx.formParam(AccountLinks.TOKEN_PARAMETER));
        AccountLinks.LinkedAccount linked = links.inspect(token);
        String password = Optional.ofNullable(ctx.formParam(PASSWORD_FIELD)).orElse("");
        String confirmation = Optional.ofNullable(ctx.formParam(CONFIRM_FIELD)).orElse("");
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw PortalException.badRequest("A password has at most " + MAX_PASSWORD_LENGTH + " characters.");
        }
        if (!password.equals(confirmation)) {
            render(ctx, HttpStatus.BAD_REQUEST, linked, token, csrf,
                    Optional.of("The two passwords differ. Please type the same password twice."));
            return;
        }
        char[] secret = password.toCharArray();
        Account account;
        try {
            account = links.setPasswordWithLink(token, secret);
        } catch (InvalidRequestException e) {
            // too short: the link is still good, so the form comes back with the server's reason
            render(ctx, HttpStatus.BAD_REQUEST, linked, token, csrf, Optional.of(sentence(e.getMessage())));
            return;
        } finally {
            // The String from the form cannot be wiped; the copy handed to the server can.
            Arrays.fill(secret, '\0');
        }
        forms.clear(ctx);
        LOG.info("portal: account {} set its password with a one-time link", account.id());
        Pages.render(ctx, HttpStatus.OK, "account-setup-done.jte",
                new AccountSetupDonePage(Frame.anonymous("Password set"), account.email()));
    }

    private static void render(Context ctx, HttpStatus status, AccountLinks.LinkedAccount linked, String token,
            String csrf, Optional<String> error) {
        boolean invitation = linked.purpose() == AccountLink.Purpose.INVITATION;
        Pages.render(ctx, status, "account-setup.jte", new AccountSetupPage(
                Frame.anonymous(invitation ? "Welcome" : "Choose a new password"), linked.email(), invitation,
                AccountManagement.when(linked.expiresAt()), token, csrf, AccountServices.MIN_PASSWORD_LENGTH, error));
    }

    /** The token as given; its value is the server's to judge, but an absent or absurd one needs no round trip. */
    private static String token(String value) {
        if (value == null || value.isBlank() || value.length() > 128) {
            throw PortalException.badRequest("This page opens with the link an owner of your organization gave you.");
        }
        return value.strip();
    }

    private static String sentence(String message) {
        String first = message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1);
        return first.endsWith(".") ? first : first + ".";
    }
}
