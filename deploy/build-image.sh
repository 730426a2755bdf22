#!/usr/bin/env bash
# Builds the Portunus container image offline, with podman and no registry:
#   1. a Java base image from Debian bookworm (debootstrap minbase), imported as
#      localhost/portunus-base:<java feature version> and reused when it already exists (set
#      PORTUNUS_REBUILD_BASE=1 to force a rebuild). Its Java: a runtime jlink-ed from this
#      machine's newest JDK >= 25 under /usr/lib/jvm (the image then starts from JDK AOT caches,
#      README "Which JVM runs it"), or, on a machine without one, Debian's openjdk-17-jre-headless
#      (the image then starts from a class-data-sharing archive);
#   2. the app image localhost/portunus:dev from deploy/Dockerfile on that base.
# Run from anywhere as root; it works from the repository root. Needs target/quarkus-app
# (runs `mvn -q -DskipTests package` when it is missing).
# Environment: PORTUNUS_BASE_IMAGE, PORTUNUS_IMAGE, PORTUNUS_REBUILD_BASE, CONTAINERS_CONF.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$ROOT/deploy/containers.conf}"
# The JDK to jlink the base's Java runtime from: the newest >= 25 under /usr/lib/jvm, as
# deploy/lib/start-cache.sh looks for one; none means Debian's JRE 17.
# shellcheck source=lib/jdk.sh
. "$ROOT/deploy/lib/jdk.sh"
RUNTIME_JDK=$(jdk_newest_home 25 jlink)
RUNTIME_VERSION=17
if [ -n "$RUNTIME_JDK" ]; then RUNTIME_VERSION=$(jdk_feature_version "$RUNTIME_JDK/bin/jlink"); fi
BASE_IMAGE="${PORTUNUS_BASE_IMAGE:-localhost/portunus-base:$RUNTIME_VERSION}"
IMAGE="${PORTUNUS_IMAGE:-localhost/portunus:dev}"
SUITE=bookworm

log() { echo "build-image: $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

if [ "$(id -u)" -ne 0 ]; then log "must run as root (debootstrap, chroot, podman)"; exit 1; fi

# --- tools -----------------------------------------------------------------------------
# shellcheck source=lib/ensure-packages.sh
. "$ROOT/deploy/lib/ensure-packages.sh"
ensure_packages podman runc conmon fuse-overlayfs slirp4netns netavark aardvark-dns \
  containernetworking-plugins uidmap iptables catatonit debootstrap

# --- the Debian mirror, read from this machine's apt sources (never hard-coded) ----------
debian_mirror() {
  local f=/etc/apt/sources.list.d/debian.sources
  if [ -r "$f" ]; then
    # First stanza whose Suites list the plain suite (not -security).
    awk -v suite="$SUITE" '
      BEGIN { RS=""; FS="\n" }
      {
        uri=""; ok=0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/)   { sub(/^URIs:[ \t]*/, "", $i); split($i, u, /[ \t]+/); uri=u[1] }
          if ($i ~ /^Suites:/) { n=split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == suite) ok=1 }
        }
        if (ok && uri != "") { print uri; exit }
      }' "$f"
  elif [ -r /etc/apt/sources.list ]; then
    awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2; exit }' /etc/apt/sources.list
  fi
}

