package com.xentracker.testing.database;

import java.util.Objects;

/** A database of a test's own on the external PostgreSQL: how to connect to it. */
public record TestDatabase(String url, String user, String password) {

    public TestDatabase {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** The password stays out of test reports. */
    @Override
    public String toString() {
        return "TestDatabase[" + url + " as " + user + "]";
    }
}
