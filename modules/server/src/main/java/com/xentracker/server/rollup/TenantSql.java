package com.xentracker.server.rollup;

import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * Statements on tenant data, scoped by construction: each takes the organization id, binds it as
 * {@code :organization}, and refuses SQL that does not use it. A repository method that forgot its scope therefore
 * fails on its first run (every repository method has a test), instead of quietly reading every organization.
 */
public final class TenantSql {

    private static final String PARAMETER = ":organization";

    private TenantSql() {
    }

    public static Query query(Handle handle, UUID organizationId, String sql) {
        return handle.createQuery(checked(sql)).bind("organization", Objects.requireNonNull(organizationId,
                "organizationId"));
    }

    public static Update update(Handle handle, UUID organizationId, String sql) {
        return handle.createUpdate(checked(sql)).bind("organization", Objects.requireNonNull(organizationId,
                "organizationId"));
    }

    private static String checked(String sql) {
        if (!sql.contains(PARAMETER)) {
            throw new IllegalStateException("a tenant statement must be scoped by " + PARAMETER + ": " + sql);
        }
        return sql;
    }
}
