package com.xentracker.portal.settings;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.portal.page.FormErrors;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.access.Action;
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.organization.RedactionPreview;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The collection policy tab. {@code GET /settings/policy} shows the policy (owners, administrators and auditors);
 * {@code POST /settings/policy} saves the whole form as the next policy version (owners and administrators), which
 * agents pick up with their next upload; {@code POST /settings/policy/preview} shows the page again as posted, with
 * the sample title through the redaction rules as they stand in the form, saving nothing. Both posts keep what was
 * typed and show each mistake beside its field.
 */
final class PolicySettings {

    private static final String SAVED = "saved";

    private final Organizations organizations;
    private final PortalSessions sessions;

    private PolicySettings(Organizations organizations, PortalSessions sessions) {
        this.organizations = organizations;
        this.sessions = sessions;
    }

    static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        PolicySettings page = new PolicySettings(services.organizations(), sessions);
        routes.get(PortalPaths.SETTINGS_POLICY, page::show);
        routes.post(PortalPaths.SETTINGS_POLICY, page::save);
        routes.post(PortalPaths.SETTINGS_POLICY_PREVIEW, page::preview);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        CollectionPolicy policy = organizations.policy(signedIn.get().actor());
        ZoneId zone = organizations.settings(signedIn.get().actor()).timeZone();
        render(ctx, HttpStatus.OK, signedIn.get(), PolicyForm.of(policy, zone), policy.version(),
                SAVED.equals(ctx.queryParam("done")) ? Optional.of("The policy was saved as version "
                        + policy.version() + ". Agents apply it from their next upload on.") : Optional.empty(),
                FormErrors.none(), Optional.empty());
    }

    private void render(Context ctx, HttpStatus status, SignedIn signedIn, PolicyForm form, long version,
            Optional<String> notice, FormErrors errors, Optional<PolicyPage.Preview> preview) {
        Pages.render(ctx, status, "settings-policy.jte", new PolicyPage(signedIn.frame("Collection policy",
                Section.SETTINGS), form, version, signedIn.actor().may(Action.UPDATE_COLLECTION_POLICY),
                Settings.zones(form.workingHoursZone()), signedIn.csrfToken(), notice, errors, preview));
    }

    private void save(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        PolicyForm form = PolicyForm.of(ctx, organizations.settings(signedIn.get().actor()).timeZone());
        PolicyForm.Result<CollectionPolicy> policy = form.policy();
        if (policy.errors().any()) {
            refuse(ctx, signedIn.get(), form, policy.errors(), Optional.empty());
            return;
        }
        try {
            // the server checks the role (owners and administrators), validates, versions and audit-logs
            organizations.updatePolicy(signedIn.get().actor(), policy.value());
        } catch (InvalidRequestException refused) {
            refuse(ctx, signedIn.get(), form, FormErrors.of(refused, PolicyForm.SERVER_FIELDS, PolicyForm.IDLE),
                    Optional.empty());
            return;
        }
        Pages.redirect(ctx, PortalPaths.SETTINGS_POLICY + "?done=" + SAVED);
    }

    private void preview(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        PolicyForm form = PolicyForm.of(ctx, organizations.settings(signedIn.get().actor()).timeZone());
        PolicyForm.Result<List<RedactionRule>> rules = form.rules();
        if (rules.errors().any()) {
            refuse(ctx, signedIn.get(), form, rules.errors(), Optional.empty());
            return;
        }
        RedactionPreview preview;
        try {
            preview = organizations.previewRedaction(signedIn.get().actor(), rules.value(), form.sample());
        } catch (InvalidRequestException refused) {
            refuse(ctx, signedIn.get(), form, FormErrors.of(refused, PolicyForm.SERVER_FIELDS, PolicyForm.SAMPLE),
                    Optional.empty());
            return;
        }
        long version = organizations.policy(signedIn.get().actor()).version();
        render(ctx, HttpStatus.OK, signedIn.get(), form, version, Optional.empty(), FormErrors.none(),
                Optional.of(new PolicyPage.Preview(preview.sample(), preview.steps(), preview.stored(),
                        preview.reason())));
    }

    private void refuse(Context ctx, SignedIn signedIn, PolicyForm form, FormErrors errors,
            Optional<PolicyPage.Preview> preview) {
        long version = organizations.policy(signedIn.actor()).version();
        render(ctx, HttpStatus.BAD_REQUEST, signedIn, form, version, Optional.empty(), errors, preview);
    }
}
