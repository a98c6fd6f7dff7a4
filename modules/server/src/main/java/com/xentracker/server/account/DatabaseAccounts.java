package com.xentracker.server.account;

import com.xentracker.server.ConflictException;
import com.xentracker.server.DuplicateAccountException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NotFoundException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.PasswordHasher;
import com.xentracker.server.database.DatabaseErrors;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Portal accounts in the {@code accounts} table, passwords as Argon2id hashes.
 *
 * <p>Every change that could leave the organization without an active owner (a role change, disabling, deleting)
 * first locks the organization's row, so that two owners demoting or disabling each other at once are serialized and
 * the second finds that it would remove the last one. (The actors' own account rows are share-locked by
 * {@link Guard} before that; two such changes at once may deadlock, which PostgreSQL detects and Guard runs again.)
 */
final class DatabaseAccounts implements Accounts {

    static final int MAX_PASSWORD_LENGTH = 1024;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");

    static final String COLUMNS = "organization_id, id, email, role, status, totp_enabled_at, created_at, person_id";

    static final RowMapper<Account> ACCOUNT = (rs, ctx) -> new Account(rs.getObject("id", UUID.class),
            rs.getObject("organization_id", UUID.class), rs.getString("email"), Role.valueOf(rs.getString("role")),
            Account.Status.valueOf(rs.getString("status")), rs.getObject("totp_enabled_at") != null,
            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            Optional.ofNullable(rs.getObject("person_id", UUID.class)));

    private final Guard guard;
    private final PasswordHasher hasher;
    private final DatabaseAccountLinks links;
    private final Clock clock;

    DatabaseAccounts(Guard guard, PasswordHasher hasher, DatabaseAccountLinks links, Clock clock) {
        this.guard = guard;
        this.hasher = hasher;
        this.links = links;
        this.clock = clock;
    }

    @Override
    public List<Account> list(Actor actor) {
        return guard.run(actor, Action.VIEW_ACCOUNTS, Subject.of("accounts"), (handle, access) -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM accounts WHERE organization_id = :organization ORDER BY email, id")
                .bind("organization", access.organizationId())
                .map(ACCOUNT)
                .list());
    }

    @Override
    public IssuedLink invite(Actor actor, String email, Role role) {
        String address = checkedEmail(email);
        Objects.requireNonNull(role, "role");
        return guard.runAudited(actor, Action.INVITE_ACCOUNT, Subject.of("invitation as " + role),
                (handle, access) -> {
                    notSelf(role);
                    Account account = insertInvited(handle, access.organizationId(), address, role,
                            Optional.empty());
                    AccountLink link = links.issue(handle, account.organizationId(), account.id(),
                            AccountLink.Purpose.INVITATION);
                    return Guard.Audited.of(new IssuedLink(account, link),
                            Subject.of("account " + account.id() + " invited as " + role));
                });
    }

    @Override
    public IssuedLink inviteSelf(Actor actor, UUID personId, String email) {
        Objects.requireNonNull(personId, "personId");
        String address = checkedEmail(email);
        // the person is the entry's subject: their own view and access package list who gave them an account
        return guard.runAudited(actor, Action.INVITE_SELF_ACCOUNT, Subject.person(personId).and("self-service account"),
                (handle, access) -> {
                    UUID organization = access.organizationId();
                    // the organization's row, shared: turning self-service off waits for this, and this sees it
                    boolean on = handle.createQuery(
                                    "SELECT self_service FROM organizations WHERE id = :organization FOR SHARE")
                            .bind("organization", organization)
                            .mapTo(Boolean.class)
                            .one();
                    requirePerson(handle, organization, personId);
                    if (!on) {
                        throw new ConflictException("self-service is turned off in this organization: an owner turns"
                                + " it on in the organization's settings first");
                    }
                    requireNoSelfAccount(handle, organization, personId);
                    Account account = insertInvited(handle, organization, address, Role.SELF, Optional.of(personId));
                    AccountLink link = links.issue(handle, organization, account.id(), AccountLink.Purpose.INVITATION);
                    return Guard.Audited.of(new IssuedLink(account, link), Subject.person(personId)
                            .and("self-service account " + account.id() + " invited"));
                });
    }

