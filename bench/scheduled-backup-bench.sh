#!/usr/bin/env bash
# Scheduled/API backup benchmark (issue 13, 07-scheduled-backups.md). Builds a store of ROWS audit
# rows (default 1M, about 345 MB) with the sqlite3 CLI, starts `serve` with backup_dir and a short
# test-only interval, and measures in the same run:
#   - an API backup (POST /v1/backups, in-process, verified) : curl wall time and the event's total_ms
#   - a scheduled backup (in-process, verified)               : the event's total_ms
#   - the `backup --verify` command beside serve (whole process, JVM start included)
#   - serve's RSS idle and its peak while the scheduled backup runs (VmRSS sampled every 50 ms)
# Loopback only; stops by itself and removes its files.   usage: bench/scheduled-backup-bench.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
INTERVAL=${INTERVAL:-40s}
JAR=target/quarkus-app/quarkus-run.jar
SERVER=deploy/bin/portunus-server
[ -f "$JAR" ] || mvn -q -B -DskipTests package
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/portunus-sbench.XXXXXX")
SERVE_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
DATA=$WORK/data
BK=$WORK/backups
TOKEN=bench-operator-token-0123456789abcdef
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
rss_mb() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# shellcheck source=bench/lib-serve.sh
. bench/lib-serve.sh

echo "# building a store with $ROWS audit rows"
start_serve; stop_serve
sqlite3 "$DATA/state.db" "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < $ROWS - 1)
  INSERT INTO audit (ts, actor, role, method, path, outcome, reason, correlation_id, details_json)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01T00:00:00Z', '+' || i || ' seconds'), 'user' || (i % 50), 'user',
         'POST', '/v1/grants', CASE WHEN i % 7 = 0 THEN 'deny' ELSE 'allow' END, NULL, hex(randomblob(8)),
         '{\"pad\":\"' || hex(randomblob(72)) || '\"}' FROM k;"
SIZE=$(stat -c %s "$DATA/state.db")
echo "store_bytes=$SIZE store_mb=$(( SIZE / 1000000 ))"

: >"$WORK/serve.err"
export PORTUNUS_OPERATOR_TOKEN=$TOKEN
export JAVA_OPTS="-Dportunus.backup.test-interval=$INTERVAL"
start_serve --backup-dir "$BK" --backup-keep 3
T_READY=$(date +%s)
sleep 3
echo "serve_idle_rss_mb=$(rss_mb "$SERVE_PID")"

# API backup (in-process, verified).
t=$(date +%s%N)
code=$(curl -s -o "$WORK/api.json" -w '%{http_code}' -m 300 -X POST -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/backups")
echo "api_backup_http=$code api_backup_wall_ms=$(ms "$t") api_backup_total_ms=$(grep 'trigger=api' "$WORK/serve.err" | grep -o 'total_ms=[0-9]*' | tail -1 | cut -d= -f2)"

# The command beside serve (whole process, --verify: the same checks).
mkdir -p "$WORK/cmd"
t=$(date +%s%N)
"$SERVER" backup --data-dir "$DATA" --out "$WORK/cmd/" --verify >/dev/null 2>"$WORK/cmd.err"
echo "command_backup_verify_whole_process_ms=$(ms "$t") command_total_ms=$(grep -o 'total_ms=[0-9]*' "$WORK/cmd.err" | cut -d= -f2)"

# Scheduled backup: sample RSS until its backup.complete line appears.
peak=0
deadline=$(( T_READY + ${INTERVAL%s} * 3 + 120 ))
while ! grep -q 'event=backup.complete trigger=schedule' "$WORK/serve.err"; do
  r=$(rss_mb "$SERVE_PID"); [ "$r" -gt "$peak" ] && peak=$r
  [ "$(date +%s)" -lt "$deadline" ] || { echo "no scheduled backup in time" >&2; exit 1; }
  sleep 0.05
done
echo "scheduled_backup_total_ms=$(grep 'trigger=schedule' "$WORK/serve.err" | grep -o 'total_ms=[0-9]*' | head -1 | cut -d= -f2) serve_peak_rss_during_scheduled_backup_mb=$peak"
grep -h 'event=backup.complete' "$WORK/serve.err" | sed 's/sha256=[0-9a-f]* //' | cut -c1-220
stop_serve
