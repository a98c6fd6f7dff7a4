package com.xentracker.portal.audit;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.access.Action;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.Accounts;
import com.xentracker.server.audit.AuditEntry;
import com.xentracker.server.audit.AuditPage;
import com.xentracker.server.audit.AuditTrail;
import com.xentracker.server.audit.ChainVerification;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code GET /audit}: the organization's audit log, newest first, filtered by account, action, subject person and
 * period, {@value #PAGE_SIZE} entries a page with a link to older ones: who did what, and who viewed whose data.
 * {@code GET /audit/verify}: verifies the log's hash chain and shows where it breaks. Owners and auditors; the server
 * decides on every request and audit-logs each view and verification (and, for the account names, the account list).
 */
public final class AuditLog {

    static final int PAGE_SIZE = 50;

    private final AuditTrail trail;
    private final Accounts accounts;
    private final PortalSessions sessions;

    private AuditLog(AuditTrail trail, Accounts accounts, PortalSessions sessions) {
        this.trail = trail;
        this.accounts = accounts;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        AuditLog page = new AuditLog(services.audit(), services.accounts(), sessions);
        routes.get(PortalPaths.AUDIT, page::show);
        routes.get(PortalPaths.AUDIT_VERIFY, page::verify);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        AuditFilter filter = AuditFilter.of(ctx);
        Optional<Long> before = AuditFilter.before(ctx);
        // the log first: a role that may not read it is refused (and recorded) for that, not for the account list
        AuditPage page = trail.search(signedIn.get().actor(), filter.query(PAGE_SIZE, before));
        List<Account> known = accounts.list(signedIn.get().actor());
        Map<UUID, String> emails = known.stream().collect(Collectors.toMap(Account::id, Account::email));
        String actor = filter.actor().map(UUID::toString).orElse("");
        String action = filter.action().orElse("");
        Pages.render(ctx, HttpStatus.OK, "audit.jte", new AuditLogPage(
                signedIn.get().frame("Audit log", Section.AUDIT),
                new AuditLogPage.Filters(actor, action, filter.person().map(UUID::toString).orElse(""),
                        filter.from().map(Object::toString).orElse(""), filter.to().map(Object::toString).orElse("")),
                known.stream().map(account -> new AuditLogPage.Choice(account.id().toString(), account.email(),
                        account.id().toString().equals(actor))).toList(),
                Arrays.stream(Action.values()).map(Action::auditName).sorted()
                        .map(name -> new AuditLogPage.Choice(name, name, name.equals(action))).toList(),
                page.entries().stream().map(entry -> row(entry, emails)).toList(),
                page.next().map(next -> filter.href(Optional.of(next))),
                before.map(b -> filter.href(Optional.empty())),
                signedIn.get().actor().may(Action.VERIFY_AUDIT_TRAIL) ? Optional.of(PortalPaths.AUDIT_VERIFY)
                        : Optional.empty()));
    }

    private void verify(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        // The server reads the whole chain with its key, checks the role and records the result.
        ChainVerification verification = trail.verify(signedIn.get().actor());
        Pages.render(ctx, HttpStatus.OK, "audit-verify.jte", new VerificationPage(
                signedIn.get().frame("Audit log verification", Section.AUDIT),
                verification.intact(), verification.breakCount(), verification.entries(),
                verification.firstSequence().map(first -> first + " to " + verification.lastSequence().orElseThrow())
                        .orElse("none"),
                verification.headSequence(), verification.headHash(),
                verification.breaks().stream().map(found -> new VerificationPage.BreakRow(found.sequence(),
                        AuditText.kind(found.kind()), found.kind().name(),
                        found.entry().map(UUID::toString).orElse(""), found.detail())).toList(),
                verification.breakCount() - verification.breaks().size()));
    }

    private static AuditLogPage.Row row(AuditEntry entry, Map<UUID, String> emails) {
        return new AuditLogPage.Row(entry.sequence(), AuditText.time(entry.occurredAt()),
                AuditText.machine(entry.occurredAt()), AuditText.actor(entry.actorKind(), entry.actorAccount(), emails),
                entry.action(), entry.subject().person().map(UUID::toString).orElse(""),
                entry.subject().device().map(UUID::toString).orElse(""), AuditText.details(entry.subject()),
                AuditText.outcome(entry.outcome()), AuditText.outcomeClass(entry.outcome()));
    }
}
