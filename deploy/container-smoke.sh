#!/usr/bin/env bash
# Container smoke test of the Portunus image with podman (no Docker engine needed).
#
# What it proves, on one named volume:
#   - `serve` (the image's default command) becomes ready and answers /q/health/ready
#     through a published port (127.0.0.1 only, a free port);
#   - the server process is java as PID 1 (no shell in between) and not root;
#   - a second container on the same volume exits 75 (store in use);
#   - `podman exec CTR portunus-server backup --out /var/lib/portunus/backups/` writes an
#     artefact + .sha256 on the volume that `verify --in` (another container) accepts;
#   - exit codes reach the caller of `podman run` (usage error -> 2);
#   - `podman stop` (SIGTERM) ends serve with exit code 0, and a new container on the
#     same volume reuses the store (no fresh store, the backup is still there, and a
#     user created through the API - when the API supports it - is still there);
#   - `reset` without --confirm removes nothing (file list + sha256 before/after);
#   - `restore` without --force onto an existing store exits 1 and changes nothing;
#   - a data dir on tmpfs is refused with exit 78;
#   - with PORTUNUS_BACKUP_DIR on a second volume and a short (test-only) interval, serve
#     publishes verified artefacts there by itself, lists them over the API, and
#     `verify --in` accepts one in another container.
# Figures (`figure name=value`): image size, run-to-ready time, idle RSS of serve,
# time of the backup through podman exec.
# Bounded in time (SMOKE_TIMEOUT, default 420 s); removes its containers and volume.
# Last line: `N passed, N failed`; exit 1 on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export CONTAINERS_CONF="${CONTAINERS_CONF:-$ROOT/deploy/containers.conf}"
IMAGE="${PORTUNUS_IMAGE:-localhost/portunus:dev}"
SMOKE_TIMEOUT="${SMOKE_TIMEOUT:-420}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
RUN_ID="$$-$RANDOM"
LABEL="portunus-smoke=$RUN_ID"
VOL="portunus-smoke-$RUN_ID"
VOL_B="portunus-smoke-$RUN_ID-backups"
CTR_A="portunus-smoke-$RUN_ID-a"
CTR_C="portunus-smoke-$RUN_ID-c"
STORE=/var/lib/portunus
TOKEN="smoke-$RANDOM$RANDOM$RANDOM-operator-token-0123456789abcdef"

