package com.xentracker.portal.reports;

import com.xentracker.server.usage.Coverage;
import com.xentracker.server.usage.Team;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Model of {@code reports/filters.jte}: the period links (keeping the group and person), and a GET form for a custom
 * range, a group and a person (the people only for accounts that may see individuals). Works without JavaScript.
 *
 * @param action   the page the form is sent to
 * @param days     the days shown, for people
 * @param zone     the organization's zone those days are in
 * @param people   empty when the account may not filter by person
 * @param clearHref the page without group and person, when either is set
 * @param hidden    fields the form keeps as they are
 */
public record Filters(String action, List<Link> periods, List<Option> periodOptions, String from, String to,
        List<Option> groups, List<Option> people, boolean byPerson, String days, String zone,
        Optional<String> clearHref, List<Hidden> hidden) {

    public Filters {
        periods = List.copyOf(periods);
        periodOptions = List.copyOf(periodOptions);
        groups = List.copyOf(groups);
        people = List.copyOf(people);
        hidden = List.copyOf(hidden);
    }

    /** The same without the person filter (a page that lists people itself). */
    Filters withoutPeople() {
        return new Filters(action, periods, periodOptions, from, to, groups, List.of(), false, days, zone,
                Optional.empty(), hidden);
    }

    /** A link of the period selector. */
    public record Link(String label, String href, boolean current) {
    }

    /** An option of a select. */
    public record Option(String value, String label, boolean selected) {
    }

    /** A field the form sends back as it is. */
    public record Hidden(String name, String value) {
    }

    /** @param extra name and value pairs the links and the form keep (hidden fields), e.g. what a list is of */
    static Filters of(String path, ReportRequest request, Coverage coverage, String... extra) {
        List<Link> periods = Arrays.stream(PeriodChoice.values()).filter(c -> c != PeriodChoice.CUSTOM)
                .map(choice -> new Link(choice.label(), request.withChoice(choice).href(path, extra),
                        choice == request.choice()))
                .toList();
        List<Hidden> hidden = new ArrayList<>();
        for (int i = 0; i + 1 < extra.length; i += 2) {
            hidden.add(new Hidden(extra[i], extra[i + 1]));
        }
        List<Option> periodOptions = Arrays.stream(PeriodChoice.values())
                .map(choice -> new Option(choice.parameter(), choice.label(), choice == request.choice())).toList();
        List<Option> groups = new ArrayList<>();
        groups.add(new Option("", coverage.wholeOrganization() ? "Whole organization" : "All my groups",
                request.group().isEmpty()));
        for (Team team : coverage.teams()) {
            groups.add(new Option(team.id().toString(), team.name() + " (" + team.size() + ")",
                    request.group().filter(team.id()::equals).isPresent()));
        }
        List<Option> people = new ArrayList<>();
        if (!coverage.people().isEmpty()) {
            people.add(new Option("", "Everyone", request.person().isEmpty()));
            coverage.people().forEach(person -> people.add(new Option(person.id().toString(), person.displayName(),
                    request.person().filter(person.id()::equals).isPresent())));
        }
        Optional<String> clear = request.group().isPresent() || request.person().isPresent()
                ? Optional.of(request.withGroup(Optional.empty()).withPerson(Optional.empty()).href(path, extra))
                : Optional.empty();
        return new Filters(path, periods, periodOptions,
                request.choice() == PeriodChoice.CUSTOM ? coverage.days().first().toString() : "",
                request.choice() == PeriodChoice.CUSTOM ? coverage.days().last().toString() : "",
                groups, people, !people.isEmpty(), Labels.days(coverage.days()), coverage.zone().getId(), clear,
                hidden);
    }
}
