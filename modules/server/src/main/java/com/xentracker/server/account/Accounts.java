package com.xentracker.server.account;

import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Role;
import java.util.List;
import java.util.UUID;

/**
 * The organization's portal accounts, managed by its owners (auditors may list them). Every call is checked against
 * the actor's current role and audit-logged, the entry naming the account by id (never by e-mail address). An id of
 * another organization's account behaves as unknown ({@link com.xentracker.server.NotFoundException}).
 *
 * <p>The organization always keeps at least one active owner: demoting, disabling or deleting its last one is refused
 * with {@link com.xentracker.server.ConflictException}, whoever asks.
 */
public interface Accounts {

    /**
     * The accounts of the actor's organization, by e-mail address.
     *
     * @throws com.xentracker.server.NotPermittedException unless the actor may view accounts (owners, auditors)
     */
    List<Account> list(Actor actor);

    /**
     * Invites a person: creates an account with this e-mail address and role, {@link Account.Status#INVITED} and
     * without a password, and a one-time {@link AccountLink.Purpose#INVITATION} link (valid 7 days) with which the
     * person sets a password ({@link AccountLinks#setPasswordWithLink}). No e-mail is sent: the owner hands the link
     * over, which is why it is returned here and nowhere else.
     *
     * @throws com.xentracker.server.InvalidRequestException   for a malformed e-mail address, or the self-service
     *                                                         role (see {@link #inviteSelf})
     * @throws com.xentracker.server.DuplicateAccountException when an account (of any organization) has the address
     */
    IssuedLink invite(Actor actor, String email, Role role);

    /**
     * Gives a person a self-service account ({@link Role#SELF}), linked to them for good: invited like any account,
     * with a one-time {@link AccountLink.Purpose#INVITATION} link. Owners and administrators; the audit entry's subject
     * is the person. One account per person.
     *
     * @throws com.xentracker.server.NotFoundException         when the organization has no such person
     * @throws com.xentracker.server.ConflictException         while the organization has self-service turned off,
     *                                                         or when the person has a self-service account already
     * @throws com.xentracker.server.DuplicateAccountException when an account (of any organization) has the address
     */
    IssuedLink inviteSelf(Actor actor, UUID personId, String email);

    /**
     * Gives an account another role; it applies from the account's next request on, without signing in again. A
     * self-service account keeps its role, and no account gets it ({@link com.xentracker.server.InvalidRequestException}).
     *
     * @throws com.xentracker.server.ConflictException when it would demote the last active owner
     */
    Account changeRole(Actor actor, UUID accountId, Role role);

    /**
     * Disables an account: it cannot sign in, its sessions and links end in the same transaction, and requests under
     * way with one of its sessions are refused from their next use case on. Its history and audit entries stay.
     * Disabling a disabled account changes nothing.
     *
     * @throws com.xentracker.server.ConflictException when it is the last active owner
     */
    Account disable(Actor actor, UUID accountId);

    /**
     * Enables a disabled account again: active if it ever had a password, invited otherwise. Its links ended when it
     * was disabled: if it needs a password, {@link #resetPassword} issues a new link. Enabling an enabled account
     * changes nothing.
     */
    Account enable(Actor actor, UUID accountId);

    /**
     * Deletes an account with its sessions, links, second factor and sign-in history. The audit log keeps the
     * entries it made and those about it, by account id.
     *
     * @throws com.xentracker.server.ConflictException when it is the last active owner
     */
    void delete(Actor actor, UUID accountId);

    /**
     * Clears the account's password (the old one stops working at once), ends its sessions and issues a one-time
     * link to set a new one: {@link AccountLink.Purpose#PASSWORD_RESET} (24 h), or, for an account that was invited
     * and never set one, a new {@link AccountLink.Purpose#INVITATION} (7 days). Any older link of the account stops
     * working.
     *
     * @throws com.xentracker.server.ConflictException when the account is disabled (enable it first)
     */
    IssuedLink resetPassword(Actor actor, UUID accountId);

    /**
     * Ends every session of the account (signed in elsewhere, a lost laptop); it can sign in again.
     *
     * @return how many sessions were ended
     */
    int endSessions(Actor actor, UUID accountId);
}
