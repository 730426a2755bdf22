-- Portunus state store, schema version 1.
-- Every table is STRICT; every time is RFC 3339 UTC text of fixed width
-- (YYYY-MM-DDTHH:MM:SS.mmmZ) so that text order is time order.
-- Deleting a user cascades to everything it owns, so one DELETE in one
-- transaction removes credentials, grants, rules, sessions and quotas together.

CREATE TABLE users (
    id                       TEXT    NOT NULL PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
    role                     TEXT    NOT NULL CHECK (role IN ('superadmin', 'user')),
    display_name             TEXT    NOT NULL,
    disabled                 INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    password_hash            TEXT,
    password_change_required INTEGER NOT NULL DEFAULT 0 CHECK (password_change_required IN (0, 1)),
    created_at               TEXT    NOT NULL
) STRICT;

CREATE TABLE credentials (
    id           TEXT NOT NULL PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,          -- lowercase hex BLAKE3 of the token
    label        TEXT,
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    issued_at    TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
) STRICT;
CREATE INDEX credentials_by_user ON credentials (user_id);

CREATE TABLE grants (
    id                TEXT    NOT NULL PRIMARY KEY,
    user_id           TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client            TEXT    NOT NULL,         -- a client id, or '*' for every client
    listen_port_start INTEGER NOT NULL CHECK (listen_port_start BETWEEN 1 AND 65535),
    listen_port_end   INTEGER NOT NULL CHECK (listen_port_end BETWEEN listen_port_start AND 65535),
    protocols         TEXT    NOT NULL CHECK (protocols IN ('tcp', 'udp', 'both')),
    note              TEXT,
    created_at        TEXT    NOT NULL
) STRICT;
CREATE INDEX grants_by_user ON grants (user_id);

CREATE TABLE client_tokens (
    id           TEXT NOT NULL PRIMARY KEY,     -- stable client id (ULID)
    display_name TEXT NOT NULL,                 -- free-form label, duplicates allowed
    token_hash   TEXT UNIQUE,                   -- NULL until the enrollment is redeemed
    address      TEXT,
    issued_at    TEXT NOT NULL,
    revoked_at   TEXT,
    last_seen_at TEXT
) STRICT;

CREATE TABLE client_enrollments (
    code_hash   TEXT NOT NULL PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES client_tokens (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    consumed_at TEXT
) STRICT;
CREATE INDEX client_enrollments_by_client ON client_enrollments (client_id);

CREATE TABLE rules (
    id                         TEXT    NOT NULL PRIMARY KEY,
    client_id                  TEXT    NOT NULL REFERENCES client_tokens (id) ON DELETE CASCADE,
    owner_id                   TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    listen_port                INTEGER NOT NULL CHECK (listen_port BETWEEN 1 AND 65535),
    listen_port_end            INTEGER NOT NULL CHECK (listen_port_end BETWEEN listen_port AND 65535),
    target_host                TEXT,            -- single-target rules; NULL when rule_targets is used
    target_port                INTEGER CHECK (target_port BETWEEN 1 AND 65535),
    target_port_end            INTEGER CHECK (target_port_end BETWEEN 1 AND 65535),
    protocol                   TEXT    NOT NULL CHECK (protocol IN ('tcp', 'udp')),
    sni_pattern                TEXT,
    prefer_ipv6                INTEGER NOT NULL DEFAULT 0 CHECK (prefer_ipv6 IN (0, 1)),
    health_check_interval_secs INTEGER CHECK (health_check_interval_secs > 0),
    bandwidth_in_bps           INTEGER CHECK (bandwidth_in_bps > 0),
    bandwidth_out_bps          INTEGER CHECK (bandwidth_out_bps > 0),
    new_connections_per_sec    INTEGER CHECK (new_connections_per_sec > 0),
    concurrent_connections     INTEGER CHECK (concurrent_connections > 0),
    bandwidth_in_burst         INTEGER CHECK (bandwidth_in_burst > 0),
    bandwidth_out_burst        INTEGER CHECK (bandwidth_out_burst > 0),
    new_connections_burst      INTEGER CHECK (new_connections_burst > 0),
    state                      TEXT    NOT NULL DEFAULT 'Pending',
    created_at                 TEXT    NOT NULL,
    updated_at                 TEXT    NOT NULL
) STRICT;
CREATE INDEX rules_by_client_port ON rules (client_id, protocol, listen_port);
CREATE INDEX rules_by_owner ON rules (owner_id);

CREATE TABLE rule_targets (
    rule_id        TEXT    NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL CHECK (idx BETWEEN 0 AND 7),
    host           TEXT    NOT NULL,
    port           INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    priority       INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 99),
    proxy_protocol TEXT CHECK (proxy_protocol IN ('v1', 'v2')),
    PRIMARY KEY (rule_id, idx)
) STRICT;

