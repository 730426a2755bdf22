#!/usr/bin/env bash
# Issue-10 benchmark ("fast where operators wait"): command start, serve start and idle RSS, backup
# under writes, audit flood, audit pages at 1M entries, credential mints; each figure beside a
# baseline measured in the same run. Not part of `mvn verify`. Loopback only; stops by itself.
# Needs wrk, sqlite3 and python3 on PATH (Debian: apt-get install -y wrk sqlite3).
#   usage: bench/perf-bench.sh [start] [serve] [backup] [flood] [pages] [mint]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
for t in wrk sqlite3 python3; do command -v "$t" >/dev/null || { echo "$t not found" >&2; exit 1; }; done
if [ ! -f target/quarkus-app/quarkus-run.jar ] || [ ! -f target/test-classes/dev/portunus/bench/PerfBench.class ]; then
  mvn -q -B -DskipTests package
  mvn -q -B test-compile
fi
CP="target/test-classes:target/classes:$(ls target/quarkus-app/lib/main/*.jar target/quarkus-app/lib/boot/*.jar | tr '\n' ':')"
exec java -Xmx512m -cp "$CP" dev.portunus.bench.PerfBench "$@"
