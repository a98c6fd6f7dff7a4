package com.xentracker.portal.people;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.access.Action;
import com.xentracker.server.people.DeviceAccount;
import com.xentracker.server.people.PeopleDirectory;
import com.xentracker.server.people.Person;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /people}: the organization's people with the device accounts mapped to them, and every device account
 * with the person behind it. {@code POST /people/assign}: maps a device account to an existing or a new person (the
 * server moves that account's stored spans and rollups with it). The server checks the role, scopes what a viewer sees
 * and audit-logs every view and change; the portal shows the assign forms only to roles the server would let assign.
 */
public final class People {

    /** As the server checks it: a person's name has between 1 and 200 characters. */
    static final int MAX_NAME_LENGTH = 200;
    /** Longer than this cannot be an OS user of a device; not worth a round trip. */
    private static final int MAX_OS_USER_LENGTH = 256;

    private final com.xentracker.server.people.People people;
    private final PortalSessions sessions;

    private People(com.xentracker.server.people.People people, PortalSessions sessions) {
        this.people = people;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        People page = new People(services.people(), sessions);
        routes.get(PortalPaths.PEOPLE, page::show);
        routes.post(PortalPaths.PEOPLE_ASSIGN, page::assign);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        PeopleDirectory directory = people.directory(signedIn.get().actor());
        Map<UUID, Person> byId = directory.people().stream()
                .collect(Collectors.toMap(Person::id, Function.identity()));
        var accounts = directory.accounts().stream().map(account -> row(account, byId)).toList();
        var personRows = directory.people().stream()
                .map(person -> new PeoplePage.PersonRow(person.id().toString(), person.displayName(),
                        person.login().orElse(""), accounts.stream()
                                .filter(row -> row.personId().equals(person.id().toString()))
                                .toList()))
                .toList();
        var choices = directory.people().stream()
                .map(person -> new PeoplePage.Choice(person.id().toString(), person.displayName()))
                .toList();
        Pages.render(ctx, HttpStatus.OK, "people.jte", new PeoplePage(
                signedIn.get().frame("People", Section.PEOPLE), personRows, accounts, choices,
                signedIn.get().actor().may(Action.ASSIGN_PERSON), signedIn.get().csrfToken()));
    }

    private void assign(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        UUID deviceId = uuid(ctx.formParam("deviceId"), "Choose a device account.");
        String osUser = Optional.ofNullable(ctx.formParam("osUser")).orElse("");
        if (osUser.isEmpty() || osUser.length() > MAX_OS_USER_LENGTH) {
            throw PortalException.badRequest("Choose a device account.");
        }
        String personField = Optional.ofNullable(ctx.formParam("personId")).orElse("").strip();
        String newName = Optional.ofNullable(ctx.formParam("newPersonName")).orElse("").strip();
        if (personField.isEmpty() == newName.isEmpty()) {
            throw PortalException.badRequest("Choose a person or type a new person's name (one of them).");
        }
        if (newName.length() > MAX_NAME_LENGTH) {
            throw PortalException.badRequest("A person's name has at most " + MAX_NAME_LENGTH + " characters.");
        }
        // The server checks the role, that the account and person are the organization's, and audit-logs it.
        if (personField.isEmpty()) {
            people.assignToNewPerson(signedIn.get().actor(), deviceId, osUser, newName);
        } else {
            people.assign(signedIn.get().actor(), deviceId, osUser, uuid(personField, "Choose a person."));
        }
        Pages.redirect(ctx, PortalPaths.PEOPLE);
    }

    private static PeoplePage.AccountRow row(DeviceAccount account, Map<UUID, Person> people) {
        Optional<Person> person = account.person().map(people::get);
        return new PeoplePage.AccountRow(account.deviceId().toString(), account.hostname(), account.osUser(),
                person.map(p -> p.id().toString()).orElse(""), person.map(Person::displayName).orElse(""));
    }

    private static UUID uuid(String value, String message) {
        try {
            return UUID.fromString(Optional.ofNullable(value).orElse("").strip());
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest(message);
        }
    }
}
