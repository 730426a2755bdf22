-- Schema version 2: traffic accounting (06-traffic.md §2.6).
-- Reports are deduplicated per client (boot id + sequence) and turned into deltas against
-- baselines persisted in the same transaction as the samples, so counting is exactly-once across
-- client retries and server restarts. The rollup keeps its watermark in a one-row table with no
-- seed row: absent means "never rolled", and an untouched store still counts as empty.

CREATE TABLE traffic_report_state (
    client_id      TEXT    NOT NULL PRIMARY KEY REFERENCES client_tokens (id) ON DELETE CASCADE,
    boot_id        TEXT    NOT NULL,
    last_seq       INTEGER NOT NULL CHECK (last_seq >= 0),
    prev_boot_id   TEXT,
    last_report_at TEXT    NOT NULL
) STRICT;

CREATE TABLE traffic_counters (
    client_id  TEXT    NOT NULL REFERENCES client_tokens (id) ON DELETE CASCADE,
    rule_id    TEXT    NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
    bytes_in   INTEGER NOT NULL CHECK (bytes_in >= 0),
    bytes_out  INTEGER NOT NULL CHECK (bytes_out >= 0),
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (client_id, rule_id)
) STRICT;
-- Deleting a rule cascades here; without this index each such delete would scan the table.
CREATE INDEX traffic_counters_by_rule ON traffic_counters (rule_id);

CREATE TABLE traffic_rollup_state (
    id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    last_rolled_hour TEXT
) STRICT;

-- The sample tables become WITHOUT ROWID (rows stored in key order: smaller, faster range reads),
-- same columns; nothing wrote them before this version, but any rows are kept. The key is
-- (user_id, bucket_start, client_id): the same uniqueness as V1's, ordered so that a user's series
-- is one range of the table (bench/traffic-bench.sh: a user with 10 clients, 7 days of minutes,
-- 75 ms with (user_id, client_id, bucket_start) against 25 ms with this order).
CREATE TABLE traffic_samples_1m_v2 (
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id    TEXT    NOT NULL REFERENCES client_tokens (id) ON DELETE CASCADE,
    bucket_start TEXT    NOT NULL,
    bytes_in     INTEGER NOT NULL DEFAULT 0 CHECK (bytes_in >= 0),
    bytes_out    INTEGER NOT NULL DEFAULT 0 CHECK (bytes_out >= 0),
    PRIMARY KEY (user_id, bucket_start, client_id)
) STRICT, WITHOUT ROWID;
INSERT INTO traffic_samples_1m_v2 SELECT user_id, client_id, bucket_start, bytes_in, bytes_out FROM traffic_samples_1m;
DROP TABLE traffic_samples_1m;
ALTER TABLE traffic_samples_1m_v2 RENAME TO traffic_samples_1m;

CREATE TABLE traffic_samples_1h_v2 (
    user_id      TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id    TEXT    NOT NULL REFERENCES client_tokens (id) ON DELETE CASCADE,
    bucket_start TEXT    NOT NULL,
    bytes_in     INTEGER NOT NULL DEFAULT 0 CHECK (bytes_in >= 0),
    bytes_out    INTEGER NOT NULL DEFAULT 0 CHECK (bytes_out >= 0),
    PRIMARY KEY (user_id, bucket_start, client_id)
) STRICT, WITHOUT ROWID;
INSERT INTO traffic_samples_1h_v2 SELECT user_id, client_id, bucket_start, bytes_in, bytes_out FROM traffic_samples_1h;
DROP TABLE traffic_samples_1h;
ALTER TABLE traffic_samples_1h_v2 RENAME TO traffic_samples_1h;

-- Global reads, the rollup and retention deletes go by time; client reads by client and time. Both
-- indexes carry the byte columns (covering): a read of 144 000 minute rows (24 h of 100 pairs) then
-- never visits the table, 30 ms instead of 240 ms (bench/traffic-bench.sh).
CREATE INDEX traffic_samples_1m_by_bucket ON traffic_samples_1m (bucket_start, bytes_in, bytes_out);
CREATE INDEX traffic_samples_1m_by_client ON traffic_samples_1m (client_id, bucket_start, bytes_in, bytes_out);
CREATE INDEX traffic_samples_1h_by_bucket ON traffic_samples_1h (bucket_start, bytes_in, bytes_out);
CREATE INDEX traffic_samples_1h_by_client ON traffic_samples_1h (client_id, bucket_start, bytes_in, bytes_out);

-- The endpoint an enrollment was created for, frozen so that its bundle names the same one (§3).
ALTER TABLE client_enrollments ADD COLUMN advertised_endpoint TEXT;

-- "Clear usage" of the web UI (06-traffic.md §5.7): usage is summed from samples, so clearing it
-- means counting from this moment on for the rest of the period; NULL = never cleared.
ALTER TABLE traffic_quotas ADD COLUMN usage_cleared_at TEXT;
