#!/usr/bin/env bash
# Traffic accounting benchmark (issue 12). Not part of `mvn verify`.
# (a) one traffic report of 10 000 rules through the client listener vs the same transaction in the sqlite3 CLI;
# (b) the catch-up rollup of a month of minute samples for 100 rules, then the web UI's read windows
#     (server-side p99 from the server's own histogram) vs the same SQL in the sqlite3 CLI.
# Needs: sqlite3 on PATH (Debian: apt-get install -y sqlite3); about 2 GB of free disk for (b).
# Usage: bench/traffic-bench.sh [a] [b]     (no argument: both parts)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "sqlite3 not found (apt-get install -y sqlite3)" >&2; exit 1; }
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ ! -f target/test-classes/dev/portunus/bench/TrafficBench.class ]; then
  mvn -q -B package -DskipTests
  mvn -q -B test-compile
fi
CP="target/test-classes:target/classes:$(ls target/quarkus-app/lib/main/*.jar target/quarkus-app/lib/boot/*.jar | tr '\n' ':')"
exec java -Xmx1g -cp "$CP" -Dportunus.jar=target/quarkus-app/quarkus-run.jar dev.portunus.bench.TrafficBench "$@"
