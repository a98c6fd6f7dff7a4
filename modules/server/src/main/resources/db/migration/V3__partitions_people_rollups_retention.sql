-- Xentracker server schema, version 3: spans partitioned by time, web pages, people behind devices, daily rollups
-- with categories, retention settings, and the bookkeeping of the scheduled jobs.
--
-- Flyway runs each migration in one transaction and serialises concurrent migrators with a PostgreSQL advisory lock
-- (pg_advisory_lock on the schema history), so two nodes starting at once apply this exactly once.

-- Retention, per organization. Raw spans are kept for days, rollups (what dashboards read) for months, the audit log
-- for its own period (accountability usually outlives the usage data it describes).
ALTER TABLE organizations
    ADD COLUMN span_retention_days      integer NOT NULL DEFAULT 90  CHECK (span_retention_days BETWEEN 1 AND 3660),
    ADD COLUMN rollup_retention_months  integer NOT NULL DEFAULT 25  CHECK (rollup_retention_months BETWEEN 1 AND 240),
    ADD COLUMN audit_retention_days     integer NOT NULL DEFAULT 730 CHECK (audit_retention_days BETWEEN 1 AND 36600);

-- The people behind the OS accounts. A person may use several devices and a shared device several people, so the link
-- is a mapping from (device, OS user) to a person that administrators may edit. Ingest maps an unmapped OS user to the
-- person whose login it is (creating one on first sight): the same account name on two machines is one person until
-- an administrator says otherwise.
CREATE TABLE people (
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    id               uuid        NOT NULL,
    display_name     text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    -- the OS login that made ingest create this person; null for people administrators created
    login            text        CHECK (login = lower(login)),
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, login)
);

CREATE TABLE device_users (
    organization_id  uuid NOT NULL,
    device_id        uuid NOT NULL,
    os_user          text NOT NULL,
    person_id        uuid NOT NULL,
    PRIMARY KEY (organization_id, device_id, os_user),
    FOREIGN KEY (organization_id, device_id) REFERENCES devices (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, person_id) REFERENCES people (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX device_users_by_person ON device_users (organization_id, person_id);

-- Categories and the rules that put applications and web domains into them. A domain rule matches the domain and its
-- subdomains; a domain rule wins over an application rule, a longer pattern over a shorter one.
CREATE TABLE categories (
    organization_id  uuid NOT NULL REFERENCES organizations (id),
    id               uuid NOT NULL,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, name)
);

CREATE TABLE category_rules (
    organization_id  uuid NOT NULL,
    id               uuid NOT NULL,
    category_id      uuid NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('APPLICATION', 'DOMAIN')),
    pattern          text NOT NULL CHECK (pattern = lower(pattern) AND length(pattern) BETWEEN 1 AND 255),
    PRIMARY KEY (organization_id, id),
    UNIQUE (organization_id, kind, pattern),
    FOREIGN KEY (organization_id, category_id) REFERENCES categories (organization_id, id) ON DELETE CASCADE
);

-- Organizations whose rollups must be re-categorised because their rules changed; the background job clears a row
-- when it has finished with the rules as they were at requested_at.
CREATE TABLE rollup_recompute (
    organization_id  uuid        PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    requested_at     timestamptz NOT NULL
);

-- Spans, now partitioned by their start (declarative range partitions, one a month, made ahead by the server). The
-- default partition is the guard for whatever falls outside the months made so far (an agent's clock years off, or
-- data older than the partitions): nothing is ever refused for lack of a partition, and the partition job moves such
-- rows into their month when it makes it. There is no foreign key to batches: the ledger row is written in the same
-- transaction, a per-row check would cost the ingest, and deletions remove spans explicitly.
ALTER TABLE spans RENAME TO spans_v2;
ALTER INDEX spans_by_time RENAME TO spans_v2_by_time;
ALTER INDEX spans_by_device RENAME TO spans_v2_by_device;
CREATE TABLE spans (
    organization_id  uuid        NOT NULL,
    device_id        uuid        NOT NULL,
    person_id        uuid        NOT NULL,
    batch_sequence   bigint      NOT NULL,
    start_at         timestamptz NOT NULL,
    end_at           timestamptz NOT NULL,
    state            text        NOT NULL CHECK (state IN ('ACTIVE', 'IDLE', 'LOCKED', 'UNKNOWN', 'EXCLUDED', 'PAUSED')),
    application      text        NOT NULL,
    executable       text        NOT NULL,
    title            text,
    -- the browser's active tab, only for active time; url only when the policy collects URLs
    domain           text        CHECK (length(domain) <= 253),
    url              text        CHECK (length(url) <= 2048),
    CHECK (end_at >= start_at),
    CONSTRAINT spans_neutral_time_names_no_application
        CHECK (state NOT IN ('EXCLUDED', 'PAUSED') OR (application = '' AND executable = '' AND title IS NULL)),
    CONSTRAINT spans_page_only_when_active CHECK (state = 'ACTIVE' OR (domain IS NULL AND url IS NULL))
) PARTITION BY RANGE (start_at);
CREATE TABLE spans_default PARTITION OF spans DEFAULT;
CREATE INDEX spans_by_time ON spans (organization_id, start_at);
CREATE INDEX spans_by_device ON spans (organization_id, device_id, start_at);
CREATE INDEX spans_by_person ON spans (organization_id, person_id, start_at);

