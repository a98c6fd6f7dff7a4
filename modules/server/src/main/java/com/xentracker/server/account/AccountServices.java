package com.xentracker.server.account;

import com.xentracker.server.access.Action;
import com.xentracker.server.access.Guard;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.MasterKey;
import com.xentracker.server.crypto.PasswordHasher;
import com.xentracker.server.crypto.SecretTokens;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The account concept as the server wires it: sign-in, sessions and account management over the database, and what
 * only the host's operator may do (create an organization's first owner with a password). Made once by the server;
 * front ends get the interfaces through {@link com.xentracker.server.spi.ServerServices}, never this object.
 */
public final class AccountServices {

    /** Long enough to resist guessing without a second factor; a generated one is longer. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    private final Jdbi jdbi;
    private final Guard guard;
    private final DatabaseAccounts accounts;
    private final DatabaseAccountLinks links;
    private final DatabaseSessions sessions;
    private final DatabaseSignIn signIn;
    private final DatabaseOwnAccount ownAccount;

    private AccountServices(Jdbi jdbi, Guard guard, PasswordHasher hasher, SecretTokens tokens, MasterKey masterKey,
            SecureRandom random, Supplier<URI> linkBase, Clock clock) {
        this.jdbi = jdbi;
        this.guard = guard;
        this.links = new DatabaseAccountLinks(jdbi, guard, hasher, tokens, linkBase, clock);
        this.accounts = new DatabaseAccounts(guard, hasher, links, clock);
        this.sessions = new DatabaseSessions(jdbi, guard, tokens, clock);
        SecondFactors secondFactors = new SecondFactors(masterKey, random, clock);
        this.signIn = new DatabaseSignIn(jdbi, guard, hasher, sessions, secondFactors, tokens, clock);
        this.ownAccount = new DatabaseOwnAccount(jdbi, guard, hasher, secondFactors, clock);
    }

    /**
     * @param masterKey seals the accounts' TOTP secrets, bound to each account's id
     * @param linkBase  the server's address, where one-time links ({@link AccountLink}) point: the address the server
     *                  was configured to be reached at (its public host name and port), never one taken from a
     *                  request
     */
    public static AccountServices create(Jdbi jdbi, Guard guard, PasswordHasher hasher, SecretTokens tokens,
            MasterKey masterKey, SecureRandom random, Supplier<URI> linkBase, Clock clock) {
        return new AccountServices(jdbi, guard, hasher, tokens, masterKey, random,
                Objects.requireNonNull(linkBase, "linkBase"), clock);
    }

    public Accounts accounts() {
        return accounts;
    }

    public AccountLinks accountLinks() {
        return links;
    }

    public Sessions sessions() {
        return sessions;
    }

    public SignIn signIn() {
        return signIn;
    }

    /** What every account may do with itself: password, two-factor sign-in, recent sign-ins. */
    public OwnAccount ownAccount() {
        return ownAccount;
    }

    /**
     * Creates an owner account with a password, as the host's operator (first-run set-up, the command line). The
     * password must have at least {@value #MIN_PASSWORD_LENGTH} characters; it is hashed with Argon2id and the array
     * is not kept.
     *
     * @throws com.xentracker.server.NoSuchOrganizationException when the organization does not exist
     * @throws com.xentracker.server.DuplicateAccountException  when the email address is taken
     * @throws com.xentracker.server.InvalidRequestException    for a malformed email address or a short password
     */
    public Account createOwner(UUID organizationId, String email, char[] password) {
        return createAccount(organizationId, email, password, Role.OWNER);
    }

    /** Creates an account of any role with a password, as the host's operator; see {@link #createOwner}. */
    public Account createAccount(UUID organizationId, String email, char[] password, Role role) {
        return jdbi.inTransaction(handle -> createAccount(handle, organizationId, email, password, role));
    }

    /**
     * Creates an account in the caller's transaction, so that the operator can create an organization together with
     * its first owner (both or neither); see {@link #createOwner}.
     */
    public Account createAccount(Handle handle, UUID organizationId, String email, char[] password, Role role) {
        boolean exists = handle.createQuery("SELECT 1 FROM organizations WHERE id = :id")
                .bind("id", organizationId).mapTo(Integer.class).findOne().isPresent();
        if (!exists) {
            throw new com.xentracker.server.NoSuchOrganizationException(organizationId);
        }
        Account account = accounts.create(handle, organizationId, email, password, role, Optional.empty());
        guard.record(handle, organizationId, ActorKind.OPERATOR, Optional.empty(), Action.CREATE_ACCOUNT,
                Subject.of("account " + account.id() + " (" + role + ")"), Outcome.SUCCESS);
        return account;
    }

    /**
     * Creates a person's self-service account with a password, as the host's operator (tests, the command line): the
     * account is active at once, but signs in only while the organization has self-service turned on.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such person
     * @throws com.xentracker.server.ConflictException when the person has a self-service account already
     */
    public Account createSelfAccount(UUID organizationId, UUID personId, String email, char[] password) {
        Objects.requireNonNull(personId, "personId");
        return jdbi.inTransaction(handle -> {
            DatabaseAccounts.requirePerson(handle, organizationId, personId);
            DatabaseAccounts.requireNoSelfAccount(handle, organizationId, personId);
            Account account = accounts.create(handle, organizationId, email, password, Role.SELF,
                    Optional.of(personId));
            guard.record(handle, organizationId, ActorKind.OPERATOR, Optional.empty(), Action.CREATE_ACCOUNT,
                    Subject.person(personId).and("self-service account " + account.id()), Outcome.SUCCESS);
            return account;
        });
    }

    /** How long an account is locked after this many failed sign-ins in a row. */
    public static Duration lockAfter(int failures) {
        return AccountLock.lockAfter(failures);
    }

    /** How long a source address is refused after this many failed sign-ins from it (see the throttle's rules). */
    public static Duration addressLockAfter(int failures) {
        return AddressThrottle.lockAfter(failures);
    }

    /**
     * A scheduled job's body: deletes expired sign-in challenges and the throttle's rows of addresses that have been
     * forgiven every failure, so neither table grows with every address that ever failed.
     */
    public static void sweep(Handle handle, Instant now) {
        DatabaseSignIn.sweepChallenges(handle, now);
        AddressThrottle.sweep(handle, now);
    }
}
