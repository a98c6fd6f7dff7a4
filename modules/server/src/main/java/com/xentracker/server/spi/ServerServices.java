package com.xentracker.server.spi;

import com.xentracker.server.account.AccountLinks;
import com.xentracker.server.apitoken.ApiTokens;
import com.xentracker.server.account.Accounts;
import com.xentracker.server.account.OwnAccount;
import com.xentracker.server.account.Sessions;
import com.xentracker.server.account.SignIn;
import com.xentracker.server.audit.AuditTrail;
import com.xentracker.server.device.Devices;
import com.xentracker.server.device.EnrollmentTokens;
import com.xentracker.server.export.Exports;
import com.xentracker.server.organization.Organizations;
import com.xentracker.server.people.Groups;
import com.xentracker.server.people.People;
import com.xentracker.server.usage.UsageQueries;
import java.time.Clock;

/**
 * The server's use cases, as a {@link WebModule} reaches them. Apart from signing in, every one takes the acting
 * {@link com.xentracker.server.access.Actor} (from {@link Sessions#resolve}), and the server checks its role and
 * scope and writes one audit entry in the same transaction as the read or the change: a front end cannot skip the
 * check or the entry, and cannot write audit entries of its own. The organization always comes from the actor, never
 * from a request.
 */
public interface ServerServices {

    SignIn signIn();

    Sessions sessions();

    Accounts accounts();

    /** Setting a password with an owner's one-time link, before signing in (no actor: the link is the authority). */
    AccountLinks accountLinks();

    /** The signed-in account's own page: password, two-factor sign-in, recent sign-ins. */
    OwnAccount ownAccount();

    Organizations organizations();

    People people();

    /** Groups of people and the groups viewers are given. */
    Groups groups();

    Devices devices();

    EnrollmentTokens enrollmentTokens();

    UsageQueries usage();

    /** Reading the audit log (writing is the server's alone). */
    AuditTrail audit();

    /** CSV exports and access packages, streamed into a response. */
    Exports exports();

    /** The signed-in account's personal API tokens (for exports by script). */
    ApiTokens apiTokens();

    /** The server's clock, for labelling periods ("today"); the server itself decides what it stores when. */
    Clock clock();
}