    /** The person, of this organization; an id of another organization is as unknown as one of none. */
    static void requirePerson(Handle handle, UUID organization, UUID personId) {
        boolean known = handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM people WHERE organization_id = :organization AND id = :person)""")
                .bind("organization", organization)
                .bind("person", personId)
                .mapTo(Boolean.class)
                .one();
        if (!known) {
            throw new NotFoundException("person " + personId);
        }
    }

    /** One self-service account per person (the unique index says so too; this says it in words). */
    static void requireNoSelfAccount(Handle handle, UUID organization, UUID personId) {
        boolean taken = handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM accounts
                                       WHERE organization_id = :organization AND person_id = :person)""")
                .bind("organization", organization)
                .bind("person", personId)
                .mapTo(Boolean.class)
                .one();
        if (taken) {
            throw new ConflictException("person " + personId + " has a self-service account already");
        }
    }

    /** An invited account without a password (the link sets it), in the caller's transaction. */
    private Account insertInvited(Handle handle, UUID organization, String address, Role role,
            Optional<UUID> person) {
        Account account = new Account(UUID.randomUUID(), organization, address, role, Account.Status.INVITED, false,
                now(), person);
        try {
            // no password and no password_changed_at: the link sets both
            handle.createUpdate("""
                            INSERT INTO accounts (organization_id, id, email, role, status, created_at, person_id)
                            VALUES (:organization, :id, :email, :role, 'INVITED', :now, CAST(:person AS uuid))""")
                    .bind("organization", account.organizationId())
                    .bind("id", account.id())
                    .bind("email", account.email())
                    .bind("role", role.name())
                    .bind("now", account.createdAt())
                    .bindByType("person", person.orElse(null), UUID.class)
                    .execute();
        } catch (UnableToExecuteStatementException e) {
            if (DatabaseErrors.isUniqueViolation(e)) {
                throw new DuplicateAccountException();
            }
            throw e;
        }
        return account;
    }

    /**
     * Refuses the self-service role where an account would get it without a person, or lose its person: a
     * self-service account is made for one person ({@link #inviteSelf}) and stays theirs.
     */
    private static void notSelf(Role role) {
        if (role == Role.SELF) {
            throw InvalidRequestException.about("role", "a self-service account is created for a person, from the"
                    + " person's page; no account becomes one, and one never becomes another role");
        }
    }

    @Override
    public Account changeRole(Actor actor, UUID accountId, Role role) {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(role, "role");
        return guard.runAudited(actor, Action.CHANGE_ACCOUNT_ROLE, Subject.of("account " + accountId + " to " + role),
                (handle, access) -> {
                    lockOwners(handle, access.organizationId());
                    Account account = find(handle, access.organizationId(), accountId);
                    notSelf(role);
                    notSelf(account.role());
                    if (account.role() == role) {
                        return Guard.Audited.of(account, Subject.of("account " + accountId + " is " + role
                                + " already"));
                    }
                    if (account.role() == Role.OWNER) {
                        keepAnActiveOwner(handle, account, "demoted");
                    }
                    handle.createUpdate("""
                                    UPDATE accounts SET role = :role
                                    WHERE organization_id = :organization AND id = :id""")
                            .bind("role", role.name())
                            .bind("organization", access.organizationId())
                            .bind("id", accountId)
                            .execute();
                    return Guard.Audited.of(with(account, role, account.status()), Subject.of("account " + accountId
                            + " from " + account.role() + " to " + role));
                });
    }

    @Override
    public Account disable(Actor actor, UUID accountId) {
        Objects.requireNonNull(accountId, "accountId");
        return guard.runAudited(actor, Action.DISABLE_ACCOUNT, Subject.of("account " + accountId),
                (handle, access) -> {
                    lockOwners(handle, access.organizationId());
                    Account account = find(handle, access.organizationId(), accountId);
                    if (account.status() == Account.Status.DISABLED) {
                        return Guard.Audited.of(account, Subject.of("account " + accountId + " is disabled already"));
                    }
                    keepAnActiveOwner(handle, account, "disabled");
                    handle.createUpdate("""
                                    UPDATE accounts SET status = 'DISABLED'
                                    WHERE organization_id = :organization AND id = :id""")
                            .bind("organization", access.organizationId())
                            .bind("id", accountId)
                            .execute();
                    // In this transaction: once it commits, no session of the account exists, and Guard (which
                    // reads the session and the account's status in every use case's transaction, after waiting
                    // for this one's lock) refuses requests already under way from their next use case on.
                    int sessions = deleteSessions(handle, access.organizationId(), accountId);
                    DatabaseAccountLinks.end(handle, access.organizationId(), accountId);
                    return Guard.Audited.of(with(account, account.role(), Account.Status.DISABLED),
                            Subject.of("account " + accountId + " disabled, " + sessions + " session(s) ended"));
                });
    }

    @Override
    public Account enable(Actor actor, UUID accountId) {
        Objects.requireNonNull(accountId, "accountId");
        return guard.runAudited(actor, Action.ENABLE_ACCOUNT, Subject.of("account " + accountId),
                (handle, access) -> {
                    Account account = find(handle, access.organizationId(), accountId);
                    if (account.status() != Account.Status.DISABLED) {
                        return Guard.Audited.of(account, Subject.of("account " + accountId + " is enabled already"));
                    }
                    // an account that never set a password is invited again, not active without one
                    Account enabled = handle.createQuery("""
                                    UPDATE accounts SET status = CASE WHEN password_changed_at IS NULL
                                                                      THEN 'INVITED' ELSE 'ACTIVE' END
                                    WHERE organization_id = :organization AND id = :id
                                    RETURNING\s""" + COLUMNS)
                            .bind("organization", access.organizationId())
                            .bind("id", accountId)
                            .map(ACCOUNT)
                            .one();
                    return Guard.Audited.of(enabled, Subject.of("account " + accountId + " enabled ("
                            + enabled.status() + ")"));
                });
    }

    @Override
    public void delete(Actor actor, UUID accountId) {
        Objects.requireNonNull(accountId, "accountId");
        guard.runAudited(actor, Action.DELETE_ACCOUNT, Subject.of("account " + accountId), (handle, access) -> {
            lockOwners(handle, access.organizationId());
            Account account = find(handle, access.organizationId(), accountId);
            keepAnActiveOwner(handle, account, "deleted");
            // sessions, links, recovery codes, sign-in challenges, sign-in history and viewer grants go with it (ON
            // DELETE CASCADE); the audit log names accounts by id without a foreign key, so its entries stay
            handle.createUpdate("DELETE FROM accounts WHERE organization_id = :organization AND id = :id")
                    .bind("organization", access.organizationId())
                    .bind("id", accountId)
                    .execute();
            return Guard.Audited.of(null, Subject.of("account " + accountId + " (" + account.role() + ", "
                    + account.status() + ") deleted"));
        });
    }

    @Override
    public IssuedLink resetPassword(Actor actor, UUID accountId) {
        Objects.requireNonNull(accountId, "accountId");
        return guard.runAudited(actor, Action.RESET_ACCOUNT_PASSWORD, Subject.of("account " + accountId),
                (handle, access) -> {
                    Account account = find(handle, access.organizationId(), accountId);
                    if (account.status() == Account.Status.DISABLED) {
                        throw new ConflictException("account " + accountId + " is disabled: enable it first");
                    }
                    // cleared, not replaced: the old password must stop working now, not when the link is used
                    handle.createUpdate("""
                                    UPDATE accounts SET password_hash = NULL
                                    WHERE organization_id = :organization AND id = :id""")
                            .bind("organization", access.organizationId())
                            .bind("id", accountId)
                            .execute();
                    int sessions = deleteSessions(handle, access.organizationId(), accountId);
                    AccountLink.Purpose purpose = account.status() == Account.Status.INVITED
                            ? AccountLink.Purpose.INVITATION : AccountLink.Purpose.PASSWORD_RESET;
                    AccountLink link = links.issue(handle, access.organizationId(), accountId, purpose);
                    return Guard.Audited.of(new IssuedLink(account, link), Subject.of("account " + accountId
                            + " password cleared, "
                            + sessions + " session(s) ended, new " + purpose + " link"));
                });
    }

    @Override
    public int endSessions(Actor actor, UUID accountId) {
        Objects.requireNonNull(accountId, "accountId");
        return guard.runAudited(actor, Action.END_ACCOUNT_SESSIONS, Subject.of("account " + accountId),
                (handle, access) -> {
                    find(handle, access.organizationId(), accountId);
                    int sessions = deleteSessions(handle, access.organizationId(), accountId);
                    return Guard.Audited.of(sessions, Subject.of("account " + accountId + ", " + sessions
                            + " session(s) ended"));
                });
    }

    /**
     * Ends the account's sessions and the second-factor challenges of sign-ins under way, in the caller's
     * transaction.
     *
     * @return how many sessions were live
     */
    static int deleteSessions(Handle handle, UUID organizationId, UUID accountId) {
        handle.createUpdate("""
                        DELETE FROM sign_in_challenges
                        WHERE organization_id = :organization AND account_id = :account""")
                .bind("organization", organizationId)
                .bind("account", accountId)
                .execute();
        return handle.createUpdate("""
                        DELETE FROM sessions WHERE organization_id = :organization AND account_id = :account""")
                .bind("organization", organizationId)
                .bind("account", accountId)
                .execute();
    }

    /** The account, locked for the change; an id of another organization is as unknown as one of none. */
    private static Account find(Handle handle, UUID organizationId, UUID accountId) {
        return handle.createQuery("SELECT " + COLUMNS
                        + " FROM accounts WHERE organization_id = :organization AND id = :id FOR UPDATE")
                .bind("organization", organizationId)
                .bind("id", accountId)
                .map(ACCOUNT)
                .findOne()
                .orElseThrow(() -> new NotFoundException("account " + accountId));
    }

    /** Serializes the changes that can remove an active owner, per organization (see the class comment). */
    private static void lockOwners(Handle handle, UUID organizationId) {
        handle.createQuery("SELECT 1 FROM organizations WHERE id = :organization FOR NO KEY UPDATE")
                .bind("organization", organizationId)
                .mapTo(Integer.class)
                .one();
    }

    /** Refuses a change that would leave the organization without an active owner. */
    private static void keepAnActiveOwner(Handle handle, Account account, String change) {
        if (account.role() != Role.OWNER || account.status() != Account.Status.ACTIVE) {
            return;
        }
        boolean another = handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM accounts WHERE organization_id = :organization AND id <> :id
                                       AND role = 'OWNER' AND status = 'ACTIVE')""")
                .bind("organization", account.organizationId())
                .bind("id", account.id())
                .mapTo(Boolean.class)
                .one();
        if (!another) {
            throw new ConflictException("account " + account.id() + " is the organization's last active owner and"
                    + " cannot be " + change + "; make another account an owner first");
        }
    }

    private static Account with(Account account, Role role, Account.Status status) {
        return new Account(account.id(), account.organizationId(), account.email(), role, status,
                account.twoFactor(), account.createdAt(), account.person());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Creates an active account with a password inside the caller's transaction. */
    Account create(Handle handle, UUID organizationId, String email, char[] password, Role role,
            Optional<UUID> person) {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(person, "person");
        if (person.isEmpty()) {
            notSelf(role);
        }
        String address = checkedEmail(email);
        checkPassword(password);
        Account account = new Account(UUID.randomUUID(), organizationId, address, role, Account.Status.ACTIVE, false,
                now(), person);
        try {
            handle.createUpdate("""
                    INSERT INTO accounts (organization_id, id, email, role, status, password_hash, created_at,
                                          password_changed_at, person_id)
                    VALUES (:organization, :id, :email, :role, 'ACTIVE', :hash, :now, :now, CAST(:person AS uuid))""")
                    .bindByType("person", person.orElse(null), UUID.class)
                    .bind("organization", account.organizationId())
                    .bind("id", account.id())
                    .bind("email", account.email())
                    .bind("role", role.name())
                    .bind("hash", hasher.hash(password))
                    .bind("now", account.createdAt())
                    .execute();
        } catch (UnableToExecuteStatementException e) {
            if (DatabaseErrors.isUniqueViolation(e)) {
                throw new DuplicateAccountException();
            }
            throw e;
        }
        return account;
    }

    static String checkedEmail(String email) {
        if (email == null || !EMAIL.matcher(email.strip()).matches()) {
            throw new InvalidRequestException("an email address looks like name@example.org");
        }
        return normalize(email);
    }

    static void checkPassword(char[] password) {
        if (password == null || password.length < AccountServices.MIN_PASSWORD_LENGTH
                || password.length > MAX_PASSWORD_LENGTH) {
            throw new InvalidRequestException("a password has between " + AccountServices.MIN_PASSWORD_LENGTH
                    + " and " + MAX_PASSWORD_LENGTH + " characters");
        }
    }

    static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
