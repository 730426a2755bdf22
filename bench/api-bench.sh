#!/usr/bin/env bash
# Operator API benchmark (issue 3). Not part of `mvn verify`.
# Needs: wrk and sqlite3 on PATH (Debian: apt-get install -y wrk sqlite3).
# Usage: bench/api-bench.sh [a] [b] [c]     (no argument: all three parts)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 not found (apt-get install -y sqlite3)" >&2; exit 1; }
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ ! -d target/test-classes/dev/portunus/bench ]; then
  mvn -q -B package -DskipTests
  mvn -q -B test-compile
fi
CP="target/test-classes:target/classes:$(ls target/quarkus-app/lib/main/*.jar target/quarkus-app/lib/boot/*.jar | tr '\n' ':')"
exec java -Xmx512m -cp "$CP" -Dportunus.jar=target/quarkus-app/quarkus-run.jar dev.portunus.bench.ApiBench "$@"
