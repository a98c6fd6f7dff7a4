package com.xentracker.portal.people;

import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.Role;
import com.xentracker.server.admin.DataAdministration;
import com.xentracker.server.admin.DeviceDirectory;
import com.xentracker.server.admin.DeviceSummary;
import com.xentracker.server.admin.DeviceUser;
import com.xentracker.server.admin.Person;
import com.xentracker.server.audit.AuditLog;
import com.xentracker.server.spi.ServerServices;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /people}: the organization's people with the device accounts mapped to them, and every device account
 * with the person behind it. {@code POST /people/assign}: maps a device account to an existing or a new person
 * (the server moves that account's stored spans and rollups with it). Names, host names and OS users are personal
 * data: every view is audit-logged before it is shown, every change after it is made.
 */
public final class People {

    /** Audit action for a view of the people page. */
    static final String VIEW_PEOPLE = "view-people";
    /** Audit actions for changes, as the server names them; the portal's records add who did it. */
    static final String ASSIGN_PERSON = "assign-person";
    static final String CREATE_PERSON = "create-person";

    /** As the server checks it: a person's name has between 1 and 200 characters. */
    static final int MAX_NAME_LENGTH = 200;
    /** Longer than this cannot be an OS user of a device; not worth a database round trip. */
    private static final int MAX_OS_USER_LENGTH = 256;

    /** Auditors read reports only; owners and administrators manage devices and who is behind them. */
    private static final Set<Role> MAY_ASSIGN = Set.of(Role.OWNER, Role.ADMIN);

    private final DataAdministration data;
    private final DeviceDirectory directory;
    private final AuditLog audit;
    private final PortalSessions sessions;

    private People(DataAdministration data, DeviceDirectory directory, AuditLog audit, PortalSessions sessions) {
        this.data = data;
        this.directory = directory;
        this.audit = audit;
        this.sessions = sessions;
    }

    public static void install(RoutesConfig routes, ServerServices services, PortalSessions sessions) {
        People people = new People(services.data(), services.devices(), services.audit(), sessions);
        routes.get(PortalPaths.PEOPLE, people::show);
        routes.post(PortalPaths.PEOPLE_ASSIGN, people::assign);
    }

    private void show(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        Account account = signedIn.get().account();
        // Always the account's own organization: the organization never comes from the request.
        UUID organization = account.organizationId();
        List<Person> people = data.people(organization);
        List<DeviceUser> mapped = data.deviceUsers(organization);
        List<DeviceSummary> devices = directory.devices(organization);
        // Recorded before anything is shown: a view the audit log cannot record is not served.
        audit.record(organization, account.id(), VIEW_PEOPLE, "people");

        Map<UUID, Person> byId = people.stream().collect(Collectors.toMap(Person::id, Function.identity()));
        Map<UUID, DeviceSummary> deviceById =
                devices.stream().collect(Collectors.toMap(DeviceSummary::id, Function.identity()));
        Map<AccountKey, UUID> owners = mapped.stream().collect(Collectors.toMap(
                user -> new AccountKey(user.deviceId(), user.osUser()), DeviceUser::personId, (a, b) -> a));
        List<PeoplePage.AccountRow> accounts = accounts(devices, mapped).stream()
                .map(key -> row(key, deviceById, owners, byId))
                .sorted(Comparator.comparing(PeoplePage.AccountRow::hostname)
                        .thenComparing(PeoplePage.AccountRow::osUser)
                        .thenComparing(PeoplePage.AccountRow::deviceId))
                .toList();
        List<PeoplePage.PersonRow> personRows = people.stream()
                .map(person -> new PeoplePage.PersonRow(person.id().toString(), person.displayName(),
                        person.login().orElse(""), accounts.stream()
                                .filter(row -> row.personId().equals(person.id().toString()))
                                .toList()))
                .toList();
        List<PeoplePage.Choice> choices = people.stream()
                .map(person -> new PeoplePage.Choice(person.id().toString(), person.displayName()))
                .toList();
        Pages.render(ctx, HttpStatus.OK, "people.jte", new PeoplePage(
                signedIn.get().frame("People", Section.PEOPLE), personRows, accounts, choices,
                MAY_ASSIGN.contains(account.role()), signedIn.get().csrfToken()));
    }

    private void assign(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        Account account = signedIn.get().account();
        if (!MAY_ASSIGN.contains(account.role())) {
            throw PortalException.forbidden("Only owners and administrators may change who is behind a device.");
        }
        UUID organization = account.organizationId();
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
        // Everything is checked before anything changes: a new person is not created for an account that
        // turns out to be unknown.
        if (!accounts(directory.devices(organization), data.deviceUsers(organization))
                .contains(new AccountKey(deviceId, osUser))) {
            throw PortalException.badRequest("The organization has no such device account.");
        }
        Optional<UUID> existing = Optional.empty();
        if (!personField.isEmpty()) {
            UUID personId = uuid(personField, "Choose a person.");
            if (data.people(organization).stream().noneMatch(person -> person.id().equals(personId))) {
                throw PortalException.badRequest("The organization has no such person.");
            }
            existing = Optional.of(personId);
        }
        try {
            UUID personId;
            if (existing.isPresent()) {
                personId = existing.get();
            } else {
                personId = data.createPerson(organization, newName).id();
                audit.record(organization, account.id(), CREATE_PERSON, "person " + personId);
            }
            data.assignPerson(organization, deviceId, osUser, personId);
            // Ids only: the OS user and the names are personal data, and the ids lead to them.
            audit.record(organization, account.id(), ASSIGN_PERSON,
                    "device " + deviceId + " account to person " + personId);
        } catch (NoSuchDeviceException | InvalidRequestException e) {
            // Deleted between the check above and the change (another administrator at the same time).
            throw PortalException.badRequest("The device account or the person no longer exists.");
        }
        Pages.redirect(ctx, PortalPaths.PEOPLE);
    }

    private record AccountKey(UUID deviceId, String osUser) {
    }

    /** Every device's enrolled OS account (mapped or not yet) and every mapped account, each once. */
    private static List<AccountKey> accounts(List<DeviceSummary> devices, List<DeviceUser> mapped) {
        Map<AccountKey, Boolean> keys = new LinkedHashMap<>();
        devices.forEach(device -> keys.put(new AccountKey(device.id(), device.osUser()), true));
        Set<UUID> deviceIds = devices.stream().map(DeviceSummary::id).collect(Collectors.toSet());
        mapped.stream()
                .filter(user -> deviceIds.contains(user.deviceId()))
                .forEach(user -> keys.put(new AccountKey(user.deviceId(), user.osUser()), true));
        return new ArrayList<>(keys.keySet());
    }

    private static PeoplePage.AccountRow row(AccountKey key, Map<UUID, DeviceSummary> devices,
            Map<AccountKey, UUID> owners, Map<UUID, Person> people) {
        Optional<Person> person = Optional.ofNullable(owners.get(key)).map(people::get);
        return new PeoplePage.AccountRow(key.deviceId().toString(), devices.get(key.deviceId()).hostname(),
                key.osUser(), person.map(p -> p.id().toString()).orElse(""),
                person.map(Person::displayName).orElse(""));
    }

    private static UUID uuid(String value, String message) {
        try {
            return UUID.fromString(Optional.ofNullable(value).orElse("").strip());
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest(message);
        }
    }
}
