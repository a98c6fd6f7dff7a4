package com.xentracker.portal.groups;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.Accounts;
import com.xentracker.server.people.GroupMember;
import com.xentracker.server.people.People;
import com.xentracker.server.people.Person;
import com.xentracker.server.people.ViewerGrant;
import com.xentracker.server.people.VisibleGroup;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * {@code GET /groups}: the groups the signed-in account may see, with their sizes; their members where it may see
 * individuals, their viewer grants where it may see accounts. Owners and administrators get the forms to create,
 * rename, delete (after a confirmation page, {@code GET /groups/delete?group=…}) and change members; owners the forms
 * to give viewer accounts a group and take it back. Every form posts its CSRF token; the server checks the role, the
 * ids (the actor's organization only) and audit-logs every view and change.
 */
public final class Groups {

    /** At this size or below (not empty) a group's totals come close to one person's usage; the grant form says so. */
    private static final int SMALL_GROUP = 2;

    private final com.xentracker.server.people.Groups groups;
    private final People people;
    private final Accounts accounts;
    private final PortalSessions sessions;

    private Groups(com.xentracker.server.people.Groups groups, People people, Accounts accounts,
            PortalSessions sessions) {
        this.groups = groups;
        this.people = people;
        this.accounts = accounts;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        Groups page = new Groups(services.groups(), services.people(), services.accounts(), sessions);
        routes.get(PortalPaths.GROUPS, page::show);
        routes.get(PortalPaths.GROUPS_DELETE, page::confirmDelete);
        routes.post(PortalPaths.GROUPS_CREATE, ctx -> page.change(ctx, (actor, form) -> {
            UUID created = page.groups.create(actor, form.text("name")).id();
            Pages.redirect(ctx, anchor(created));
        }));
        routes.post(PortalPaths.GROUPS_RENAME, ctx -> page.change(ctx, (actor, form) -> {
            UUID group = form.uuid("groupId", "Choose a group.");
            page.groups.rename(actor, group, form.text("name"));
            Pages.redirect(ctx, anchor(group));
        }));
        routes.post(PortalPaths.GROUPS_DELETE, ctx -> page.change(ctx, (actor, form) -> {
            page.groups.delete(actor, form.uuid("groupId", "Choose a group."));
            Pages.redirect(ctx, PortalPaths.GROUPS);
        }));
        routes.post(PortalPaths.GROUPS_ADD_MEMBER, ctx -> page.change(ctx, (actor, form) -> {
            UUID group = form.uuid("groupId", "Choose a group.");
            page.groups.addMember(actor, group, form.uuid("personId", "Choose a person to add."));
            Pages.redirect(ctx, anchor(group));
        }));
        routes.post(PortalPaths.GROUPS_REMOVE_MEMBER, ctx -> page.change(ctx, (actor, form) -> {
            UUID group = form.uuid("groupId", "Choose a group.");
            page.groups.removeMember(actor, group, form.uuid("personId", "Choose a person to remove."));
            Pages.redirect(ctx, anchor(group));
        }));
        routes.post(PortalPaths.GROUPS_GRANT, ctx -> page.change(ctx, (actor, form) -> {
            UUID group = form.uuid("groupId", "Choose a group.");
            page.groups.grantViewer(actor, group, form.uuid("accountId", "Choose a viewer account."),
                    form.checked("individualDetail"));
            Pages.redirect(ctx, anchor(group));
        }));
        routes.post(PortalPaths.GROUPS_REVOKE, ctx -> page.change(ctx, (actor, form) -> {
            UUID group = form.uuid("groupId", "Choose a group.");
            page.groups.revokeViewer(actor, group, form.uuid("accountId", "Choose an account."));
            Pages.redirect(ctx, anchor(group));
        }));
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Actor actor = signedIn.get().actor();
        GroupsPage.Forms forms = new GroupsPage.Forms(actor.may(Action.CREATE_GROUP), actor.may(Action.RENAME_GROUP),
                actor.may(Action.DELETE_GROUP), actor.may(Action.ADD_GROUP_MEMBER),
                actor.may(Action.REMOVE_GROUP_MEMBER), actor.may(Action.GRANT_VIEWER_GROUP),
                actor.may(Action.REVOKE_VIEWER_GROUP));
        // The server decides what the actor sees of each group (a viewer: its own groups, members only with
        // individual detail) and audit-logs each read. The people and accounts to pick from are read only for the
        // forms that need them.
        List<VisibleGroup> visible = groups.list(actor);
        List<Person> everyone = forms.addMember() ? people.directory(actor).people() : List.of();
        List<Account> viewers = forms.grant() ? accounts.list(actor).stream()
                .filter(account -> account.role() == Role.VIEWER).toList() : List.of();
        Pages.render(ctx, HttpStatus.OK, "groups.jte", new GroupsPage(signedIn.get().frame("Groups", Section.GROUPS),
                forms, visible.stream().map(group -> row(group, everyone, viewers)).toList(),
                signedIn.get().csrfToken()));
    }

    private static GroupsPage.GroupRow row(VisibleGroup group, List<Person> everyone, List<Account> viewers) {
        List<GroupMember> members = group.members().orElse(List.of());
        Set<UUID> memberIds = members.stream().map(GroupMember::personId).collect(Collectors.toSet());
        List<ViewerGrant> grants = group.grants().orElse(List.of());
        Set<UUID> granted = grants.stream().map(ViewerGrant::accountId).collect(Collectors.toSet());
        return new GroupsPage.GroupRow(group.group().id().toString(), group.group().name(), group.size(),
                group.members().isPresent(),
                members.stream().map(member -> new GroupsPage.Choice(member.personId().toString(),
                        member.displayName())).toList(),
                everyone.stream().filter(person -> !memberIds.contains(person.id()))
                        .map(person -> new GroupsPage.Choice(person.id().toString(), person.displayName())).toList(),
                group.grants().isPresent(),
                grants.stream().map(grant -> new GroupsPage.GrantRow(grant.accountId().toString(), grant.email(),
                        grant.individualDetail(), grant.inEffect(), words(grant.role()))).toList(),
                viewers.stream().filter(account -> !granted.contains(account.id()))
                        .map(account -> new GroupsPage.Choice(account.id().toString(), account.email()
                                + (account.status() == Account.Status.ACTIVE ? ""
                                        : " (" + account.status().name().toLowerCase(Locale.ROOT) + ")")))
                        .toList(),
                group.size() > 0 && group.size() <= SMALL_GROUP);
    }

    private void confirmDelete(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        UUID id = Form.parseUuid(ctx.queryParam("group"), "Choose a group.");
        // the group as the server shows it to this account: an id it may not see is not found
        VisibleGroup group = groups.list(signedIn.get().actor()).stream()
                .filter(candidate -> candidate.group().id().equals(id)).findFirst()
                .orElseThrow(() -> PortalException.notFound("There is no such group."));
        Pages.render(ctx, HttpStatus.OK, "group-delete.jte", new DeleteGroupPage(
                signedIn.get().frame("Delete group", Section.GROUPS), id.toString(), group.group().name(),
                group.size(), group.grants().map(List::size).orElse(-1),
                signedIn.get().actor().may(Action.DELETE_GROUP), signedIn.get().csrfToken()));
    }

    /** A form post: signed in (else to the sign-in page), the session's CSRF token, then the change. */
    private void change(Context ctx, BiConsumer<Actor, Form> change) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        change.accept(signedIn.get().actor(), new Form(ctx));
    }

    private static String anchor(UUID group) {
        return PortalPaths.GROUPS + "#group-" + group;
    }

    private static String words(Role role) {
        return switch (role) {
            case OWNER -> "an owner";
            case ADMIN -> "an administrator";
            case AUDITOR -> "an auditor";
            case VIEWER -> "a viewer";
            case SELF -> "a self-service account";
        };
    }

    /** A posted form's fields as the use cases take them; what the server checks anyway is left to it. */
    private record Form(Context ctx) {

        String text(String field) {
            return Optional.ofNullable(ctx.formParam(field)).orElse("");
        }

        boolean checked(String field) {
            return "yes".equals(ctx.formParam(field));
        }

        UUID uuid(String field, String message) {
            return parseUuid(ctx.formParam(field), message);
        }

        static UUID parseUuid(String value, String message) {
            try {
                return UUID.fromString(Optional.ofNullable(value).orElse("").strip());
            } catch (IllegalArgumentException e) {
                throw PortalException.badRequest(message);
            }
        }
    }
}
