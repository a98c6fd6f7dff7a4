package com.xentracker.server.account;

import com.xentracker.server.access.Actor;
import java.util.List;

/** The organization's portal accounts, for owners (and, read-only, auditors). Every call is audit-logged. */
public interface Accounts {

    /**
     * The accounts of the actor's organization, by e-mail address.
     *
     * @throws com.xentracker.server.NotPermittedException unless the actor may view accounts (owners, auditors)
     */
    List<Account> list(Actor actor);
}