-- Existing data: one person per distinct OS login of an organization, every device's account mapped to it.
INSERT INTO people (organization_id, id, display_name, login, created_at)
SELECT organization_id, gen_random_uuid(), left(min(os_user), 200), lower(os_user), min(enrolled_at)
FROM devices
GROUP BY organization_id, lower(os_user);
INSERT INTO device_users (organization_id, device_id, os_user, person_id)
SELECT d.organization_id, d.id, d.os_user, p.id
FROM devices d JOIN people p ON p.organization_id = d.organization_id AND p.login = lower(d.os_user);

-- The old spans move into the default partition; the server's partition job moves them on into their months.
INSERT INTO spans (organization_id, device_id, person_id, batch_sequence, start_at, end_at, state, application,
                   executable, title)
SELECT s.organization_id, s.device_id, u.person_id, s.batch_sequence, s.start_at, s.end_at, s.state, s.application,
       s.executable, s.title
FROM spans_v2 s
JOIN devices d ON d.organization_id = s.organization_id AND d.id = s.device_id
JOIN device_users u ON u.organization_id = d.organization_id AND u.device_id = d.id AND u.os_user = d.os_user;
DROP TABLE spans_v2;

-- Daily rollups: what dashboards read instead of raw spans. Days are the organization's calendar days (its time
-- zone); a span crossing local midnight counts on both days. Milliseconds, so that sums are exact. Idle and locked
-- time has no application (''); domain is '' outside browsers, category '' when no rule matched.
CREATE TABLE rollups (
    organization_id  uuid   NOT NULL,
    day              date   NOT NULL,
    person_id        uuid   NOT NULL,
    device_id        uuid   NOT NULL,
    application      text   NOT NULL,
    domain           text   NOT NULL,
    category         text   NOT NULL,
    active_ms        bigint NOT NULL DEFAULT 0 CHECK (active_ms >= 0),
    idle_ms          bigint NOT NULL DEFAULT 0 CHECK (idle_ms >= 0),
    locked_ms        bigint NOT NULL DEFAULT 0 CHECK (locked_ms >= 0),
    PRIMARY KEY (organization_id, day, person_id, device_id, application, domain, category)
);
CREATE INDEX rollups_by_person ON rollups (organization_id, person_id, day);
-- The dashboard's "time and devices per application" reads only these columns: an index-only scan.
CREATE INDEX rollups_by_application ON rollups (organization_id, day, application, device_id) INCLUDE (active_ms);
CREATE INDEX rollups_by_device ON rollups (organization_id, device_id, day);

INSERT INTO rollups (organization_id, day, person_id, device_id, application, domain, category, active_ms, idle_ms,
                     locked_ms)
SELECT s.organization_id, d.day::date, s.person_id, s.device_id, s.application, '', '',
       coalesce(sum(c.ms) FILTER (WHERE s.state = 'ACTIVE'), 0),
       coalesce(sum(c.ms) FILTER (WHERE s.state = 'IDLE'), 0),
       coalesce(sum(c.ms) FILTER (WHERE s.state = 'LOCKED'), 0)
FROM spans s
JOIN organizations o ON o.id = s.organization_id
CROSS JOIN LATERAL generate_series(date_trunc('day', s.start_at AT TIME ZONE o.time_zone),
                                   s.end_at AT TIME ZONE o.time_zone, interval '1 day') AS d(day)
CROSS JOIN LATERAL (SELECT (EXTRACT(EPOCH FROM (
            least(s.end_at, (d.day + interval '1 day') AT TIME ZONE o.time_zone)
            - greatest(s.start_at, d.day AT TIME ZONE o.time_zone))) * 1000)::bigint AS ms) c
WHERE s.state IN ('ACTIVE', 'IDLE', 'LOCKED') AND c.ms > 0
GROUP BY s.organization_id, d.day, s.person_id, s.device_id, s.application;

-- What the ingest keeps about a device's backlog: the newest sequence and span end it has seen.
ALTER TABLE devices
    ADD COLUMN last_sequence  bigint,
    ADD COLUMN last_span_end  timestamptz;
UPDATE devices d SET last_sequence = (SELECT max(b.sequence) FROM batches b
                                      WHERE b.organization_id = d.organization_id AND b.device_id = d.id),
                     last_span_end = (SELECT max(s.end_at) FROM spans s
                                      WHERE s.organization_id = d.organization_id AND s.device_id = d.id);

-- When each scheduled job last ran (across all nodes): a node runs a job only under its advisory lock and only when
-- this says it is due, so N nodes run it once per period.
CREATE TABLE job_runs (
    job          text        PRIMARY KEY,
    last_run_at  timestamptz NOT NULL,
    runs         bigint      NOT NULL DEFAULT 0
);

CREATE INDEX audit_log_retention ON audit_log (occurred_at);