pass=0; fail=0
ok()  { echo "PASS: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
check() { # description, condition-command...
  local d=$1; shift
  if "$@"; then ok "$d"; else bad "$d"; fi
}
info() { echo "  .. $*"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
pm() { timeout "${PM_TIMEOUT:-120}" podman "$@"; }

WATCHDOG=
cleanup() {
  local ids
  [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null
  ids=$(podman ps -aq --filter "label=$LABEL" 2>/dev/null)
  [ -n "$ids" ] && timeout 60 podman rm -f -t 2 $ids >/dev/null 2>&1
  timeout 60 podman volume rm -f "$VOL" >/dev/null 2>&1
  timeout 60 podman volume rm -f "$VOL_B" >/dev/null 2>&1
  return 0
}
trap cleanup EXIT
trap 'echo "FAIL: interrupted (time limit ${SMOKE_TIMEOUT}s or signal)"; fail=$((fail + 1)); echo "$pass passed, $fail failed"; exit 1' INT TERM
# Whole-test time bound: TERM ourselves after SMOKE_TIMEOUT seconds.
( sleep "$SMOKE_TIMEOUT" & s=$!; trap 'kill $s 2>/dev/null; exit 0' TERM; wait $s && kill -TERM $$ 2>/dev/null ) &
WATCHDOG=$!

if ! command -v podman >/dev/null 2>&1; then
  bad "podman not installed (run .ci/install-tools.sh)"; echo "$pass passed, $fail failed"; exit 1
fi
if ! podman image exists "$IMAGE"; then
  bad "image $IMAGE not found (run deploy/build-image.sh)"; echo "$pass passed, $fail failed"; exit 1
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null && return
  local p
  for p in $(seq 27080 27180); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

http_code() { # url [curl args...]
  local url=$1; shift
  curl -s -o /dev/null -w '%{http_code}' -m 5 "$@" "$url" 2>/dev/null || true
}

running() { [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }
exit_code() { podman inspect --format '{{.State.ExitCode}}' "$1" 2>/dev/null; }

# wait_ready CTR PORT -> sets READY_SECS from T_START; 0 when ready
wait_ready() {
  local ctr=$1 port=$2 deadline code
  deadline=$(( $(date +%s) + READY_TIMEOUT ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    code=$(http_code "http://127.0.0.1:$port/q/health/ready")
    if [ "$code" = 200 ]; then READY_SECS=$(secs "$T_START" "$(now)"); return 0; fi
    if ! running "$ctr"; then
      info "$ctr exited with $(exit_code "$ctr") before it was ready; last log lines:"
      podman logs --tail 15 "$ctr" 2>&1 | sed 's/^/     /'
      return 1
    fi
    sleep 0.25
  done
  info "$ctr not ready after ${READY_TIMEOUT}s (last HTTP code ${code:-none}); last log lines:"
  podman logs --tail 15 "$ctr" 2>&1 | sed 's/^/     /'
  return 1
}

# Files on the volume with their sha256, read from a throwaway container.
volume_listing() {
  pm run --rm --label "$LABEL" -v "$VOL:$STORE" --entrypoint sh "$IMAGE" -c \
    "cd $STORE && find . -type f | LC_ALL=C sort | while IFS= read -r f; do sha256sum \"\$f\"; done"
}

size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
echo "figure image_size_mb=$(( size / 1000000 ))"

pm volume create --label "$LABEL" "$VOL" >/dev/null || { bad "podman volume create"; echo "$pass passed, $fail failed"; exit 1; }

# --- 1. serve becomes ready through a published port -----------------------------------
PORT_A=$(free_port)
T_START=$(now)
# Locked down like the Helm chart's pod: read-only root (podman adds tmpfs /tmp), no
# capabilities, no privilege escalation.
if pm run -d --name "$CTR_A" --label "$LABEL" -v "$VOL:$STORE" -p "127.0.0.1:$PORT_A:7080" \
     --read-only --cap-drop ALL --security-opt no-new-privileges \
     -e PORTUNUS_OPERATOR_TOKEN="$TOKEN" "$IMAGE" >/dev/null; then
  if wait_ready "$CTR_A" "$PORT_A"; then
    ok "serve (read-only root, no capabilities) with a named volume answers /q/health/ready on 127.0.0.1:$PORT_A (${READY_SECS}s)"
    echo "figure run_to_ready_seconds=$READY_SECS"
  else
    bad "serve in a container becomes ready on a published port"
  fi
else
  bad "podman run serve"
fi
A_READY=0; running "$CTR_A" && [ "$(http_code "http://127.0.0.1:$PORT_A/q/health/ready")" = 200 ] && A_READY=1
live=$(http_code "http://127.0.0.1:$PORT_A/q/health/live")
check "/q/health/live answers 200 (got ${live:-none})" [ "$live" = 200 ]

# --- 2. not root, java is PID 1 ----------------------------------------------------------
uid_exec=$(pm exec "$CTR_A" id -u 2>/dev/null)
uid_pid1=$(pm exec "$CTR_A" sh -c "awk '/^Uid:/ { print \$2 }' /proc/1/status" 2>/dev/null)
check "serve does not run as root (podman exec id -u: ${uid_exec:-?}, PID 1 Uid: ${uid_pid1:-?})" \
  sh -c "[ -n '$uid_exec' ] && [ '$uid_exec' != 0 ] && [ -n '$uid_pid1' ] && [ '$uid_pid1' != 0 ]"
check "the image's uid is 10001 (documented)" [ "${uid_pid1:-}" = 10001 ]
comm=$(pm exec "$CTR_A" cat /proc/1/comm 2>/dev/null)
check "java is PID 1, no shell in between (comm: ${comm:-?})" [ "$comm" = java ]

# The start-up cache the image build trained (deploy/lib/start-cache.sh) is the one this JVM uses:
# on a Java 25+ base AOTMode=on refuses to start without it; on an older one the CDS archive exists.
java_feature=$(pm run --rm -i --label "$LABEL" --entrypoint sh "$IMAGE" -c \
  '. /dev/stdin && jdk_feature_version "$(command -v java)"' <"$ROOT/deploy/lib/jdk.sh" 2>/dev/null)
quiet() { "$@" >/dev/null 2>&1; }
if [ "${java_feature:-0}" -ge 25 ]; then
  for verb in serve backup; do
    # `serve --help` and `backup --help` start the JVM with serve's and the commands' cache.
    check "a JDK $java_feature JVM starts '$verb' from the image's AOT cache (-XX:AOTMode=on)" \
      quiet pm run --rm --label "$LABEL" -e JAVA_OPTS=-XX:AOTMode=on "$IMAGE" "$verb" --help
  done
else
  check "the image carries its class-data-sharing archive (Java ${java_feature:-?})" \
    quiet pm run --rm --label "$LABEL" --entrypoint test "$IMAGE" -s /opt/portunus/portunus-cds.jsa
fi

# --- 3. idle RSS ------------------------------------------------------------------------
if [ "$A_READY" = 1 ]; then
  sleep 5
  rss_kb=$(pm exec "$CTR_A" sh -c "awk '/^VmRSS:/ { print \$2 }' /proc/1/status" 2>/dev/null)
  [ -n "$rss_kb" ] && echo "figure idle_rss_mb=$(( rss_kb / 1024 ))"
fi

# Optional: create a user through the API with the operator token (not required).
USER_CREATED=0
if [ "$A_READY" = 1 ]; then
  code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 -X POST \
           -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
           -d '{"user_id":"smoke-user","display_name":"Smoke User","role":"user","initial_password":"smoke-Password-1234567"}' \
           "http://127.0.0.1:$PORT_A/v1/users" 2>/dev/null)
  if [ "$code" = 201 ] || [ "$code" = 200 ]; then USER_CREATED=1; info "created user smoke-user via the API (HTTP $code)"
  else info "POST /v1/users answered ${code:-nothing}: the persistence check through the API is skipped"; fi
fi

# --- 4. a second container on the same volume exits 75 -----------------------------------
rc2=$(PM_TIMEOUT=90 podman run --rm --label "$LABEL" -v "$VOL:$STORE" "$IMAGE" serve >/tmp/portunus-smoke-$RUN_ID.second.log 2>&1; echo $?)
check "a second serve on the same volume exits 75 (got $rc2)" [ "$rc2" = 75 ]
[ "$rc2" = 75 ] || sed 's/^/     /' "/tmp/portunus-smoke-$RUN_ID.second.log" | tail -n 10
grep -q 'store_in_use' "/tmp/portunus-smoke-$RUN_ID.second.log" \
  && info "second container said: $(grep -m1 'store_in_use' "/tmp/portunus-smoke-$RUN_ID.second.log" | cut -c1-200)"
rm -f "/tmp/portunus-smoke-$RUN_ID.second.log"
check "the first container is still ready after the refused second one" \
  [ "$(http_code "http://127.0.0.1:$PORT_A/q/health/ready")" = 200 ]

# --- 5. exit codes reach the caller of podman run ----------------------------------------
rcu=$(pm run --rm --label "$LABEL" -v "$VOL:$STORE" "$IMAGE" no-such-command >/dev/null 2>&1; echo $?)
check "usage error exit code reaches podman run's caller (expected 2, got $rcu)" [ "$rcu" = 2 ]

# --- 6. online backup through podman exec, verified in another container ------------------
pm exec "$CTR_A" mkdir -p "$STORE/backups" >/dev/null 2>&1
t0=$(now)
bk_out=$(pm exec "$CTR_A" portunus-server backup --out "$STORE/backups/" 2>/tmp/portunus-smoke-$RUN_ID.backup.err); bk_rc=$?
t1=$(now)
ARTEFACT=$(printf '%s\n' "$bk_out" | grep -E "^$STORE/backups/" | tail -n 1)
check "podman exec … portunus-server backup --out $STORE/backups/ exits 0 (got $bk_rc)" [ "$bk_rc" = 0 ]
[ "$bk_rc" = 0 ] || sed 's/^/     /' "/tmp/portunus-smoke-$RUN_ID.backup.err" | tail -n 10
rm -f "/tmp/portunus-smoke-$RUN_ID.backup.err"
[ "$bk_rc" = 0 ] && echo "figure backup_exec_seconds=$(secs "$t0" "$t1")"
check "backup prints the artefact's absolute path on stdout (${ARTEFACT:-none})" [ -n "$ARTEFACT" ]
if [ -n "$ARTEFACT" ]; then
  check "the artefact and its .sha256 are on the volume and match" \
    pm exec "$CTR_A" sh -c "test -s '$ARTEFACT' && cd '$(dirname "$ARTEFACT")' && sha256sum -c --status '$(basename "$ARTEFACT").sha256'"
  v_out=$(pm run --rm --label "$LABEL" -v "$VOL:$STORE" "$IMAGE" verify --in "$ARTEFACT" 2>&1); v_rc=$?
  check "verify --in the artefact in a second container exits 0 (got $v_rc)" [ "$v_rc" = 0 ]
  [ "$v_rc" = 0 ] && printf '%s\n' "$v_out" | grep -iE 'schema|version' | head -n 2 | sed 's/^/  .. verify: /'
  [ "$v_rc" = 0 ] || printf '%s\n' "$v_out" | tail -n 10 | sed 's/^/     /'
  # verify must not be a rubber stamp: a copy with a broken header is refused.
  pm exec "$CTR_A" sh -c "cp '$ARTEFACT' /tmp/tampered.db && printf 'NOT-SQLITE-AT-ALL' | dd of=/tmp/tampered.db bs=1 seek=0 conv=notrunc 2>/dev/null"
  t_rc=$(pm exec "$CTR_A" portunus-server verify --in /tmp/tampered.db >/dev/null 2>&1; echo $?)
  check "verify refuses a copy with a broken header (non-zero, got $t_rc)" [ "$t_rc" != 0 ]
fi

# --- 7. SIGTERM via podman stop exits 0 --------------------------------------------------
t0=$(now)
pm stop -t 60 "$CTR_A" >/dev/null 2>&1
t1=$(now)
ec=$(exit_code "$CTR_A")
check "podman stop (SIGTERM) ends serve with exit code 0 (got ${ec:-?}, in $(secs "$t0" "$t1")s)" [ "$ec" = 0 ]
echo "figure stop_seconds=$(secs "$t0" "$t1")"
podman logs "$CTR_A" >"/tmp/portunus-smoke-$RUN_ID.a.log" 2>&1
check "first serve logged startup.fresh_store" grep -q 'startup.fresh_store' "/tmp/portunus-smoke-$RUN_ID.a.log"
check "serve on the volume logged no startup.ephemeral_data_dir" sh -c "! grep -q 'startup.ephemeral_data_dir' \"\$1\"" _ "/tmp/portunus-smoke-$RUN_ID.a.log"
rm -f "/tmp/portunus-smoke-$RUN_ID.a.log"

# --- 8. a new container on the same volume sees the same data ----------------------------
PORT_C=$(free_port)
T_START=$(now)
C_READY=0
if pm run -d --name "$CTR_C" --label "$LABEL" -v "$VOL:$STORE" -p "127.0.0.1:$PORT_C:7080" \
     -e PORTUNUS_OPERATOR_TOKEN="$TOKEN" "$IMAGE" >/dev/null && wait_ready "$CTR_C" "$PORT_C"; then
  C_READY=1
  ok "a new container on the same volume becomes ready (${READY_SECS}s)"
  echo "figure restart_to_ready_seconds=$READY_SECS"
else
  bad "a new container on the same volume becomes ready"
fi
if [ -n "$ARTEFACT" ]; then
  check "the backup artefact is still on the volume" pm exec "$CTR_C" test -s "$ARTEFACT"
fi
check "the store is still there ($STORE/state.db)" pm exec "$CTR_C" test -s "$STORE/state.db"
podman logs "$CTR_C" >"/tmp/portunus-smoke-$RUN_ID.c.log" 2>&1
check "the new container reused the store (no startup.fresh_store)" \
  sh -c "! grep -q 'startup.fresh_store' '/tmp/portunus-smoke-$RUN_ID.c.log'"
rm -f "/tmp/portunus-smoke-$RUN_ID.c.log"
if [ "$USER_CREATED" = 1 ] && [ "$C_READY" = 1 ]; then
  body=$(curl -s -m 10 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT_C/v1/users/smoke-user" 2>/dev/null)
  check "the user created before the restart is read back" sh -c "printf '%s' \"\$1\" | grep -q '\"smoke-user\"'" _ "$body"
fi
pm stop -t 60 "$CTR_C" >/dev/null 2>&1
ec=$(exit_code "$CTR_C")
check "second podman stop also exits 0 (got ${ec:-?})" [ "$ec" = 0 ]

# --- 9. reset without --confirm removes nothing -------------------------------------------
before=$(volume_listing)
r_out=$(pm run --rm --label "$LABEL" -v "$VOL:$STORE" "$IMAGE" reset 2>&1); r_rc=$?
after=$(volume_listing)
check "reset without --confirm exits 0 (got $r_rc)" [ "$r_rc" = 0 ]
check "reset without --confirm names state.db as what it would remove" sh -c "printf '%s' \"\$1\" | grep -q 'state.db'" _ "$r_out"
check "reset without --confirm removes nothing (file list + sha256 identical, $(printf '%s\n' "$before" | grep -c .) files)" \
  sh -c "[ -n \"\$1\" ] && [ \"\$1\" = \"\$2\" ]" _ "$before" "$after"
[ "$before" = "$after" ] || { info "before:"; printf '%s\n' "$before" | sed 's/^/     /'; info "after:"; printf '%s\n' "$after" | sed 's/^/     /'; }

# --- 10. restore without --force onto an existing store is refused, nothing changes ------
if [ -n "$ARTEFACT" ]; then
  before=$(volume_listing)
  rs_rc=$(pm run --rm --label "$LABEL" -v "$VOL:$STORE" "$IMAGE" restore --in "$ARTEFACT" >/dev/null 2>&1; echo $?)
  after=$(volume_listing)
  check "restore without --force onto an existing store exits 1 (got $rs_rc)" [ "$rs_rc" = 1 ]
  check "the refused restore left the volume byte-identical" sh -c "[ -n \"\$1\" ] && [ \"\$1\" = \"\$2\" ]" _ "$before" "$after"
fi

# --- 10b. scheduled backups into a second volume ----------------------------------------
# The interval comes from the test-only property portunus.backup.test-interval (the operator
# setting's minimum is 1m); the directory must belong to the image's uid 10001.
CTR_B="portunus-smoke-$RUN_ID-backups"
BDIR=/var/lib/portunus-backups
if pm volume create --label "$LABEL" "$VOL_B" >/dev/null \
   && pm run --rm --label "$LABEL" --user 0 -v "$VOL_B:$BDIR" --entrypoint chown "$IMAGE" 10001:10001 "$BDIR"; then
  PORT_B=$(free_port)
  T_START=$(now)
  if pm run -d --name "$CTR_B" --label "$LABEL" -v "$VOL:$STORE" -v "$VOL_B:$BDIR" -p "127.0.0.1:$PORT_B:7080" \
       --read-only --cap-drop ALL --security-opt no-new-privileges \
       -e PORTUNUS_OPERATOR_TOKEN="$TOKEN" -e PORTUNUS_BACKUP_DIR="$BDIR" -e PORTUNUS_BACKUP_KEEP=2 \
       -e JAVA_OPTS="-Dportunus.backup.test-interval=3s" "$IMAGE" >/dev/null && wait_ready "$CTR_B" "$PORT_B"; then
    sched=""
    for _ in $(seq 1 120); do
      sched=$(pm exec "$CTR_B" sh -c "ls $BDIR | grep -E '^portunus-state-[0-9]{8}T[0-9]{6}Z(-[0-9]+)?\.db\$'" 2>/dev/null | tail -n 1)
      [ -n "$sched" ] && pm exec "$CTR_B" test -s "$BDIR/$sched.sha256" 2>/dev/null && break
      sched=""; sleep 0.5
    done
    check "serve published a scheduled backup on the second volume (${sched:-none})" [ -n "$sched" ]
    if [ -n "$sched" ]; then
      check "the scheduled artefact matches its .sha256" \
        pm exec "$CTR_B" sh -c "cd $BDIR && sha256sum -c --status '$sched.sha256'"
      listed=$(curl -s -m 10 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT_B/v1/backups" 2>/dev/null)
      check "GET /v1/backups lists scheduled artefacts" sh -c "printf '%s' \"\$1\" | grep -q '\"portunus-state-'" _ "$listed"
      podman logs "$CTR_B" 2>&1 | grep -m1 'event=backup.complete trigger=schedule' | cut -c1-200 | sed 's/^/  .. /'
    fi
    pm stop -t 60 "$CTR_B" >/dev/null 2>&1
    ec=$(exit_code "$CTR_B")
    check "serve with a backup schedule stops with 0 (got ${ec:-?})" [ "$ec" = 0 ]
    if [ -n "$sched" ]; then
      vb_rc=$(pm run --rm --label "$LABEL" -v "$VOL_B:$BDIR:ro" "$IMAGE" verify --in "$BDIR/$sched" >/dev/null 2>&1; echo $?)
      check "verify --in the scheduled artefact in another container exits 0 (got $vb_rc)" [ "$vb_rc" = 0 ]
      left=$(pm run --rm --label "$LABEL" -v "$VOL_B:$BDIR:ro" --entrypoint sh "$IMAGE" -c "ls -a $BDIR | grep -c '\.tmp' || true")
      check "no temporary files left in the backup volume (${left:-?})" [ "${left:-1}" = 0 ]
      kept=$(pm run --rm --label "$LABEL" -v "$VOL_B:$BDIR:ro" --entrypoint sh "$IMAGE" -c "ls $BDIR | grep -cE '^portunus-state-.*\.db\$' || true")
      check "at most backup_keep=2 artefacts kept (${kept:-?})" sh -c "[ '${kept:-9}' -ge 1 ] && [ '${kept:-9}' -le 2 ]"
    fi
  else
    bad "serve with PORTUNUS_BACKUP_DIR on a second volume becomes ready"
  fi
else
  bad "create and chown the backup volume"
fi

# --- 11. a store on tmpfs is refused with 78 ---------------------------------------------
# (podman 4.3's --tmpfs has no uid= option: mode 1777 lets uid 10001 write there.)
CTR_T="portunus-smoke-$RUN_ID-tmpfs"
tm_rc=none
if pm run -d --name "$CTR_T" --label "$LABEL" --tmpfs "$STORE:rw,mode=1777" "$IMAGE" serve >/dev/null; then
  tm_rc=$(timeout 60 podman wait "$CTR_T" 2>/dev/null) || tm_rc="still running after 60s"
  [ "$tm_rc" = 78 ] || podman logs --tail 5 "$CTR_T" 2>&1 | sed 's/^/     /'
  timeout 30 podman rm -f -t 2 "$CTR_T" >/dev/null 2>&1
fi
check "serve refuses a data dir on tmpfs with exit 78 (got $tm_rc)" [ "$tm_rc" = 78 ]

# --- 12. a data dir on the container's own layer (no volume there) is warned about --------
CTR_E="portunus-smoke-$RUN_ID-ephemeral"
eph_log=""
if pm run -d --name "$CTR_E" --label "$LABEL" "$IMAGE" serve --data-dir /tmp/ephemeral >/dev/null; then
  for _ in $(seq 1 300); do
    eph_log=$(podman logs "$CTR_E" 2>&1)
    case "$eph_log" in *event=serve.ready*|*event=startup.*_failed*) break ;; esac
    sleep 0.2
  done
  timeout 30 podman rm -f -t 2 "$CTR_E" >/dev/null 2>&1
fi
check "serve warns startup.ephemeral_data_dir for a data dir on the overlay root" \
  sh -c "printf '%s' \"\$1\" | grep -q 'WARN event=startup.ephemeral_data_dir path=/tmp/ephemeral'" _ "$eph_log"

# --- cleanup, then check that it cleaned up -----------------------------------------------
cleanup
left=$(podman ps -aq --filter "label=$LABEL" | wc -l)
check "no smoke containers left behind ($left)" [ "$left" = 0 ]
check "the smoke volume is removed" sh -c "! podman volume exists '$VOL'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
