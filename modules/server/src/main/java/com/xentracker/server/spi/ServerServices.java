package com.xentracker.server.spi;

import com.xentracker.server.account.Accounts;
import com.xentracker.server.account.Sessions;
import com.xentracker.server.admin.DataAdministration;
import com.xentracker.server.admin.DeviceDirectory;
import com.xentracker.server.audit.AuditLog;
import com.xentracker.server.usage.UsageQueries;
import java.time.Clock;

/** What the server offers a {@link WebModule}. Every query is scoped by an organization id. */
public interface ServerServices {

    Accounts accounts();

    Sessions sessions();

    UsageQueries usage();

    AuditLog audit();

    Clock clock();

    /** The organization's devices and what their agents last reported (read only). */
    DeviceDirectory devices();

    /**
     * The organization's people and which device accounts are theirs (and the rest of data administration); every
     * change is audit-logged by the server.
     */
    DataAdministration data();
}
