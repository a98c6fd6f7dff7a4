package com.xentracker.portal.audit;

import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.ChainBreak;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** How the audit pages put the server's audit types into words. */
final class AuditText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private AuditText() {
    }

    /** A time as the table shows it, in UTC to the second. */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** A time for {@code <time datetime>}. */
    static String machine(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * Who acted. An account by its e-mail address as it is now; one deleted since is named by its id, which is all
     * the log keeps.
     */
    static String actor(ActorKind kind, Optional<UUID> account, Map<UUID, String> emails) {
        Optional<String> named = account.map(id -> emails.getOrDefault(id, "deleted account " + id));
        return switch (kind) {
            case ACCOUNT -> named.orElse("an account");
            case OPERATOR -> "operator (command line)";
            case DEVICE -> "a device";
            case SYSTEM -> "the server";
            case ANONYMOUS -> named.map(name -> name + " (not signed in)").orElse("someone not signed in");
        };
    }

    /**
     * What an entry's subject says beyond the person and device ids it names, which the table has columns for (the
     * server writes them as {@code person <id>} and {@code device <id>}, parts joined by {@code "; "}).
     */
    static String details(Subject subject) {
        Set<String> shown = new HashSet<>();
        subject.person().ifPresent(id -> shown.add("person " + id));
        subject.device().ifPresent(id -> shown.add("device " + id));
        return Arrays.stream(subject.text().split("; ")).filter(part -> !shown.contains(part))
                .collect(Collectors.joining("; "));
    }

    static String outcome(Outcome outcome) {
        return switch (outcome) {
            case SUCCESS -> "Done";
            case DENIED -> "Refused";
            case FAILED -> "Failed";
        };
    }

    /** The CSS class of an outcome (also what tests look for). */
    static String outcomeClass(Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    static String kind(ChainBreak.Kind kind) {
        return switch (kind) {
            case EDITED -> "Edited";
            case MOVED -> "Moved";
            case MISSING -> "Missing";
            case LINK_BROKEN -> "Link broken";
            case CHECKPOINT_MISSING -> "Checkpoint missing";
            case CHECKPOINT_INVALID -> "Checkpoint forged";
            case CHECKPOINT_MISMATCH -> "Rewritten before checkpoint";
            case HEAD_MISMATCH -> "Head does not match";
            case UNCHAINED -> "Not chained yet";
        };
    }
}
