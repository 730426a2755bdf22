#!/usr/bin/env bash
# Render test of the Portunus Helm chart, offline: helm lint --strict, helm template with
# default values, local-PV values (ci/local-pv-values.yaml) and existingClaim/existingSecret
# values, then assertions on the manifests (render_checks.py), a mutation self-test that
# proves each key assertion can fail, schema refusals, NOTES.txt content, and a
# `kubectl apply --dry-run=client` pass when kubectl can work without an API server.
# Last line: `N passed, N failed[, N skipped]`; exit 1 on any failure.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CHART="$HERE/portunus"
NS=portunus-test
REL=portunus
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

pass=0; fail=0; skip=0
ok()   { echo "PASS: $*"; pass=$((pass + 1)); }
bad()  { echo "FAIL: $*"; fail=$((fail + 1)); }
skp()  { echo "SKIP: $*"; skip=$((skip + 1)); }
finish() { echo "$pass passed, $fail failed, $skip skipped"; [ "$fail" -eq 0 ]; exit $?; }

if ! command -v helm >/dev/null 2>&1; then
  bad "helm not on PATH (run .ci/install-tools.sh)"; finish
fi
PY=
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import yaml' >/dev/null 2>&1; then PY=$p; break; fi
done
if [ -z "$PY" ]; then bad "no python3 with PyYAML (apt-get install python3-yaml)"; finish; fi

# Feed PASS/FAIL lines of a sub-check into the counters.
count() {
  local line
  while IFS= read -r line; do
    echo "$line"
    case "$line" in PASS:*) pass=$((pass + 1)) ;; FAIL:*) fail=$((fail + 1)) ;; esac
  done
}

# --- lint -------------------------------------------------------------------------------
for vals in "" "$CHART/ci/local-pv-values.yaml"; do
  label=${vals:+local-pv values}; label=${label:-default values}
  if out=$(helm lint --strict "$CHART" ${vals:+-f "$vals"} 2>&1); then ok "helm lint --strict ($label)"
  else bad "helm lint --strict ($label)"; echo "$out" | sed 's/^/    /'; fi
done

# --- render -----------------------------------------------------------------------------
render() { # name, extra args...
  local name=$1; shift
  if helm template "$REL" "$CHART" -n "$NS" "$@" >"$WORK/$name.yaml" 2>"$WORK/$name.err"; then
    ok "helm template ($name)"; return 0
  fi
  bad "helm template ($name)"; sed 's/^/    /' "$WORK/$name.err"; return 1
}
render default && count < <("$PY" "$HERE/render_checks.py" default "$WORK/default.yaml")
render local -f "$CHART/ci/local-pv-values.yaml" && count < <("$PY" "$HERE/render_checks.py" local "$WORK/local.yaml")
render existing --set persistence.existingClaim=my-claim --set operatorToken.existingSecret=my-token \
  && count < <("$PY" "$HERE/render_checks.py" existing "$WORK/existing.yaml")
render backup --set backup.enabled=true --set backup.interval=6h --set backup.keep=14 \
  --set backup.persistence.size=10Gi --set backup.persistence.storageClassName=slow --set audit.retention=90d \
  --set metrics.serviceMonitor.enabled=true \
  && count < <("$PY" "$HERE/render_checks.py" backup "$WORK/backup.yaml")
[ -s "$WORK/default.yaml" ] && count < <("$PY" "$HERE/render_checks.py" --self-test "$WORK/default.yaml")

# --- values that must be refused --------------------------------------------------------
refuse() { # description, args...
  local d=$1; shift
  if helm template "$REL" "$CHART" -n "$NS" "$@" >/dev/null 2>"$WORK/refuse.err"; then
    bad "refused: $d (helm template accepted it)"
  else
    ok "refused: $d ($(grep -v "^$" "$WORK/refuse.err" | tail -n1 | sed "s/^[- ]*//" | cut -c1-90))"
  fi
}
refuse "a replica count value" --set replicas=3
refuse "a replicaCount value" --set replicaCount=2
refuse "local.enabled without path/node" --set local.enabled=true
refuse "an updateStrategy value" --set updateStrategy.type=RollingUpdate
refuse "runAsUser 0" --set runAsUser=0
refuse "backup.interval below a minute (30s)" --set backup.interval=30s
refuse "backup.interval not a span" --set backup.interval=often
refuse "backup.keep 0" --set backup.keep=0
refuse "backup.keep 1001" --set backup.keep=1001
refuse "backup.keep as text" --set-string backup.keep=7
refuse "audit.retention below an hour (30m)" --set audit.retention=30m
refuse "an unknown backup value" --set backup.schedule=daily