CREATE TABLE rate_limit_owner (
    client_id               TEXT    NOT NULL REFERENCES client_tokens (id) ON DELETE CASCADE,
    owner_id                TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    bandwidth_in_bps        INTEGER CHECK (bandwidth_in_bps > 0),
    bandwidth_out_bps       INTEGER CHECK (bandwidth_out_bps > 0),
    new_connections_per_sec INTEGER CHECK (new_connections_per_sec > 0),
    concurrent_connections  INTEGER CHECK (concurrent_connections > 0),
    bandwidth_in_burst      INTEGER CHECK (bandwidth_in_burst > 0),
    bandwidth_out_burst     INTEGER CHECK (bandwidth_out_burst > 0),
    new_connections_burst   INTEGER CHECK (new_connections_burst > 0),
    updated_at              TEXT    NOT NULL,
    PRIMARY KEY (client_id, owner_id)
) STRICT;
CREATE INDEX rate_limit_owner_by_owner ON rate_limit_owner (owner_id);

CREATE TABLE traffic_quotas (
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id     TEXT    NOT NULL REFERENCES client_tokens (id) ON DELETE CASCADE,
    monthly_bytes INTEGER NOT NULL CHECK (monthly_bytes > 0),
    reset_day     INTEGER NOT NULL DEFAULT 1 CHECK (reset_day BETWEEN 1 AND 28),
    action        TEXT    NOT NULL DEFAULT 'block' CHECK (action IN ('block', 'notify')),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (user_id, client_id)
) STRICT;
CREATE INDEX traffic_quotas_by_client ON traffic_quotas (client_id);

CREATE TABLE traffic_samples_1m (
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id    TEXT    NOT NULL REFERENCES client_tokens (id) ON DELETE CASCADE,
    bucket_start TEXT    NOT NULL,
    bytes_in     INTEGER NOT NULL DEFAULT 0 CHECK (bytes_in >= 0),
    bytes_out    INTEGER NOT NULL DEFAULT 0 CHECK (bytes_out >= 0),
    PRIMARY KEY (user_id, client_id, bucket_start)
) STRICT;
CREATE INDEX traffic_samples_1m_by_client ON traffic_samples_1m (client_id);

CREATE TABLE traffic_samples_1h (
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id    TEXT    NOT NULL REFERENCES client_tokens (id) ON DELETE CASCADE,
    bucket_start TEXT    NOT NULL,
    bytes_in     INTEGER NOT NULL DEFAULT 0 CHECK (bytes_in >= 0),
    bytes_out    INTEGER NOT NULL DEFAULT 0 CHECK (bytes_out >= 0),
    PRIMARY KEY (user_id, client_id, bucket_start)
) STRICT;
CREATE INDEX traffic_samples_1h_by_client ON traffic_samples_1h (client_id);

CREATE TABLE web_sessions (
    id_hash             TEXT NOT NULL PRIMARY KEY, -- BLAKE3 of the cookie value
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at          TEXT NOT NULL,
    last_seen_at        TEXT NOT NULL,
    absolute_expires_at TEXT NOT NULL,
    revoked_at          TEXT,
    remote_addr         TEXT
) STRICT;
CREATE INDEX web_sessions_by_user ON web_sessions (user_id);

CREATE TABLE login_attempts (
    subject      TEXT    NOT NULL,
    remote_addr  TEXT    NOT NULL,
    action       TEXT    NOT NULL CHECK (action IN ('login', 'onboarding', 'password_reset')),
    failures     INTEGER NOT NULL DEFAULT 0,
    window_start TEXT    NOT NULL,
    locked_until TEXT,
    PRIMARY KEY (subject, remote_addr, action)
) STRICT;

CREATE TABLE onboarding_setup (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    token_hash TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
) STRICT;

CREATE TABLE audit (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    ts             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    role           TEXT,
    method         TEXT NOT NULL,
    path           TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('allow', 'deny')),
    reason         TEXT,
    correlation_id TEXT,
    details_json   TEXT
) STRICT;
-- Pages are newest first by seq (the primary key). These serve the filters:
-- outcome pages walk (outcome, seq); time windows and prune walk ts.
CREATE INDEX audit_by_outcome_seq ON audit (outcome, seq);
CREATE INDEX audit_by_ts ON audit (ts);

CREATE TABLE server_settings (
    id            INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    settings_json TEXT    NOT NULL DEFAULT '{}',
    updated_at    TEXT    NOT NULL
) STRICT;
