package com.xentracker.server;

import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.server.account.Account;
import com.xentracker.server.device.DeviceSummary;
import com.xentracker.server.device.IssuedEnrollmentToken;
import com.xentracker.server.organization.Category;
import com.xentracker.server.organization.CategoryRule;
import com.xentracker.server.organization.RetentionSettings;
import com.xentracker.server.people.DeviceAccount;
import com.xentracker.server.people.Person;
import com.xentracker.server.spi.ServerServices;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The host's operator in tests: each call runs the server's use case as the operator of the given organization, so
 * tests that set data up or check tenant isolation read like the organization id they are about.
 */
record Operator(XentrackerServer server) {

    private ServerServices services() {
        return server.services();
    }

    private com.xentracker.server.access.Actor in(UUID organization) {
        return server.administration().operator(organization);
    }

    List<Person> people(UUID organization) {
        return services().people().directory(in(organization)).people();
    }

    /** The device accounts mapped to a person. */
    List<DeviceAccount> deviceUsers(UUID organization) {
        return services().people().directory(in(organization)).accounts().stream()
                .filter(account -> account.person().isPresent()).toList();
    }

    Person createPerson(UUID organization, String name) {
        return services().people().create(in(organization), name);
    }

    void assignPerson(UUID organization, UUID device, String osUser, UUID person) {
        services().people().assign(in(organization), device, osUser, person);
    }

    void deletePerson(UUID organization, UUID person) {
        services().people().delete(in(organization), person);
    }

    List<DeviceSummary> devices(UUID organization) {
        return services().devices().list(in(organization));
    }

    void revokeDevice(UUID organization, UUID device) {
        services().devices().revoke(in(organization), device);
    }

    void deleteDevice(UUID organization, UUID device) {
        services().devices().delete(in(organization), device);
    }

    Category createCategory(UUID organization, String name) {
        return services().organizations().createCategory(in(organization), name);
    }

    CategoryRule addCategoryRule(UUID organization, UUID category, CategoryRule.Kind kind, String pattern) {
        return services().organizations().addCategoryRule(in(organization), category, kind, pattern);
    }

    void deleteCategoryRule(UUID organization, UUID rule) {
        services().organizations().deleteCategoryRule(in(organization), rule);
    }

    List<Category> categories(UUID organization) {
        return services().organizations().categories(in(organization));
    }

    IssuedEnrollmentToken issueEnrollmentToken(UUID organization, Duration lifetime, int devices) {
        return services().enrollmentTokens().issue(in(organization), "test", lifetime, devices);
    }

    void revokeEnrollmentToken(UUID organization, UUID token) {
        services().enrollmentTokens().revoke(in(organization), token);
    }

    Account createOwner(UUID organization, String email, char[] password) {
        return server.administration().createOwner(organization, email, password);
    }

    RetentionSettings retention(UUID organization) {
        return services().organizations().retention(in(organization));
    }

    void updateRetention(UUID organization, RetentionSettings settings) {
        services().organizations().updateRetention(in(organization), settings);
    }

    CollectionPolicy policy(UUID organization) {
        return services().organizations().policy(in(organization));
    }
}
