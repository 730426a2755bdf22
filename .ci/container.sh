#!/usr/bin/env bash
# Container and Helm checks, run from the repository root by .ci/run after `mvn verify`:
#   1. .ci/install-tools.sh      podman & friends, helm/kubectl (offline-capable)
#   2. helm/test-render.sh       helm lint + template assertions on the chart
#   3. deploy/build-image.sh     JRE base (cached) + app image from target/quarkus-app
#   4. deploy/container-smoke.sh the image's behaviour in real containers
# Each step runs even when an earlier independent one failed (the image steps need the
# tools and the image); exits non-zero if any step failed. Budget: well under 20 minutes
# cold (base image ~1-1.5 min, smoke test ~0.5-1 min); the per-step caps add up to 22 min
# only in the worst case.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$ROOT/deploy/containers.conf}"

failed=()
T_ALL=$(date +%s)
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
total_pass=0; total_fail=0
step() { # name, timeout seconds, command...
  local name=$1 limit=$2 t0 rc; shift 2
  echo "=== container.sh: $name"
  t0=$(date +%s)
  : >"$LOG"
  timeout --kill-after=30 "$limit" "$@" 2>&1 | tee "$LOG"; rc=${PIPESTATUS[0]}
  echo "=== container.sh: $name: exit $rc in $(( $(date +%s) - t0 )) s"
  # Add the step's own `N passed, N failed` line to the totals; a failed step that
  # printed none counts as one failure, a passing one as one pass.
  local counts
  counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOG" | tail -n 1)
  if [ -n "$counts" ]; then
    total_pass=$(( total_pass + $(echo "$counts" | awk '{ print $1 }') ))
    total_fail=$(( total_fail + $(echo "$counts" | awk '{ print $3 }') ))
    [ "$rc" -eq 0 ] || [ "$(echo "$counts" | awk '{ print $3 }')" -gt 0 ] || total_fail=$(( total_fail + 1 ))
  elif [ "$rc" -eq 0 ]; then total_pass=$(( total_pass + 1 ))
  else total_fail=$(( total_fail + 1 )); fi
  [ "$rc" -eq 0 ] || failed+=("$name (exit $rc)")
  return "$rc"
}

tools_ok=1
step install-tools 240 bash .ci/install-tools.sh || tools_ok=0
step helm-render 120 bash helm/test-render.sh
if [ "$tools_ok" = 1 ]; then
  if step build-image 480 bash deploy/build-image.sh; then
    step container-smoke 480 bash deploy/container-smoke.sh
  else
    failed+=("container-smoke (not run: no image)"); total_fail=$(( total_fail + 1 ))
  fi
else
  failed+=("build-image, container-smoke (not run: tools missing)"); total_fail=$(( total_fail + 2 ))
fi

echo "=== container.sh: total $(( $(date +%s) - T_ALL )) s"
echo "figure container_ci_seconds=$(( $(date +%s) - T_ALL ))"
if [ "${#failed[@]}" -gt 0 ]; then
  printf '=== container.sh: FAILED: %s\n' "${failed[@]}"
  echo "container: $total_pass passed, $total_fail failed"
  exit 1
fi
echo "=== container.sh: all container and Helm checks passed"
echo "container: $total_pass passed, $total_fail failed"
