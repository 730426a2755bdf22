#!/usr/bin/env bash
# Container and Helm checks, run from the repository root by .ci/run after `mvn verify`:
#   1. .ci/install-tools.sh      podman & friends, helm/kubectl (offline-capable)
#   2. helm/test-render.sh       helm lint + template assertions on the chart
#   3. deploy/build-image.sh     JRE base (cached) + app image from target/quarkus-app
#   4. deploy/container-smoke.sh the image's behaviour in real containers
# Each step runs even when an earlier independent one failed (the image steps need the
# tools and the image); exits non-zero if any step failed. Budget: well under 20 minutes
# cold (base image ~1 min, smoke test ~1 min).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$ROOT/deploy/containers.conf}"

failed=()
T_ALL=$(date +%s)
step() { # name, timeout seconds, command...
  local name=$1 limit=$2 t0 rc; shift 2
  echo "=== container.sh: $name"
  t0=$(date +%s)
  timeout --kill-after=30 "$limit" "$@"; rc=$?
  echo "=== container.sh: $name: exit $rc in $(( $(date +%s) - t0 )) s"
  [ "$rc" -eq 0 ] || failed+=("$name (exit $rc)")
  return "$rc"
}

tools_ok=1
step install-tools 600 bash .ci/install-tools.sh || tools_ok=0
step helm-render 300 bash helm/test-render.sh
if [ "$tools_ok" = 1 ]; then
  if step build-image 1200 bash deploy/build-image.sh; then
    step container-smoke 900 bash deploy/container-smoke.sh
  else
    failed+=("container-smoke (not run: no image)")
  fi
else
  failed+=("build-image, container-smoke (not run: tools missing)")
fi

echo "=== container.sh: total $(( $(date +%s) - T_ALL )) s"
echo "figure container_ci_seconds=$(( $(date +%s) - T_ALL ))"
if [ "${#failed[@]}" -gt 0 ]; then
  printf '=== container.sh: FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "=== container.sh: all container and Helm checks passed"
