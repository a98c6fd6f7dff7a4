package com.xentracker.portal;

import com.xentracker.server.account.Account;
import com.xentracker.server.account.Accounts;
import com.xentracker.server.account.Role;
import com.xentracker.server.account.Sessions;
import com.xentracker.server.admin.Category;
import com.xentracker.server.admin.CategoryRule;
import com.xentracker.server.admin.DataAdministration;
import com.xentracker.server.admin.DeviceDirectory;
import com.xentracker.server.admin.DeviceUser;
import com.xentracker.server.admin.Person;
import com.xentracker.server.admin.RetentionSettings;
import com.xentracker.server.admin.DeviceSummary;
import com.xentracker.server.audit.AuditLog;
import com.xentracker.server.spi.ServerServices;
import com.xentracker.server.usage.ApplicationUsage;
import com.xentracker.server.usage.UsageQueries;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server's SPI implemented just far enough to drive the portal: a fixture for the interface contract, not a
 * stand-in for the server's PostgreSQL-backed implementation (which has its own tests).
 */
final class TestServices implements ServerServices {

    /** Sunday 29 November 2026, 10:15:30 UTC. */
    static final Instant NOW = Instant.parse("2026-11-29T10:15:30Z");

    final KnownAccounts accounts = new KnownAccounts();
    final TokenSessions sessions = new TokenSessions();
    final StoredUsage usage = new StoredUsage();
    final RecordingAuditLog audit = new RecordingAuditLog();
    final KnownDevices devices = new KnownDevices();
    final KnownPeople people = new KnownPeople();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Override
    public Accounts accounts() {
        return accounts;
    }

    @Override
    public Sessions sessions() {
        return sessions;
    }

    @Override
    public UsageQueries usage() {
        return usage;
    }

    @Override
    public AuditLog audit() {
        return audit;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public DeviceDirectory devices() {
        return devices;
    }

    @Override
    public DataAdministration data() {
        return people;
    }

    static final class KnownAccounts implements Accounts {

        private record Entry(Account account, String password) {
        }

        private final Map<String, Entry> byEmail = new ConcurrentHashMap<>();
        /** Every password array handed in, to check the portal wipes its copy afterwards. */
        final List<char[]> passwordsSeen = new CopyOnWriteArrayList<>();

        Account add(String email, String password) {
            return add(email, password, Role.ADMIN);
        }

        Account add(String email, String password, Role role) {
            Account account = new Account(UUID.randomUUID(), UUID.randomUUID(), email, role);
            byEmail.put(email, new Entry(account, password));
            return account;
        }

        @Override
        public Optional<Account> authenticate(String email, char[] password) {
            passwordsSeen.add(password);
            Entry entry = byEmail.get(email);
            if (entry == null || !Arrays.equals(entry.password().toCharArray(), password)) {
                return Optional.empty();
            }
            return Optional.of(entry.account());
        }
    }

    static final class TokenSessions implements Sessions {

        private static final SecureRandom RANDOM = new SecureRandom();

        final Map<String, Account> live = new ConcurrentHashMap<>();
        final List<String> closed = new CopyOnWriteArrayList<>();

        @Override
        public String open(Account account) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            live.put(token, account);
            return token;
        }

        @Override
        public Optional<Account> resolve(String token) {
            return Optional.ofNullable(live.get(token));
        }

        @Override
        public void close(String token) {
            if (live.remove(token) != null) {
                closed.add(token);
            }
        }
    }

    static final class StoredUsage implements UsageQueries {

        record Query(UUID organizationId, Instant from, Instant to) {
        }

        private final Map<UUID, List<ApplicationUsage>> byOrganization = new ConcurrentHashMap<>();
        final List<Query> queries = new CopyOnWriteArrayList<>();

        void put(UUID organizationId, ApplicationUsage... rows) {
            byOrganization.put(organizationId, List.of(rows));
        }

