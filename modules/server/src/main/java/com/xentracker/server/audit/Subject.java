package com.xentracker.server.audit;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What an audit entry is about: the person and the device whose data was viewed or changed, if one, and a short text
 * naming anything else by id (an account, a group, a token, a period). Never personal data beyond identifiers: the
 * audit log outlives the data it describes.
 */
public record Subject(Optional<UUID> person, Optional<UUID> device, String text) {

    /** As long as a subject's text may be. */
    public static final int MAX_TEXT = 1000;

    private static final Subject NONE = new Subject(Optional.empty(), Optional.empty(), "");

    public Subject {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("an audit subject has at most " + MAX_TEXT + " characters");
        }
    }

    public static Subject none() {
        return NONE;
    }

    public static Subject of(String text) {
        return new Subject(Optional.empty(), Optional.empty(), text);
    }

    public static Subject person(UUID person) {
        return new Subject(Optional.of(person), Optional.empty(), "person " + person);
    }

    public static Subject device(UUID device) {
        return new Subject(Optional.empty(), Optional.of(device), "device " + device);
    }

    /** The same subject with more text after what it says. */
    public Subject and(String more) {
        String joined = text.isEmpty() ? more : text + "; " + more;
        return new Subject(person, device, joined.length() > MAX_TEXT ? joined.substring(0, MAX_TEXT) : joined);
    }
}
