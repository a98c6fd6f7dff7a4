package com.xentracker.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.SignIn;
import com.xentracker.server.audit.AuditQuery;
import com.xentracker.core.policy.RedactionRule;
import com.xentracker.server.export.Dataset;
import com.xentracker.server.export.ExportFilter;
import com.xentracker.server.export.ExportRequest;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.NewCategoryRule;
import com.xentracker.server.organization.Productivity;
import com.xentracker.server.organization.Organization;
import com.xentracker.server.organization.OrganizationSettings;
import com.xentracker.server.organization.RetentionSettings;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.usage.DayRange;
import com.xentracker.server.usage.Period;
import com.xentracker.server.usage.UsageFilter;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The role × action matrix, run: every action an account can invoke, as every role, on its own organization and on
 * another organization's ids. Allowed → done, and one audit entry SUCCESS in the actor's organization; refused →
 * {@link NotPermittedException} and one entry DENIED; another organization's ids → "unknown" (404) for allowed roles,
 * refused for the others; the other organization is never changed and never gets an entry. The matrix itself is
 * {@link Action}; {@link #everyInvocableActionIsRunHere()} makes sure no action is left out.
 */
class ActionMatrixTest {

    @RegisterExtension
    static final ServerFixture server = new ServerFixture(Instant.parse("2026-09-14T08:30:00Z"));

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** What a use case acts on, in one organization. */
    private interface Targets {
        UUID person();

        /** Another person than {@link #person()} (what a merge needs two of). */
        UUID otherPerson();

        UUID device();

        UUID group();

        UUID token();

        UUID category();

        UUID rule();

        UUID account(Role role);

        UUID disabledAccount();
    }

    /** Fresh things in one organization, made by its operator when asked for. */
    private record Fresh(Organization organization) implements Targets {

        Actor operator() {
            return server.operator(organization.id());
        }

        @Override
        public UUID person() {
            return services().people().create(operator(), "Person " + next()).id();
        }

        @Override
        public UUID otherPerson() {
            return person();
        }

        @Override
        public UUID device() {
            return server.enroll(organization).id();
        }

        @Override
        public UUID group() {
            return services().groups().create(operator(), "Group " + next()).id();
        }

        @Override
        public UUID token() {
            return services().enrollmentTokens().issue(operator(), "Token " + next(), Duration.ofHours(1), 1).id();
        }

        @Override
        public UUID category() {
            return services().organizations().createCategory(operator(), "Category " + next()).id();
        }

        @Override
        public UUID rule() {
            return services().organizations().addCategoryRule(operator(), category(), CategoryRule.Kind.APPLICATION,
                    "app-" + next()).id();
        }

        @Override
        public UUID account(Role role) {
            return server.server().administration().createAccount(organization.id(),
                    "target-" + next() + "@example.org", PASSWORD.clone(), role).id();
        }

        @Override
        public UUID disabledAccount() {
            UUID account = account(Role.AUDITOR);
            services().accounts().disable(operator(), account);
            return account;
        }

        /**
         * The same things, all made now: a call on another organization's ids must find them there already, or
         * making them inside the call would change that organization before the call itself could.
         */
        Targets prepared() {
            UUID person = person();
            UUID otherPerson = person();
            UUID device = device();
            UUID group = group();
            UUID token = token();
            UUID category = category();
            UUID rule = rule();
            UUID auditor = account(Role.AUDITOR);
            UUID viewer = account(Role.VIEWER);
            UUID disabled = disabledAccount();
            return new Targets() {
                @Override
                public UUID person() {
                    return person;
                }

                @Override
                public UUID otherPerson() {
                    return otherPerson;
                }

                @Override
                public UUID device() {
                    return device;
                }

                @Override
                public UUID group() {
                    return group;
                }

                @Override
                public UUID token() {
                    return token;
                }

                @Override
                public UUID category() {
                    return category;
                }

                @Override
                public UUID rule() {
                    return rule;
                }

                @Override
                public UUID account(Role role) {
                    return role == Role.VIEWER ? viewer : auditor;
                }

                @Override
                public UUID disabledAccount() {
                    return disabled;
                }
            };
        }
    }

    /** One action's use case; {@code targets} are the own organization's or another's. */
    @FunctionalInterface
    private interface Call {
        void run(Actor actor, Targets targets);
    }

    /** How an action is invoked, and whether it names something that can belong to another organization. */
    private record Invocation(Call call, boolean targeted) {
    }

    private static final Map<Action, Invocation> INVOCATIONS = new EnumMap<>(Action.class);

    private static void untargeted(Action action, Call call) {
        INVOCATIONS.put(action, new Invocation(call, false));
    }

    private static void targeted(Action action, Call call) {
        INVOCATIONS.put(action, new Invocation(call, true));
    }

    static {
        // own account: fresh sessions (see runOwnAccount)
        untargeted(Action.SIGN_OUT, (actor, t) -> { });
        untargeted(Action.VIEW_OWN_ACCOUNT, (actor, t) -> services().ownAccount().view(actor));
        untargeted(Action.CHANGE_OWN_PASSWORD, (actor, t) -> services().ownAccount().changePassword(actor,
                PASSWORD.clone(), "another long enough password".toCharArray()));
        untargeted(Action.BEGIN_TWO_FACTOR_SETUP, (actor, t) -> services().ownAccount().beginTwoFactorSetup(actor));
        untargeted(Action.CONFIRM_TWO_FACTOR, (actor, t) -> services().ownAccount().confirmTwoFactor(actor,
                Authenticator.fromBase32(services().ownAccount().beginTwoFactorSetup(actor).secret())
                        .codeAt(server.clock().instant())));
        untargeted(Action.DISABLE_TWO_FACTOR, (actor, t) -> services().ownAccount().disableTwoFactor(actor,
                recoveryCode(actor)));
        untargeted(Action.REGENERATE_RECOVERY_CODES, (actor, t) -> services().ownAccount()
                .regenerateRecoveryCodes(actor, recoveryCode(actor)));
        // reads
        untargeted(Action.VIEW_USAGE, (actor, t) -> services().usage().overview(actor, UsageFilter.of(
                DayRange.of(LocalDate.of(2026, 9, 13), LocalDate.of(2026, 9, 14)))));
        // a person's usage; another organization's person is unknown
        targeted(Action.VIEW_INDIVIDUAL_USAGE, (actor, t) -> services().usage().applications(actor,
                UsageFilter.of(Period.lastDays(7)).ofPerson(t.person())));
        untargeted(Action.VIEW_PEOPLE, (actor, t) -> services().people().directory(actor));
        untargeted(Action.VIEW_DEVICES, (actor, t) -> services().devices().list(actor));
        untargeted(Action.VIEW_GROUPS, (actor, t) -> services().groups().list(actor));
        untargeted(Action.VIEW_ENROLLMENT_TOKENS, (actor, t) -> services().enrollmentTokens().list(actor));
        untargeted(Action.VIEW_SETTINGS, (actor, t) -> services().organizations().settings(actor));
        untargeted(Action.VIEW_ACCOUNTS, (actor, t) -> services().accounts().list(actor));
        untargeted(Action.VIEW_AUDIT_LOG, (actor, t) -> services().audit().search(actor, AuditQuery.newest(10)));
        untargeted(Action.VERIFY_AUDIT_TRAIL, (actor, t) -> services().audit().verify(actor));
        // exports and tokens
        targeted(Action.EXPORT_DATA, (actor, t) -> services().exports().export(actor, ExportRequest.of(
                Dataset.SPANS, ExportFilter.ofPerson(t.person())), (file, type) -> OutputStream.nullOutputStream()));
        untargeted(Action.EXPORT_AUDIT_LOG, (actor, t) -> services().exports().export(actor, ExportRequest.of(
                Dataset.AUDIT, ExportFilter.none()), (file, type) -> OutputStream.nullOutputStream()));
        targeted(Action.EXPORT_ACCESS_PACKAGE, (actor, t) -> services().exports().accessPackage(actor, t.person(),
                (file, type) -> OutputStream.nullOutputStream()));
        untargeted(Action.VIEW_API_TOKENS, (actor, t) -> services().apiTokens().list(actor));
        // a self-service account's own: no id to give, so nothing of another organization to name
        untargeted(Action.VIEW_OWN_ACTIVITY, (actor, t) -> services().people().ownActivityUntilToday(actor, 7));
        untargeted(Action.VIEW_OWN_DATA_ACCESSES, (actor, t) -> services().audit().ownDataAccesses(actor,
                Optional.empty(), 50));
        untargeted(Action.EXPORT_OWN_ACCESS_PACKAGE, (actor, t) -> services().exports().ownAccessPackage(actor,
                (file, type) -> OutputStream.nullOutputStream()));
        targeted(Action.INVITE_SELF_ACCOUNT, (actor, t) -> services().accounts().inviteSelf(actor, t.person(),
                "self-" + next() + "@example.org"));
        untargeted(Action.CREATE_API_TOKEN, (actor, t) -> services().apiTokens().create(actor, "Script " + next(),
                Duration.ofDays(1)));
        // one's own token (another organization's token ids are tried in ApiTokenTest)
        untargeted(Action.REVOKE_API_TOKEN, (actor, t) -> services().apiTokens().revoke(actor,
                actor.may(Action.CREATE_API_TOKEN) ? services().apiTokens().create(actor, "Revoked " + next(),
                        Duration.ofDays(1)).token().id() : UUID.randomUUID()));
        // people, groups, devices, enrollment
        untargeted(Action.CREATE_PERSON, (actor, t) -> services().people().create(actor, "Someone " + next()));
        targeted(Action.ASSIGN_PERSON, (actor, t) -> services().people().assign(actor, t.device(), "alice",
                t.person()));
        targeted(Action.DELETE_PERSON, (actor, t) -> services().people().delete(actor, t.person()));
        targeted(Action.VIEW_PERSON, (actor, t) -> services().people().activity(actor, t.person(),
                java.time.LocalDate.parse("2026-09-14"), java.time.LocalDate.parse("2026-09-08"),
                java.time.LocalDate.parse("2026-09-14")));
        targeted(Action.RENAME_PERSON, (actor, t) -> services().people().rename(actor, t.person(),
                "Renamed person " + next()));
        targeted(Action.MERGE_PEOPLE, (actor, t) -> services().people().merge(actor, t.person(), t.otherPerson()));
        untargeted(Action.CREATE_GROUP, (actor, t) -> services().groups().create(actor, "New group " + next()));
        targeted(Action.RENAME_GROUP, (actor, t) -> services().groups().rename(actor, t.group(), "Renamed " + next()));
        targeted(Action.DELETE_GROUP, (actor, t) -> services().groups().delete(actor, t.group()));
        targeted(Action.ADD_GROUP_MEMBER, (actor, t) -> services().groups().addMember(actor, t.group(), t.person()));
        targeted(Action.REMOVE_GROUP_MEMBER, (actor, t) -> services().groups().removeMember(actor, t.group(),
                t.person()));
        targeted(Action.REVOKE_DEVICE, (actor, t) -> services().devices().revoke(actor, t.device()));
        targeted(Action.DELETE_DEVICE, (actor, t) -> services().devices().delete(actor, t.device()));
        untargeted(Action.ISSUE_ENROLLMENT_TOKEN, (actor, t) -> services().enrollmentTokens().issue(actor, "New",
                Duration.ofHours(1), 1));
        targeted(Action.REVOKE_ENROLLMENT_TOKEN, (actor, t) -> services().enrollmentTokens().revoke(actor,
                t.token()));
        // settings
        untargeted(Action.UPDATE_COLLECTION_POLICY, (actor, t) -> services().organizations().updatePolicy(actor,
                CollectionPolicy.defaults()));
        untargeted(Action.CREATE_CATEGORY, (actor, t) -> services().organizations().createCategory(actor,
                "New category " + next()));
        targeted(Action.ADD_CATEGORY_RULE, (actor, t) -> services().organizations().addCategoryRule(actor,
                t.category(), CategoryRule.Kind.DOMAIN, "site-" + next() + ".example"));
        targeted(Action.DELETE_CATEGORY_RULE, (actor, t) -> services().organizations().deleteCategoryRule(actor,
                t.rule()));
        untargeted(Action.UPDATE_RETENTION, (actor, t) -> services().organizations().updateRetention(actor,
                RetentionSettings.DEFAULTS));
        untargeted(Action.ROTATE_ORGANIZATION_KEY, (actor, t) -> services().organizations().rotateKey(actor));
        untargeted(Action.UPDATE_ORGANIZATION_SETTINGS, (actor, t) -> services().organizations().updateSettings(
                actor, new OrganizationSettings("Matrix organization", ZoneId.of("Europe/Berlin"), false, 5, 24,
                        true)));
        untargeted(Action.PREVIEW_TITLE_REDACTION, (actor, t) -> services().organizations().previewRedaction(actor,
                List.of(RedactionRule.of("\\d+", "#")), "Invoice 2026 for ACME"));
        untargeted(Action.TEST_CATEGORY_RULE, (actor, t) -> services().organizations().testCategoryRule(actor,
                NewCategoryRule.of(CategoryRule.Kind.DOMAIN, "example.com")));
        untargeted(Action.PREVIEW_RETENTION_CHANGE, (actor, t) -> services().organizations().retentionImpact(actor,
                new RetentionSettings(30, 12, 365)));
        targeted(Action.UPDATE_CATEGORY, (actor, t) -> services().organizations().updateCategory(actor,
                t.category(), "Renamed category " + next(), Productivity.PRODUCTIVE));
        targeted(Action.DELETE_CATEGORY, (actor, t) -> services().organizations().deleteCategory(actor,
                t.category()));
        targeted(Action.MOVE_CATEGORY_RULE, (actor, t) -> services().organizations().moveCategoryRule(actor,
                t.rule(), true));
        targeted(Action.RATE_CATEGORIES_FOR_GROUP, (actor, t) -> services().organizations().rateCategoriesForGroup(
                actor, t.group(), Map.of(t.category(), Productivity.UNPRODUCTIVE)));
        // accounts (owners)
        untargeted(Action.INVITE_ACCOUNT, (actor, t) -> services().accounts().invite(actor,
                "invited-" + next() + "@example.org", Role.VIEWER));
        targeted(Action.CHANGE_ACCOUNT_ROLE, (actor, t) -> services().accounts().changeRole(actor,
                t.account(Role.AUDITOR), Role.VIEWER));
        targeted(Action.DISABLE_ACCOUNT, (actor, t) -> services().accounts().disable(actor, t.account(Role.AUDITOR)));
        targeted(Action.ENABLE_ACCOUNT, (actor, t) -> services().accounts().enable(actor, t.disabledAccount()));
        targeted(Action.DELETE_ACCOUNT, (actor, t) -> services().accounts().delete(actor, t.account(Role.AUDITOR)));
        targeted(Action.RESET_ACCOUNT_PASSWORD, (actor, t) -> services().accounts().resetPassword(actor,
                t.account(Role.AUDITOR)));
        targeted(Action.END_ACCOUNT_SESSIONS, (actor, t) -> services().accounts().endSessions(actor,
                t.account(Role.AUDITOR)));
        targeted(Action.GRANT_VIEWER_GROUP, (actor, t) -> services().groups().grantViewer(actor, t.group(),
                t.account(Role.VIEWER), false));
        targeted(Action.REVOKE_VIEWER_GROUP, (actor, t) -> services().groups().revokeViewer(actor, t.group(),
                t.account(Role.VIEWER)));
    }

    private static ServerServices services() {
        return server.services();
    }

    private static int next() {
        return COUNTER.incrementAndGet();
    }

    /** Turns two-factor sign-in on for {@code actor}'s account and returns one of its recovery codes. */
    private static String recoveryCode(Actor actor) {
        var setup = services().ownAccount().beginTwoFactorSetup(actor);
        return services().ownAccount().confirmTwoFactor(actor,
                Authenticator.fromBase32(setup.secret()).codeAt(server.clock().instant())).codes().get(0);
    }

    private static SignIn.SignedIn signIn(Organization organization, Role role) {
        String email = role.name().toLowerCase() + "-" + next() + "@example.org";
        if (role == Role.SELF) {
            // a self-service account belongs to a person of its own
            UUID person = services().people().create(server.operator(organization.id()), "Self " + next()).id();
            server.server().administration().createSelfAccount(organization.id(), person, email, PASSWORD.clone());
        } else {
            server.server().administration().createAccount(organization.id(), email, PASSWORD.clone(), role);
        }
        return (SignIn.SignedIn) services().signIn().withPassword(email, PASSWORD.clone(), "127.0.0.1");
    }

    /** What could change in an organization, as one comparable text. */
    private static String state(Organization organization) {
        List<String> facts = new ArrayList<>();
        for (String sql : List.of(
                "SELECT count(*) FROM people WHERE organization_id = ?",
                "SELECT count(*) FROM groups WHERE organization_id = ?",
                "SELECT count(*) FROM group_members WHERE organization_id = ?",
                "SELECT count(*) FROM viewer_grants WHERE organization_id = ?",
                "SELECT count(*) FROM devices WHERE organization_id = ?",
                "SELECT count(*) FROM devices WHERE organization_id = ? AND revoked_at IS NOT NULL",
                "SELECT count(*) FROM device_users WHERE organization_id = ?",
                "SELECT count(*) FROM enrollment_tokens WHERE organization_id = ?",
                "SELECT count(*) FROM enrollment_tokens WHERE organization_id = ? AND revoked_at IS NOT NULL",
                "SELECT count(*) FROM categories WHERE organization_id = ?",
                "SELECT count(*) FROM category_rules WHERE organization_id = ?",
                "SELECT coalesce(sum(priority), 0) FROM category_rules WHERE organization_id = ?",
                "SELECT count(*) FROM categories WHERE organization_id = ? AND name LIKE 'Renamed%'",
                "SELECT count(*) FROM category_group_ratings WHERE organization_id = ?",
                "SELECT count(*) FROM settings_history WHERE organization_id = ?",
                "SELECT count(*) FROM accounts WHERE organization_id = ?",
                "SELECT count(*) FROM accounts WHERE organization_id = ? AND status = 'ACTIVE'",
                "SELECT count(*) FROM accounts WHERE organization_id = ? AND role = 'VIEWER'",
                "SELECT count(*) FROM accounts WHERE organization_id = ? AND password_hash IS NULL",
                "SELECT count(*) FROM sessions WHERE organization_id = ?",
                "SELECT count(*) FROM retired_organization_keys WHERE organization_id = ?",
                "SELECT policy_version FROM organizations WHERE id = ?",
                "SELECT count(*) FROM audit_log WHERE organization_id = ?")) {
            facts.add(Long.toString(server.count(sql, organization.id())));
        }
        return String.join(" ", facts);
    }

    private static long entries(Organization organization, Action action, String outcome) {
        return server.count("SELECT count(*) FROM audit_log WHERE organization_id = ? AND action = ? AND outcome = ?",
                organization.id(), action.auditName(), outcome);
    }

    @Test
    void everyInvocableActionIsRunHere() {
        Set<Action> invocable = Arrays.stream(Action.values()).filter(Action::invocable).collect(Collectors.toSet());

        assertThat(INVOCATIONS.keySet()).as("a new action needs its row in this matrix").isEqualTo(invocable);
    }

    @TestFactory
    Stream<DynamicTest> everyActionAsEveryRoleOnItsOwnAndAnotherOrganization() {
        Organization mine = server.newOrganization();
        Organization theirs = server.newOrganization();
        // both with self-service on: a self-service account is refused by its role, not by the setting
        for (Organization organization : List.of(mine, theirs)) {
            var organizations = services().organizations();
            Actor operator = server.operator(organization.id());
            organizations.updateSettings(operator, organizations.settings(operator).withSelfService(true));
        }
        Fresh own = new Fresh(mine);
        Fresh others = new Fresh(theirs);
        Map<Role, Actor> actors = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            actors.put(role, signIn(mine, role).actor());
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Action action : INVOCATIONS.keySet()) {
            for (Role role : Role.values()) {
                Invocation invocation = INVOCATIONS.get(action);
                boolean ownAccount = action.kind() == Action.Kind.OWN_ACCOUNT;
                tests.add(DynamicTest.dynamicTest(action.auditName() + " as " + role + " in its organization", () -> {
                    // own-account actions change the account or end the session: each gets a fresh one
                    SignIn.SignedIn fresh = ownAccount ? signIn(mine, role) : null;
                    Actor actor = ownAccount ? fresh.actor() : actors.get(role);
                    boolean allowed = actor.may(action);
                    long successes = entries(mine, action, "SUCCESS");
                    long denials = entries(mine, action, "DENIED");
                    String theirsBefore = state(theirs);
                    if (action == Action.SIGN_OUT) {
                        services().sessions().close(fresh.sessionToken());
                        assertThat(services().sessions().resolve(fresh.sessionToken())).isEmpty();
                    } else if (allowed) {
                        invocation.call().run(actor, own);
                    } else {
                        assertThatThrownBy(() -> invocation.call().run(actor, own))
                                .isInstanceOf(NotPermittedException.class);
                    }
                    assertThat(entries(mine, action, allowed ? "SUCCESS" : "DENIED"))
                            .as("one %s entry", allowed ? "SUCCESS" : "DENIED")
                            .isEqualTo((allowed ? successes : denials) + 1);
                    assertThat(state(theirs)).as("the other organization").isEqualTo(theirsBefore);
                }));
                if (invocation.targeted()) {
                    tests.add(DynamicTest.dynamicTest(action.auditName() + " as " + role
                            + " on another organization's ids", () -> {
                        Actor actor = actors.get(role);
                        boolean allowed = actor.may(action);
                        long refusals = entries(mine, action, allowed ? "FAILED" : "DENIED");
                        // the other organization's things exist before the call, so only the call can change them
                        Targets prepared = others.prepared();
                        String theirsBefore = state(theirs);
                        try {
                            invocation.call().run(actor, prepared);
                            fail("%s as %s reached another organization", action, role);
                        } catch (XentrackerServerException e) {
                            if (allowed) {
                                assertThat(e.code().status()).as(e.toString()).isEqualTo(404);
                            } else {
                                assertThat(e).isInstanceOf(NotPermittedException.class);
                            }
                        }
                        assertThat(state(theirs)).as("the other organization").isEqualTo(theirsBefore);
                        assertThat(entries(mine, action, allowed ? "FAILED" : "DENIED")).isEqualTo(refusals + 1);
                        assertThat(server.count("SELECT count(*) FROM audit_log WHERE organization_id = ?"
                                + " AND actor_account_id = ?", theirs.id(), actor.accountId().orElseThrow()))
                                .as("no entry of this actor in the other organization").isZero();
                    }));
                }
            }
        }
        return tests.stream();
    }
}
