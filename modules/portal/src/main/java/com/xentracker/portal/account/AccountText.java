package com.xentracker.portal.account;

import com.xentracker.server.access.Role;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.AccountLink;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the accounts pages name roles, states, links and times. Times are in UTC, and say so. */
final class AccountText {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("d MMM uuuu, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private AccountText() {
    }

    static String role(Role role) {
        return switch (role) {
            case OWNER -> "Owner";
            case ADMIN -> "Administrator";
            case AUDITOR -> "Auditor";
            case VIEWER -> "Viewer";
            case SELF -> "Self-service";
        };
    }

    /** What a role may do, for the invite form (the server's matrix, {@code Action}, decides). */
    static String roleDescription(Role role) {
        return switch (role) {
            case OWNER -> "everything, including accounts, retention, keys and these settings";
            case ADMIN -> "devices, enrollment, people, groups, the collection policy and categories";
            case AUDITOR -> "reads usage, people, devices, settings, accounts and the audit log; changes nothing";
            case VIEWER -> "usage of the groups it is given, individuals only where a group allows it";
            case SELF -> "one person's own data only; created from that person's page";
        };
    }

    static String status(Account.Status status) {
        return switch (status) {
            case INVITED -> "Invited";
            case ACTIVE -> "Active";
            case DISABLED -> "Disabled";
        };
    }

    static String purpose(AccountLink.Purpose purpose) {
        return switch (purpose) {
            case INVITATION -> "invitation";
            case PASSWORD_RESET -> "password reset";
        };
    }

    static String day(Instant instant) {
        return DAY.format(instant);
    }

    static String exact(Instant instant) {
        return EXACT.format(instant);
    }

    /** For {@code <time datetime>}. */
    static String machine(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
