#!/usr/bin/env bash
# Backup benchmark (issue: store foundation). Builds a >= 300 MB store with >= 1M audit rows,
# starts `serve` on it plus a steady writer (another process, committing one row at a time), and
# times in the same run: `cp` of the file, the sqlite3 CLI's `.backup`, and a whole-process
# `portunus-server backup`. Then the whole-process time of backup/verify/reset on an empty store.
# Prints each figure and its ratio to the baseline. Loopback only; stops by itself.
#   usage: bench/backup-bench.sh [ROWS] [WRITER_RATE_PER_S]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
RATE=${2:-300}
JAR=target/quarkus-app/quarkus-run.jar
SERVER=deploy/bin/portunus-server   # the shipped launcher: what an operator runs
[ -f "$JAR" ] || mvn -q -B -DskipTests package
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
SQLITE_JAR=$(ls target/quarkus-app/lib/main/org.xerial.sqlite-jdbc-*.jar | head -1)
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/portunus-bench.XXXXXX")
SERVE_PID=""
WRITER_PID=""
cleanup() {
  [ -n "$WRITER_PID" ] && kill "$WRITER_PID" 2>/dev/null || true
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
DATA=$WORK/data
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

# shellcheck source=bench/lib-serve.sh
. bench/lib-serve.sh

echo "# building a store with $ROWS audit rows"
start_serve; stop_serve
t=$(date +%s%N)
sqlite3 "$DATA/state.db" "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < $ROWS - 1)
  INSERT INTO audit (ts, actor, role, method, path, outcome, reason, correlation_id, details_json)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01T00:00:00Z', '+' || i || ' seconds'), 'user' || (i % 50), 'user',
         'POST', '/v1/grants', CASE WHEN i % 7 = 0 THEN 'deny' ELSE 'allow' END, NULL, hex(randomblob(8)),
         '{\"pad\":\"' || hex(randomblob(72)) || '\"}' FROM k;" 
echo "fill_ms=$(ms "$t") size_bytes=$(stat -c %s "$DATA/state.db")"

start_serve
timed_round() { # label, sqlite3 timeout seconds
  rm -f "$WORK/cp.db" "$WORK/cli.db" "$WORK/portunus.db" "$WORK/portunus.db.sha256"
  local t
  t=$(date +%s%N); cp "$DATA/state.db" "$WORK/cp.db"; CP_MS=$(ms "$t")
  t=$(date +%s%N)
  if timeout "$2" sqlite3 "$DATA/state.db" ".backup '$WORK/cli.db'"; then CLI_MS=$(ms "$t"); else CLI_MS="did-not-finish-in-${2}s"; fi
  t=$(date +%s%N)
  "$SERVER" backup --data-dir "$DATA" --out "$WORK/portunus.db" >/dev/null 2>"$WORK/backup.err"
  PB_MS=$(ms "$t")
  echo "[$1] cp_ms=$CP_MS sqlite3_backup_ms=$CLI_MS portunus_backup_whole_process_ms=$PB_MS"
  grep -o 'event=cli.backup_complete.*' "$WORK/backup.err" | sed 's/sha256=[0-9a-f]* //' | sed "s/^/[$1] /"
  echo "[$1] artefact_bytes=$(stat -c %s "$WORK/portunus.db") integrity=$(sqlite3 "$WORK/portunus.db" 'PRAGMA integrity_check')"
}
echo "# round A: serve running, no writer"
timed_round quiet 120
QUIET_CLI_MS=$CLI_MS
echo "ratio [quiet] portunus_backup/sqlite3_backup=$(ratio "$PB_MS" "$QUIET_CLI_MS") portunus_backup/cp=$(ratio "$PB_MS" "$CP_MS")"

echo "# round B: serve running and a steady writer at ${RATE} commits/s (another process)"
rm -f "$WORK/stop"
java -cp "$SQLITE_JAR" bench/SteadyWriter.java "$DATA/state.db" "$RATE" 600 "$WORK/stop" >"$WORK/writer.out" 2>&1 &
WRITER_PID=$!
sleep 2
timed_round writes 60
touch "$WORK/stop"; wait "$WRITER_PID" || true; WRITER_PID=""
cat "$WORK/writer.out"
echo "ratio [writes] portunus_backup/quiet_sqlite3_backup=$(ratio "$PB_MS" "$QUIET_CLI_MS") portunus_backup/cp=$(ratio "$PB_MS" "$CP_MS")"
echo "goal: backup under writes <= sqlite3 .backup (quiet; under writes it restarts) + 1500 ms -> $([ "$PB_MS" -le $((QUIET_CLI_MS + 1500)) ] && echo met || echo MISSED)"
stop_serve

echo "# whole-process time on an empty store (JVM start included), median of 5"
EMPTY=$WORK/empty
"$SERVER" serve --data-dir "$EMPTY" --operator-http-listen "127.0.0.1:$PORT" 2>/dev/null &
SERVE_PID=$!
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
stop_serve
median() { sort -n | sed -n 3p; }
BASE=$(for i in 1 2 3 4 5; do t=$(date +%s%N); java -version 2>/dev/null; ms "$t"; done | median)
B=$(for i in 1 2 3 4 5; do t=$(date +%s%N); "$SERVER" backup --data-dir "$EMPTY" --out "$WORK/e$i.db" >/dev/null 2>&1; ms "$t"; done | median)
V=$(for i in 1 2 3 4 5; do t=$(date +%s%N); "$SERVER" verify --in "$WORK/e1.db" >/dev/null 2>&1; ms "$t"; done | median)
R=$(for i in 1 2 3 4 5; do t=$(date +%s%N); "$SERVER" reset --data-dir "$EMPTY" >/dev/null 2>&1; ms "$t"; done | median)
echo "java_version_ms=$BASE backup_ms=$B verify_ms=$V reset_dry_run_ms=$R"
echo "ratio vs bare JVM start: backup=$(ratio "$B" "$BASE") verify=$(ratio "$V" "$BASE") reset=$(ratio "$R" "$BASE")"
for n in backup:$B verify:$V reset:$R; do
  echo "goal ${n%%:*} <= 2000 ms -> $([ "${n##*:}" -le 2000 ] && echo met || echo MISSED)"
done