# --- NOTES.txt (helm template does not render it: render it as a ConfigMap in a copy) ----
cp -r "$CHART" "$WORK/chart"
cp "$CHART/templates/NOTES.txt" "$WORK/chart/notes-src.txt"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered-notes\ndata:\n  notes: |\n    {{- tpl (.Files.Get "notes-src.txt") . | nindent 4 }}\n' \
  >"$WORK/chart/templates/zz-notes-render.yaml"
if helm template "$REL" "$WORK/chart" -n "$NS" --show-only templates/zz-notes-render.yaml >"$WORK/notes.yaml" 2>"$WORK/notes.err"; then
  "$PY" -c 'import sys,yaml; print(yaml.safe_load(open(sys.argv[1]))["data"]["notes"])' "$WORK/notes.yaml" >"$WORK/notes.txt"
  pod="$REL-0"; [ "$REL" = portunus ] || pod="$REL-portunus-0"
  if grep -qF "kubectl exec -n $NS $pod -- portunus-server backup --out /var/lib/portunus/backups/" "$WORK/notes.txt"; then
    ok "NOTES.txt has the kubectl exec backup command with release names"
  else bad "NOTES.txt kubectl exec backup command"; sed 's/^/    /' "$WORK/notes.txt"; fi
  if grep -qF "kubectl cp -n $NS $pod:/var/lib/portunus/backups/" "$WORK/notes.txt"; then
    ok "NOTES.txt has the kubectl cp command with release names"
  else bad "NOTES.txt kubectl cp command"; fi
else
  bad "render NOTES.txt"; sed 's/^/    /' "$WORK/notes.err"
fi
if helm template "$REL" "$WORK/chart" -n "$NS" --show-only templates/zz-notes-render.yaml --set backup.enabled=true \
     >"$WORK/notes-backup.yaml" 2>"$WORK/notes.err"; then
  "$PY" -c 'import sys,yaml; print(yaml.safe_load(open(sys.argv[1]))["data"]["notes"])' "$WORK/notes-backup.yaml" >"$WORK/notes-backup.txt"
  if grep -qF "kubectl port-forward -n $NS svc/" "$WORK/notes-backup.txt" \
     && grep -qF 'http://127.0.0.1:7080/v1/backups' "$WORK/notes-backup.txt" \
     && grep -qF -- '-OJ http://127.0.0.1:7080/v1/backups/portunus-state-' "$WORK/notes-backup.txt" \
     && grep -qF 'time() - portunus_last_backup_timestamp_seconds > 2 *' "$WORK/notes-backup.txt"; then
    ok "NOTES.txt with backup.enabled: port-forward, list and download with curl, the alert expression"
  else bad "NOTES.txt backup commands"; sed 's/^/    /' "$WORK/notes-backup.txt"; fi
else
  bad "render NOTES.txt with backup.enabled"; sed 's/^/    /' "$WORK/notes.err"
fi

# --- kubectl client-side dry run --------------------------------------------------------
if command -v kubectl >/dev/null 2>&1; then
  for name in default local; do
    [ -s "$WORK/$name.yaml" ] || continue
    if out=$(timeout 60 kubectl apply --dry-run=client --validate=false -f "$WORK/$name.yaml" 2>&1); then
      ok "kubectl apply --dry-run=client ($name)"
    elif echo "$out" | grep -qiE 'connection refused|unable to recognize|no configuration has been provided|Unable to connect'; then
      # kubectl needs an API server's discovery data even for client dry runs.
      skp "kubectl apply --dry-run=client ($name): no API server reachable"
    else
      bad "kubectl apply --dry-run=client ($name)"; echo "$out" | sed 's/^/    /' | head -n 20
    fi
  done
else
  skp "kubectl not on PATH"
fi

finish
