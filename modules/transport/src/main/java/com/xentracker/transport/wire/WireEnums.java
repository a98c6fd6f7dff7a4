package com.xentracker.transport.wire;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reading enum names sent by a peer that may be newer than this version.
 *
 * <p>A name that looks like an enum constant ({@code UPPER_SNAKE_CASE}) but is not one of ours came from a newer
 * peer: the caller maps it to a neutral value instead of rejecting the whole message (a batch that can never be
 * decoded would block the agent's upload queue for good). Anything else is malformed. Error messages never quote the
 * value: it could be personal data in the wrong field.
 */
final class WireEnums {

    private static final Pattern CONSTANT_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

    private WireEnums() {}

    /** Throws when {@code name} cannot be an enum constant's name at all. */
    static String requireName(String name, String field) {
        if (name == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        if (!CONSTANT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("field '" + field + "' is not an UPPER_SNAKE_CASE name");
        }
        return name;
    }

    /** The constant named {@code name}; empty when this version does not know it (a newer peer's value). */
    static <E extends Enum<E>> Optional<E> known(Class<E> type, String name) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }

    /** Throws a clear message when a required DTO field is absent or null. */
    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return value;
    }
}