        @Override
        public List<ApplicationUsage> byApplication(UUID organizationId, Instant from, Instant to) {
            queries.add(new Query(organizationId, from, to));
            return byOrganization.getOrDefault(organizationId, List.of());
        }
    }

    static final class KnownDevices implements DeviceDirectory {

        private final Map<UUID, List<DeviceSummary>> byOrganization = new ConcurrentHashMap<>();
        /** The organization of every query, in order. */
        final List<UUID> queries = new CopyOnWriteArrayList<>();

        void put(UUID organizationId, DeviceSummary... devices) {
            byOrganization.put(organizationId, List.of(devices));
        }

        @Override
        public List<DeviceSummary> devices(UUID organizationId) {
            queries.add(organizationId);
            return byOrganization.getOrDefault(organizationId, List.of());
        }
    }

    /**
     * People and device accounts, just far enough for the portal's role and CSRF checks: the mapping itself is
     * tested against the server's real implementation ({@code endtoend/PeopleEndToEndTest}). Records every change.
     */
    static final class KnownPeople implements DataAdministration {

        private final Map<UUID, List<Person>> people = new ConcurrentHashMap<>();
        private final Map<UUID, List<DeviceUser>> deviceUsers = new ConcurrentHashMap<>();
        /** Every change asked for, e.g. "assign-person DEVICE USER PERSON". */
        final List<String> changes = new CopyOnWriteArrayList<>();

        void put(UUID organizationId, List<Person> persons, List<DeviceUser> users) {
            people.put(organizationId, List.copyOf(persons));
            deviceUsers.put(organizationId, List.copyOf(users));
        }

        @Override
        public Person createPerson(UUID organizationId, String displayName) {
            changes.add("create-person " + displayName);
            return new Person(UUID.randomUUID(), displayName, Optional.empty(), NOW);
        }

        @Override
        public List<Person> people(UUID organizationId) {
            return people.getOrDefault(organizationId, List.of());
        }

        @Override
        public List<DeviceUser> deviceUsers(UUID organizationId) {
            return deviceUsers.getOrDefault(organizationId, List.of());
        }

        @Override
        public void assignPerson(UUID organizationId, UUID deviceId, String osUser, UUID personId) {
            changes.add("assign-person " + deviceId + " " + osUser + " " + personId);
        }

        @Override
        public void deletePerson(UUID organizationId, UUID personId) {
            throw new UnsupportedOperationException("not used by the portal");
        }

        @Override
        public void deleteDevice(UUID organizationId, UUID deviceId) {
            throw new UnsupportedOperationException("not used by the portal");
        }

        @Override
        public Category createCategory(UUID organizationId, String name) {
            throw new UnsupportedOperationException("not used by the portal");
        }

        @Override
        public List<Category> categories(UUID organizationId) {
            throw new UnsupportedOperationException("not used by the portal");
        }

        @Override
        public CategoryRule addCategoryRule(UUID organizationId, UUID categoryId, CategoryRule.Kind kind,
                String pattern) {
            throw new UnsupportedOperationException("not used by the portal");
        }

        @Override
        public void deleteCategoryRule(UUID organizationId, UUID ruleId) {
            throw new UnsupportedOperationException("not used by the portal");
        }

        @Override
        public RetentionSettings retention(UUID organizationId) {
            throw new UnsupportedOperationException("not used by the portal");
        }

        @Override
        public RetentionSettings updateRetention(UUID organizationId, RetentionSettings settings) {
            throw new UnsupportedOperationException("not used by the portal");
        }
    }

    static final class RecordingAuditLog implements AuditLog {

        record Entry(UUID organizationId, UUID actorAccountId, String action, String subject) {
        }

        final List<Entry> entries = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public void record(UUID organizationId, UUID actorAccountId, String action, String subject) {
            if (failing) {
                throw new IllegalStateException("audit log unavailable");
            }
            entries.add(new Entry(organizationId, actorAccountId, action, subject));
        }

        List<String> actions() {
            return entries.stream().map(Entry::action).toList();
        }
    }
}
