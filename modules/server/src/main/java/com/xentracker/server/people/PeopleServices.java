package com.xentracker.server.people;

import com.xentracker.server.access.Guard;
import java.time.Clock;

/** The people concept as the server wires it. Made once by the server; front ends get the interfaces only. */
public final class PeopleServices {

    private final DatabasePeople people;
    private final DatabaseGroups groups;

    private PeopleServices(Guard guard, Clock clock) {
        this.people = new DatabasePeople(guard, clock);
        this.groups = new DatabaseGroups(guard, clock);
    }

    public static PeopleServices create(Guard guard, Clock clock) {
        return new PeopleServices(guard, clock);
    }

    public People people() {
        return people;
    }

    public Groups groups() {
        return groups;
    }
}
