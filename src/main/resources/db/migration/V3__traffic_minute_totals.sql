-- Schema version 3: per-minute totals of the traffic scopes the charts read (06-traffic.md §1.5).
-- A chart of every user (24 h in minutes: 144 000 sample rows for 100 pairs) or of one user or
-- client over 7 days in minutes (100 000 rows for ten pairs) summed its samples on each read, 40–50 ms
-- of SQLite alone (bench/traffic-bench.sh); these totals make it one ordered range of at most
-- 10 140 rows. Triggers keep them, so every path that changes a minute sample (a report, retention,
-- a user or client deleted by cascade) changes them in the same transaction:
--   a row ('all', '', t) holds the sums of every sample of minute t, ('user', u, t) of user u's and
--   ('client', c, t) of client c's; sample_rows counts the samples summed, and a total exists exactly
--   when that count is above zero, so a series has a bucket iff some sample has it (§1.1, sparse).
-- Sums saturate at the int64 maximum like the samples do; a total held at that bound can then read
-- lower than the true sum once a sample leaves, never below zero.

CREATE TABLE traffic_totals_1m (
    scope        TEXT    NOT NULL CHECK (scope IN ('all', 'user', 'client')),
    scope_id     TEXT    NOT NULL,
    bucket_start TEXT    NOT NULL,
    sample_rows  INTEGER NOT NULL CHECK (sample_rows > 0),
    bytes_in     INTEGER NOT NULL CHECK (bytes_in >= 0),
    bytes_out    INTEGER NOT NULL CHECK (bytes_out >= 0),
    PRIMARY KEY (scope, scope_id, bucket_start)
) STRICT, WITHOUT ROWID;

INSERT INTO traffic_totals_1m (scope, scope_id, bucket_start, sample_rows, bytes_in, bytes_out)
    SELECT 'all', '', bucket_start, count(*), CAST(total(bytes_in) AS INTEGER), CAST(total(bytes_out) AS INTEGER)
    FROM traffic_samples_1m GROUP BY bucket_start;
INSERT INTO traffic_totals_1m (scope, scope_id, bucket_start, sample_rows, bytes_in, bytes_out)
    SELECT 'user', user_id, bucket_start, count(*), CAST(total(bytes_in) AS INTEGER), CAST(total(bytes_out) AS INTEGER)
    FROM traffic_samples_1m GROUP BY user_id, bucket_start;
INSERT INTO traffic_totals_1m (scope, scope_id, bucket_start, sample_rows, bytes_in, bytes_out)
    SELECT 'client', client_id, bucket_start, count(*), CAST(total(bytes_in) AS INTEGER), CAST(total(bytes_out) AS INTEGER)
    FROM traffic_samples_1m GROUP BY client_id, bucket_start;

CREATE TRIGGER traffic_totals_1m_on_insert AFTER INSERT ON traffic_samples_1m BEGIN
    INSERT INTO traffic_totals_1m (scope, scope_id, bucket_start, sample_rows, bytes_in, bytes_out)
    VALUES ('all', '', NEW.bucket_start, 1, NEW.bytes_in, NEW.bytes_out),
           ('user', NEW.user_id, NEW.bucket_start, 1, NEW.bytes_in, NEW.bytes_out),
           ('client', NEW.client_id, NEW.bucket_start, 1, NEW.bytes_in, NEW.bytes_out)
    ON CONFLICT (scope, scope_id, bucket_start) DO UPDATE SET sample_rows = sample_rows + 1,
        bytes_in = min(bytes_in + excluded.bytes_in, 9223372036854775807),
        bytes_out = min(bytes_out + excluded.bytes_out, 9223372036854775807);
END;

-- The report's additive upsert updates a sample in place; its keys never change (checked below).
CREATE TRIGGER traffic_totals_1m_on_update AFTER UPDATE OF bytes_in, bytes_out ON traffic_samples_1m BEGIN
    UPDATE traffic_totals_1m
       SET bytes_in = max(min(bytes_in + (NEW.bytes_in - OLD.bytes_in), 9223372036854775807), 0),
           bytes_out = max(min(bytes_out + (NEW.bytes_out - OLD.bytes_out), 9223372036854775807), 0)
     WHERE scope = 'all' AND scope_id = '' AND bucket_start = NEW.bucket_start;
    UPDATE traffic_totals_1m
       SET bytes_in = max(min(bytes_in + (NEW.bytes_in - OLD.bytes_in), 9223372036854775807), 0),
           bytes_out = max(min(bytes_out + (NEW.bytes_out - OLD.bytes_out), 9223372036854775807), 0)
     WHERE scope = 'user' AND scope_id = NEW.user_id AND bucket_start = NEW.bucket_start;
    UPDATE traffic_totals_1m
       SET bytes_in = max(min(bytes_in + (NEW.bytes_in - OLD.bytes_in), 9223372036854775807), 0),
           bytes_out = max(min(bytes_out + (NEW.bytes_out - OLD.bytes_out), 9223372036854775807), 0)
     WHERE scope = 'client' AND scope_id = NEW.client_id AND bucket_start = NEW.bucket_start;
END;

-- Moving a sample to another user, client or minute would need both totals mended; nothing does it,
-- so it is refused rather than left to drift.
CREATE TRIGGER traffic_samples_1m_keys_fixed BEFORE UPDATE OF user_id, client_id, bucket_start ON traffic_samples_1m
WHEN NEW.user_id IS NOT OLD.user_id OR NEW.client_id IS NOT OLD.client_id OR NEW.bucket_start IS NOT OLD.bucket_start
BEGIN
    SELECT RAISE(ABORT, 'traffic_samples_1m: user_id, client_id and bucket_start do not change (traffic_totals_1m is kept from them)');
END;

-- A total whose last sample leaves is deleted; the others lose that sample's bytes.
CREATE TRIGGER traffic_totals_1m_on_delete AFTER DELETE ON traffic_samples_1m BEGIN
    DELETE FROM traffic_totals_1m WHERE sample_rows = 1 AND scope = 'all' AND scope_id = '' AND bucket_start = OLD.bucket_start;
    DELETE FROM traffic_totals_1m WHERE sample_rows = 1 AND scope = 'user' AND scope_id = OLD.user_id AND bucket_start = OLD.bucket_start;
    DELETE FROM traffic_totals_1m WHERE sample_rows = 1 AND scope = 'client' AND scope_id = OLD.client_id AND bucket_start = OLD.bucket_start;
    UPDATE traffic_totals_1m
       SET sample_rows = sample_rows - 1, bytes_in = max(bytes_in - OLD.bytes_in, 0), bytes_out = max(bytes_out - OLD.bytes_out, 0)
     WHERE scope = 'all' AND scope_id = '' AND bucket_start = OLD.bucket_start;
    UPDATE traffic_totals_1m
       SET sample_rows = sample_rows - 1, bytes_in = max(bytes_in - OLD.bytes_in, 0), bytes_out = max(bytes_out - OLD.bytes_out, 0)
     WHERE scope = 'user' AND scope_id = OLD.user_id AND bucket_start = OLD.bucket_start;
    UPDATE traffic_totals_1m
       SET sample_rows = sample_rows - 1, bytes_in = max(bytes_in - OLD.bytes_in, 0), bytes_out = max(bytes_out - OLD.bytes_out, 0)
     WHERE scope = 'client' AND scope_id = OLD.client_id AND bucket_start = OLD.bucket_start;
END;
