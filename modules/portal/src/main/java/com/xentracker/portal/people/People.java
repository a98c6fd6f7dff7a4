package com.xentracker.portal.people;

import com.xentracker.portal.chart.DayBars;
import com.xentracker.portal.chart.DayTimeline;
import com.xentracker.portal.chart.TimeLabels;
import com.xentracker.portal.page.FormErrors;
import com.xentracker.portal.page.Pages;
import com.xentracker.portal.page.PortalException;
import com.xentracker.portal.page.PortalPaths;
import com.xentracker.portal.page.PortalRoutes;
import com.xentracker.portal.page.Section;
import com.xentracker.portal.session.PortalSessions;
import com.xentracker.portal.session.SignedIn;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.people.DeviceAccount;
import com.xentracker.server.people.Group;
import com.xentracker.server.people.ListedPerson;
import com.xentracker.server.people.PeopleFilter;
import com.xentracker.server.people.PeopleListing;
import com.xentracker.server.people.Person;
import com.xentracker.server.people.PersonActivity;
import com.xentracker.server.people.PersonActivity.TimelineGap;
import com.xentracker.server.people.PersonActivity.TimelineSpan;
import com.xentracker.server.spi.ServerServices;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The people pages.
 * <ul>
 *   <li>{@code GET /people?q=&group=}: the people (search by name or login, filter by group), each with their
 *       groups, device accounts and last active day, linking to their page; every device account with the person
 *       behind it and, for owners and administrators, the form that maps it to someone else.</li>
 *   <li>{@code POST /people/assign}: maps a device account to an existing or a new person (the server moves that
 *       account's stored spans and rollups with it); a mistake shows the list again (400) with the message beside
 *       the field in that account's form and what was chosen or typed kept.</li>
 *   <li>{@code GET /people/person?id=&day=&period=}: one person's day timeline (the organization's zone; 23 or 25
 *       hours on daylight-saving days), previous/next day, totals per day over 7, 30 or 90 days, top applications and
 *       sites, devices. Without {@code day}: today in the organization's zone.</li>
 *   <li>{@code POST /people/rename}; {@code GET}/{@code POST /people/merge} and {@code /people/delete}: a
 *       confirmation page that says what will happen, then the change.</li>
 * </ul>
 * The server checks every role, scopes what a viewer sees (individuals only in groups granted with individual detail)
 * and audit-logs every view and change (viewing a person's page with that person as the subject); the portal shows
 * the forms only to roles the server would let act.
 */
public final class People {

    /** As the server checks it: a person's name has between 1 and 200 characters. */
    static final int MAX_NAME_LENGTH = 200;
    /** The assign form's fields. */
    static final String PERSON_FIELD = "personId";
    static final String NEW_NAME_FIELD = "newPersonName";
    /** Longer than this cannot be an OS user of a device; not worth a round trip. */
    private static final int MAX_OS_USER_LENGTH = 256;
    /** The periods a person's page offers, in days; the first is the default. */
    static final List<Integer> PERIODS = List.of(7, 30, 90);
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss xxx",
            Locale.ENGLISH);

    private final com.xentracker.server.people.People people;
    private final PortalSessions sessions;

    private People(com.xentracker.server.people.People people, PortalSessions sessions) {
        this.people = people;
        this.sessions = sessions;
    }

    public static void install(PortalRoutes routes, ServerServices services, PortalSessions sessions) {
        People page = new People(services.people(), sessions);
        routes.get(PortalPaths.PEOPLE, page::list);
        routes.post(PortalPaths.PEOPLE_ASSIGN, page::assign);
        routes.get(PortalPaths.PERSON, page::person);
        routes.post(PortalPaths.PEOPLE_RENAME, page::rename);
        routes.get(PortalPaths.PEOPLE_MERGE, page::confirmMerge);
        routes.post(PortalPaths.PEOPLE_MERGE, page::merge);
        routes.get(PortalPaths.PEOPLE_DELETE, page::confirmDelete);
        routes.post(PortalPaths.PEOPLE_DELETE, page::delete);
    }

    // --- the list

    private void list(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        String search = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
        if (search.length() > PeopleFilter.MAX_TEXT) {
            throw PortalException.badRequest("A search has at most " + PeopleFilter.MAX_TEXT + " characters.");
        }
        String groupField = Optional.ofNullable(ctx.queryParam("group")).orElse("").strip();
        Optional<UUID> group = groupField.isEmpty() ? Optional.empty() : Optional.of(uuid(groupField,
                "Choose a group."));
        renderList(ctx, signedIn.get(), search, group, HttpStatus.OK, Optional.empty());
    }

    /**
     * The list, with {@code attempt} shown in its account's assign form when a post was refused: what was chosen or
     * typed, and the message beside its field.
     */
    private void renderList(Context ctx, SignedIn signedIn, String search, Optional<UUID> group, HttpStatus status,
            Optional<PeoplePage.Attempt> attempt) {
        Actor actor = signedIn.actor();
        // The server scopes the people to what the actor may see, refuses a group it may not and audit-logs it.
        PeopleListing listing = people.find(actor, PeopleFilter.of(search, group));
        Map<UUID, Person> byId = directoryById(listing);
        Map<UUID, String> groupNames = listing.groups().stream()
                .collect(Collectors.toMap(Group::id, Group::name));
        var accounts = listing.directory().accounts().stream().map(account -> row(account, byId)).toList();
        var rows = listing.matches().stream().map(listed -> personRow(listed, groupNames, byId)).toList();
        var choices = listing.directory().people().stream()
                .map(person -> new PeoplePage.Choice(person.id().toString(), person.displayName()))
                .toList();
        var groups = listing.groups().stream()
                .map(g -> new PeoplePage.Choice(g.id().toString(), g.name())).toList();
        Pages.render(ctx, status, "people.jte", new PeoplePage(
                signedIn.frame("People", Section.PEOPLE), search, group.map(UUID::toString).orElse(""), groups,
                !search.isEmpty() || group.isPresent(), rows, accounts, choices, actor.may(Action.ASSIGN_PERSON),
                signedIn.csrfToken(), attempt));
    }

    private static Map<UUID, Person> directoryById(PeopleListing listing) {
        return listing.directory().people().stream().collect(Collectors.toMap(Person::id, Function.identity()));
    }

    private static PeoplePage.PersonRow personRow(ListedPerson listed, Map<UUID, String> groupNames,
            Map<UUID, Person> byId) {
        Person person = listed.person();
        return new PeoplePage.PersonRow(person.id().toString(), person.displayName(), person.login().orElse(""),
                listed.groups().stream().map(groupNames::get).filter(name -> name != null).toList(),
                listed.accounts().stream().map(account -> row(account, byId)).toList(),
                listed.lastActive().map(PersonText::date).orElse(""));
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
        String typedName = Optional.ofNullable(ctx.formParam("newPersonName")).orElse("");
        String newName = typedName.strip();
        FormErrors errors = FormErrors.none();
        Optional<UUID> person = Optional.empty();
        if (personField.isEmpty() == newName.isEmpty()) {
            errors = FormErrors.of(PERSON_FIELD, "Choose a person or type a new person's name (one of them).");
        } else if (newName.length() > MAX_NAME_LENGTH) {
            errors = FormErrors.of(NEW_NAME_FIELD, "A person's name has at most " + MAX_NAME_LENGTH + " characters.");
        } else if (!personField.isEmpty()) {
            try {
                person = Optional.of(UUID.fromString(personField));
            } catch (IllegalArgumentException e) {
                errors = FormErrors.of(PERSON_FIELD, "Choose a person.");
            }
        }
        if (!errors.any()) {
            try {
                // The server checks the role, that the account and person are the organization's, and audit-logs it.
                if (person.isEmpty()) {
                    people.assignToNewPerson(signedIn.get().actor(), deviceId, osUser, newName);
                } else {
                    people.assign(signedIn.get().actor(), deviceId, osUser, person.get());
                }
            } catch (InvalidRequestException refused) {
                errors = FormErrors.of(refused, Map.of(), person.isEmpty() ? NEW_NAME_FIELD : PERSON_FIELD);
            }
        }
        if (errors.any()) {
            // the list again, the mistake beside its field in this account's form, what was chosen or typed kept
            renderList(ctx, signedIn.get(), "", Optional.empty(), HttpStatus.BAD_REQUEST, Optional.of(
                    new PeoplePage.Attempt(deviceId.toString(), osUser, personField, typedName, errors)));
            return;
        }
        Pages.redirect(ctx, PortalPaths.PEOPLE);
    }

    // --- one person

    /** Which day and period a request asks for. */
    private record View(UUID person, Optional<LocalDate> day, int period) {

        static View of(String idParameter, String dayParameter, String periodParameter,
                Function<String, String> parameter) {
            UUID person = uuid(parameter.apply(idParameter), "Choose a person.");
            String dayField = Optional.ofNullable(parameter.apply(dayParameter)).orElse("").strip();
            Optional<LocalDate> day;
            try {
                day = dayField.isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(dayField));
            } catch (DateTimeParseException e) {
                throw PortalException.badRequest("A day is written like 2026-11-29.");
            }
            String periodField = Optional.ofNullable(parameter.apply(periodParameter)).orElse("").strip();
            int period = periodField.isEmpty() ? PERIODS.get(0) : PERIODS.stream()
                    .filter(days -> Integer.toString(days).equals(periodField)).findFirst()
                    .orElseThrow(() -> PortalException.badRequest("Choose a period of 7, 30 or 90 days."));
            return new View(person, day, period);
        }
    }

    private void person(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        View view = View.of("id", "day", "period", ctx::queryParam);
        renderPerson(ctx, signedIn.get(), view, HttpStatus.OK, "", Optional.empty());
    }

    private void renderPerson(Context ctx, SignedIn signedIn, View view, HttpStatus status, String renameError,
            Optional<String> renameValue) {
        Actor actor = signedIn.actor();
        // One use case, one audit entry (the person as its subject); the server decides whether the actor may see
        // this person at all (a viewer only in its groups granted with individual detail: otherwise "not found").
        PersonActivity activity = view.day()
                .map(day -> people.activity(actor, view.person(), day, day.minusDays(view.period() - 1L), day))
                .orElseGet(() -> people.activityUntilToday(actor, view.person(), view.period()));
        UUID id = activity.person().id();
        PersonPage page = PersonPageModel.of(activity, view.period(), signedIn.frame(
                        activity.person().displayName(), Section.PEOPLE), actor.may(Action.RENAME_PERSON),
                actor.may(Action.MERGE_PEOPLE), actor.may(Action.DELETE_PERSON), renameError,
                renameValue.orElse(activity.person().displayName()), signedIn.csrfToken(),
                (day, period) -> PersonPageModel.href(id, day, period), false, PortalPaths.PERSON,
                actor.may(Action.INVITE_SELF_ACCOUNT));
        Pages.render(ctx, status, "person.jte", page);
    }

    private void rename(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        View view = View.of("personId", "day", "period", ctx::formParam);
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("");
        String stripped = name.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_NAME_LENGTH) {
            // shown beside the field, the page as it was (a view of the person, audit-logged as such)
            renderPerson(ctx, signedIn.get(), view, HttpStatus.BAD_REQUEST,
                    "A name has between 1 and " + MAX_NAME_LENGTH + " characters.", Optional.of(name));
            return;
        }
        try {
            people.rename(signedIn.get().actor(), view.person(), stripped);
        } catch (InvalidRequestException e) {
            renderPerson(ctx, signedIn.get(), view, HttpStatus.BAD_REQUEST, sentence(e.getMessage()),
                    Optional.of(name));
            return;
        }
        Pages.redirect(ctx, PersonPageModel.href(view.person(), view.day(), view.period()));
    }

    private Optional<ListedPerson> listed(Actor actor, UUID person) {
        return people.find(actor, PeopleFilter.everyone()).matches().stream()
                .filter(listed -> listed.person().id().equals(person)).findFirst();
    }

    private void confirmMerge(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        UUID id = uuid(ctx.queryParam("person"), "Choose a person.");
        // Read through the audited listing: the actor's own organization's people, as far as it may see them.
        PeopleListing listing = people.find(signedIn.get().actor(), PeopleFilter.everyone());
        Person person = listing.matches().stream().map(ListedPerson::person).filter(p -> p.id().equals(id))
                .findFirst().orElseThrow(() -> PortalException.notFound("The organization has no such person."));
        var choices = listing.directory().people().stream().filter(p -> !p.id().equals(id))
                .map(p -> new PeoplePage.Choice(p.id().toString(), p.displayName() + p.login().map(l -> " (" + l
                        + ")").orElse(""))).toList();
        Pages.render(ctx, HttpStatus.OK, "person-merge.jte", new MergePage(
                signedIn.get().frame("Merge " + person.displayName() + "?", Section.PEOPLE), id.toString(),
                person.displayName(), person.login().orElse(""), choices, signedIn.get().csrfToken()));
    }

    private void merge(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        UUID id = uuid(ctx.formParam("personId"), "Choose a person.");
        UUID into = uuid(ctx.formParam("intoId"), "Choose whom to merge into.");
        if (id.equals(into)) {
            throw PortalException.badRequest("Choose another person to merge into.");
        }
        // The server checks the role, that both are the organization's, and audit-logs it.
        people.merge(signedIn.get().actor(), id, into);
        Pages.redirect(ctx, PersonPageModel.href(into, Optional.empty(), PERIODS.get(0)));
    }

    private void confirmDelete(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        UUID id = uuid(ctx.queryParam("person"), "Choose a person.");
        ListedPerson listed = listed(signedIn.get().actor(), id)
                .orElseThrow(() -> PortalException.notFound("The organization has no such person."));
        Person person = listed.person();
        Pages.render(ctx, HttpStatus.OK, "person-delete.jte", new DeletePersonPage(
                signedIn.get().frame("Delete " + person.displayName() + "?", Section.PEOPLE), id.toString(),
                person.displayName(), person.login().orElse(""),
                listed.accounts().stream().map(account -> account.hostname() + " · " + account.osUser()).toList(),
                listed.lastActive().map(PersonText::date).orElse(""), signedIn.get().csrfToken()));
    }

    private void delete(Context ctx) {
        Optional<SignedIn> signedIn = sessions.currentOrSignIn(ctx);
        if (signedIn.isEmpty()) {
            return;
        }
        sessions.requireCsrf(ctx, signedIn.get());
        UUID id = uuid(ctx.formParam("personId"), "Choose a person.");
        // The server checks the role, that the person is the organization's, deletes their data and audit-logs it.
        people.delete(signedIn.get().actor(), id);
        Pages.redirect(ctx, PortalPaths.PEOPLE);
    }

    private static PeoplePage.AccountRow row(DeviceAccount account, Map<UUID, Person> people) {
        Optional<Person> person = account.person().map(people::get);
        return new PeoplePage.AccountRow(account.deviceId().toString(), account.hostname(), account.osUser(),
                person.map(p -> p.id().toString()).orElse(""), person.map(Person::displayName).orElse(""));
    }

    /** The server's messages are lower-case clauses; beside a field stands a sentence. */
    private static String sentence(String message) {
        String text = message == null || message.isEmpty() ? "The name was refused" : message;
        String first = text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
        return first.endsWith(".") ? first : first + ".";
    }

    static UUID uuid(String value, String message) {
        try {
            return UUID.fromString(Optional.ofNullable(value).orElse("").strip());
        } catch (IllegalArgumentException e) {
            throw PortalException.badRequest(message);
        }
    }

    /** Builds {@link PersonPage} from what the server read. */
    /** The address of the page showing another day or period. */
    @FunctionalInterface
    interface Hrefs {
        String href(Optional<LocalDate> day, int period);
    }

    /**
     * A self-service account's own page, {@code person.jte} without links to other people's pages and without
     * forms; its links go to {@link PortalPaths#ME}.
     */
    public static PersonPage ownPage(PersonActivity activity, int period, com.xentracker.portal.page.Frame frame,
            String csrfToken) {
        return PersonPageModel.of(activity, period, frame, false, false, false, "", activity.person().displayName(),
                csrfToken, (day, days) -> PortalPaths.ME + "?" + day.map(d -> "day=" + d + "&").orElse("")
                        + "period=" + days, true, PortalPaths.ME, false);
    }

    /** The periods a person's page offers, in days; the first is the default. */
    public static List<Integer> periods() {
        return PERIODS;
    }

    static final class PersonPageModel {

        private PersonPageModel() {
        }

        static String href(UUID person, Optional<LocalDate> day, int period) {
            return PortalPaths.PERSON + "?id=" + person + day.map(d -> "&day=" + d).orElse("")
                    + (period == PERIODS.get(0) ? "" : "&period=" + period);
        }

        static PersonPage of(PersonActivity activity, int period, com.xentracker.portal.page.Frame frame,
                boolean canRename, boolean canMerge, boolean canDelete, String renameError, String renameValue,
                String csrfToken, Hrefs hrefs, boolean ownView, String dayForm, boolean canInviteSelf) {
            Person person = activity.person();
            UUID id = person.id();
            ZoneId zone = activity.zone();
            PersonActivity.DayTimeline day = activity.timeline();
            LocalDate date = day.day();
            boolean today = date.equals(activity.today());
            PersonPage.Day dayModel = new PersonPage.Day(date.toString(), PersonText.day(date),
                    PersonText.length(day.length()), zone.getId(),
                    hrefs.href(Optional.of(date.minusDays(1)), period),
                    date.isBefore(activity.today()) ? hrefs.href(Optional.of(date.plusDays(1)), period) : "",
                    today ? "" : hrefs.href(Optional.empty(), period));
            Map<UUID, String> hostnames = new LinkedHashMap<>();
            activity.devices().forEach(device -> hostnames.putIfAbsent(device.id(), device.hostname()));
            day.spans().forEach(span -> hostnames.putIfAbsent(span.deviceId(), "device " + shortId(span.deviceId())));
            day.gaps().forEach(gap -> hostnames.putIfAbsent(gap.deviceId(), "device " + shortId(gap.deviceId())));
            Optional<DayTimeline> chart = day.spans().isEmpty() && day.gaps().isEmpty() ? Optional.empty()
                    : Optional.of(chart(person, day, zone, hostnames));
            DateTimeFormatter clock = TimeLabels.clock(day.start(), day.end(), zone);
            List<PersonPage.SpanRow> rows = new ArrayList<>();
            record Timed(Instant start, PersonPage.SpanRow row) {
            }
            List<Timed> timed = new ArrayList<>();
            for (TimelineSpan span : day.spans()) {
                DayTimeline.Kind kind = PersonText.kind(span);
                timed.add(new Timed(span.start(), new PersonPage.SpanRow(hostnames.get(span.deviceId()),
                        clock.format(span.start().atZone(zone)), clock.format(span.end().atZone(zone)),
                        PersonText.duration(span.duration()), kind.label(), kind.cssClass(), PersonText.what(span),
                        span.category(), span.title().orElse(""), span.url().orElse(""))));
            }
            for (TimelineGap gap : day.gaps()) {
                timed.add(new Timed(gap.from(), new PersonPage.SpanRow(hostnames.get(gap.deviceId()),
                        clock.format(gap.from().atZone(zone)), clock.format(gap.to().atZone(zone)),
                        PersonText.duration(Duration.between(gap.from(), gap.to())), DayTimeline.Kind.GAP.label(),
                        DayTimeline.Kind.GAP.cssClass(), PersonText.gap(gap.reason()), "", "", "")));
            }
            timed.stream().sorted(Comparator.comparing(Timed::start)).forEach(t -> rows.add(t.row()));
            List<PersonPage.Legend> legend = java.util.Arrays.stream(DayTimeline.Kind.values())
                    .map(kind -> new PersonPage.Legend(kind.cssClass(), kind.label())).toList();
            Duration periodActive = activity.days().stream().map(PersonActivity.DayTotal::active)
                    .reduce(Duration.ZERO, Duration::plus);
            List<PersonPage.Link> lengths = PERIODS.stream().map(days -> new PersonPage.Link(days + " days",
                    hrefs.href(Optional.of(date), days), days == period)).toList();
            PersonPage.Period periodModel = new PersonPage.Period(PersonText.shortDay(activity.first()) + " – "
                    + PersonText.date(activity.last()) + " (" + period + " days)", period,
                    PersonText.duration(periodActive), lengths);
            DayBars bars = DayBars.of("Active time per day, " + periodModel.label(),
                    person.displayName() + "'s active time on each day of the period in hours, days in " + zone.getId()
                            + "; " + PersonText.duration(periodActive) + " in all. The table below has the same figures.",
                    activity.days().stream().map(total -> new DayBars.Day(PersonText.shortDay(total.day()),
                            PersonText.weekday(total.day()), total.active())).toList());
            List<PersonPage.DayRow> dayRows = activity.days().stream().map(total -> new PersonPage.DayRow(
                    PersonText.weekday(total.day()), hrefs.href(Optional.of(total.day()), period),
                    PersonText.duration(total.active()), PersonText.duration(total.idle()),
                    PersonText.duration(total.locked()), PersonText.length(total.length()))).toList();
            return new PersonPage(frame, id.toString(), person.displayName(), person.login().orElse(""),
                    activity.groups().stream().map(Group::name).toList(), dayModel, chart, legend, rows,
                    day.spans().stream().anyMatch(span -> span.title().isPresent()),
                    day.spans().stream().anyMatch(span -> span.url().isPresent()), day.truncated(), periodModel, bars,
                    dayRows, totals(activity.applications(), true), totals(activity.sites(), false),
                    activity.devices().stream().map(device -> new PersonPage.DeviceRow(device.id().toString(),
                            device.hostname(), device.osUser(), device.operatingSystem(), device.agentVersion(),
                            device.captureState().name(), PersonText.date(LocalDate.ofInstant(device.lastSeen(),
                                    zone)), EXACT.format(device.lastSeen().atZone(zone)), device.revoked())).toList(),
                    canRename, canMerge, canDelete, renameError, renameValue, csrfToken, ownView, dayForm,
                    canInviteSelf);
        }

        private static DayTimeline chart(Person person, PersonActivity.DayTimeline day, ZoneId zone,
                Map<UUID, String> hostnames) {
            List<DayTimeline.Lane> lanes = new ArrayList<>();
            for (Map.Entry<UUID, String> device : hostnames.entrySet()) {
                List<DayTimeline.Segment> segments = new ArrayList<>();
                day.spans().stream().filter(span -> span.deviceId().equals(device.getKey()))
                        .forEach(span -> segments.add(new DayTimeline.Segment(span.start(), span.end(),
                                PersonText.kind(span), PersonText.what(span) + (span.category().isEmpty() ? ""
                                        : " (" + span.category() + ")"))));
                day.gaps().stream().filter(gap -> gap.deviceId().equals(device.getKey()))
                        .forEach(gap -> segments.add(new DayTimeline.Segment(gap.from(), gap.to(),
                                DayTimeline.Kind.GAP, PersonText.gap(gap.reason()))));
                lanes.add(new DayTimeline.Lane(device.getKey().toString(), device.getValue(), segments));
            }
            String note = PersonText.length(day.length());
            return DayTimeline.of(person.displayName() + "'s " + PersonText.day(day.day()),
                    "What each device recorded from midnight to midnight in " + zone.getId() + ", one row per device"
                            + (note.isEmpty() ? "" : "; a " + note) + ". The table below lists the same spans.",
                    day.start(), day.end(), zone, lanes);
        }

        private static List<PersonPage.TotalRow> totals(List<PersonActivity.TimeSpent> totals,
                boolean applications) {
            long most = totals.stream().mapToLong(total -> total.active().toSeconds()).max().orElse(0);
            return totals.stream().map(total -> new PersonPage.TotalRow(applications
                    ? PersonText.application(total.name()) : total.name(), PersonText.duration(total.active()),
                    total.active().toSeconds(), most == 0 ? 0
                    : Math.round(1000.0 * total.active().toSeconds() / most) / 10.0)).toList();
        }

        private static String shortId(UUID id) {
            return id.toString().substring(0, 8);
        }
    }
}