# --- 1. base image ---------------------------------------------------------------------
build_base() {
  local mirror t0
  mirror=$(debian_mirror)
  if [ -z "$mirror" ]; then log "cannot read the Debian mirror from /etc/apt/sources.list.d/debian.sources"; exit 1; fi
  t0=$(now)
  rootfs=$(mktemp -d /var/tmp/portunus-base.XXXXXX)
  MOUNTS=()
  cleanup_base() {
    local i p r
    # Processes still running inside the chroot (dpkg ignores SIGTERM while unpacking)
    # would keep writing while we unmount and delete: end them first, by pid.
    for p in /proc/[0-9]*; do
      r=$(readlink "$p/root" 2>/dev/null) || continue
      [ "$r" = "$rootfs" ] && kill -KILL "${p#/proc/}" 2>/dev/null
    done
    sleep 0.5
    for (( i=${#MOUNTS[@]}-1; i>=0; i-- )); do
      umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
    done
    MOUNTS=()
    # Mounts that debootstrap itself made (proc, sys) when it was interrupted.
    awk -v r="$rootfs/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    # Never rm -rf through a mount that is still there.
    if ! grep -q " $rootfs/" /proc/mounts; then rm -rf "$rootfs" 2>/dev/null || { sleep 1; rm -rf "$rootfs"; }; fi
    rm -f "$rootfs.log"
  }
  trap cleanup_base EXIT
  trap 'exit 130' INT TERM

  log "debootstrap --variant=minbase $SUITE (mirror from apt sources)"
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 \
    || { tail -n 30 "$rootfs.log" >&2; exit 1; }
  rm -f "$rootfs.log"

  # Keep docs, man pages and translations out of the image (copyright files stay).
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/01-portunus-nodoc" <<'CFG'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
CFG
  # Same sources as the host (bookworm, -updates, -security) so the JRE is current.
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    rm -f "$rootfs/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/debian.sources "$rootfs/etc/apt/sources.list.d/debian.sources"
  fi
  # Build-time only apt settings: mirrors may serve a dated snapshot.
  printf 'Acquire::Check-Valid-Until "false";\nAcquire::Check-Date "false";\nAcquire::Languages "none";\nAPT::Install-Recommends "false";\n' \
    >"$rootfs/etc/apt/apt.conf.d/99portunus-build"
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"; chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"

  mount -t proc proc "$rootfs/proc";          MOUNTS+=("$rootfs/proc")
  mount -t sysfs sysfs "$rootfs/sys";         MOUNTS+=("$rootfs/sys")
  mount --bind /dev "$rootfs/dev";            MOUNTS+=("$rootfs/dev")
  mount --bind /dev/pts "$rootfs/dev/pts";    MOUNTS+=("$rootfs/dev/pts")

  local packages=ca-certificates
  if [ -n "$RUNTIME_JDK" ]; then
    # Every module of the JDK except the linker and the packager that needs it (a run-time image
    # cannot link jdk.jlink) and the incubators: no module a dependency reaches only on some path
    # can be missing, and the tools operators use on a live JVM (jcmd, jfr) stay. ~100 MB, less
    # than Debian's JRE 17.
    local modules
    modules=$("$RUNTIME_JDK/bin/java" --list-modules | sed 's/@.*//' \
      | grep -vx -e jdk.jlink -e jdk.jpackage | grep -v '^jdk\.incubator\.' | paste -sd, -)
    log "jlink a Java $RUNTIME_VERSION runtime from $RUNTIME_JDK"
    "$RUNTIME_JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
      --compress=zip-6 --output "$rootfs/usr/lib/jvm/java-$RUNTIME_VERSION-runtime"
    ln -s "/usr/lib/jvm/java-$RUNTIME_VERSION-runtime/bin/java" "$rootfs/usr/bin/java"
  else
    packages="openjdk-17-jre-headless $packages"
  fi
  log "chroot apt-get install $packages"
  chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
    PACKAGES="$packages" sh -ec 'apt-get update -qq
            apt-get install -y -qq --no-install-recommends $PACKAGES
            apt-get clean' >"$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
  rm -f "$rootfs.log"

  local i
  for (( i=${#MOUNTS[@]}-1; i>=0; i-- )); do umount "${MOUNTS[$i]}"; done
  MOUNTS=()

  # Slim down: package lists, caches, logs, docs that slipped through, build-only files.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
         "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old \
         "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/var/tmp/* \
         "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
         "$rootfs"/etc/apt/apt.conf.d/99portunus-build "$rootfs"/usr/sbin/policy-rc.d
  find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete 2>/dev/null || true
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + 2>/dev/null || true
  : >"$rootfs/etc/resolv.conf"

  local java_home old_base
  old_base=$(podman image inspect --format '{{.Id}}' "$BASE_IMAGE" 2>/dev/null || true)
  java_home=$(chroot "$rootfs" sh -c 'dirname "$(dirname "$(readlink -f /usr/bin/java)")"')
  log "podman import -> $BASE_IMAGE (JAVA_HOME=$java_home)"
  tar --numeric-owner -C "$rootfs" -c . | podman import -q \
    --change "ENV JAVA_HOME=$java_home" \
    --change "ENV LANG=C.UTF-8" \
    --change 'CMD ["/bin/sh"]' \
    - "$BASE_IMAGE" >/dev/null
  cleanup_base
  trap - EXIT INT TERM
  if [ -n "$old_base" ]; then podman rmi "$old_base" >/dev/null 2>&1 || true; fi
  log "base image built in $(elapsed "$t0") s"
  echo "figure base_build_seconds=$(elapsed "$t0")"
}

if [ "${PORTUNUS_REBUILD_BASE:-0}" != 1 ] && podman image exists "$BASE_IMAGE"; then
  log "base image $BASE_IMAGE exists (cached); PORTUNUS_REBUILD_BASE=1 rebuilds it"
else
  build_base
fi

# --- 2. app image ----------------------------------------------------------------------
if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  log "target/quarkus-app missing: mvn -q -DskipTests package"
  mvn -q -B -DskipTests package
fi
t1=$(now)
old_id=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
log "podman build -> $IMAGE"
podman build -q --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$IMAGE" -f deploy/Dockerfile . >/dev/null
# Drop the image this tag pointed at before, when nothing else uses it (no disk creep
# from repeated CI runs on the same machine).
new_id=$(podman image inspect --format '{{.Id}}' "$IMAGE")
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then podman rmi "$old_id" >/dev/null 2>&1 || true; fi
log "app image built in $(elapsed "$t1") s"
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
base_size=$(podman image inspect --format '{{.Size}}' "$BASE_IMAGE")
echo "figure image_size_mb=$(( size / 1000000 ))"
echo "figure base_image_size_mb=$(( base_size / 1000000 ))"
echo "figure app_layers_mb=$(( (size - base_size) / 1000000 ))"
