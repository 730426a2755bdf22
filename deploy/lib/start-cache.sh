#!/bin/sh
# Makes the start-up cache that deploy/bin/portunus-server uses, trained by one real `serve`
# started through that launcher (so with its JVM flags) on a throwaway data-dir, with loopback
# port 0 for both listeners, and stopped with SIGTERM once it prints serve.ready; the JVM writes
# the cache as it exits. Training on serve (not a command) puts the classes of the store checks,
# Quarkus, Vert.x, the migrations and the TLS set-up in it; commands use the same classes.
#
# Which cache depends on the JDK (issue 10, bench/RESULTS.md):
#   JDK >= 25: AOT caches (JEP 483/514/515: classes loaded and linked ahead of time, with method
#              profiles), one per kind of process, because a JVM starts with every class of its
#              cache already loaded: portunus-serve.aot trained by the serve above (serve reaches
#              ready in about half the time), portunus-command.aot by a `backup` of that serve's
#              data-dir (a command given serve's cache starts ~0.1 s slower than with none);
#   older:     one class-data-sharing archive, portunus-cds.jsa, trained by the serve.
# Both hold the application's own classes only because the aot-jar packaging puts them on the
# JVM's class path (application.properties). Before an AOT cache is trained, the dependency jars'
# class files older than Java 6's format are upgraded (UpgradeOldClasses.java), which the cache
# would otherwise leave out.
# The JDK: $PORTUNUS_RUNTIME_JAVA when set, else the newest JDK >= 25 under /usr/lib/jvm, else
# <java>. Its path is written to portunus-java beside the jar; the launcher runs that java unless
# JAVA_HOME says otherwise, and uses the cache only with the java that made it.
#
# Usage: start-cache.sh <launcher> <java> <quarkus-run.jar> <scratch-dir>
# A failed training leaves no cache and no portunus-java and exits 0 with a warning: the launcher
# then starts `java` from the PATH without a cache.
set -eu

launcher=$1
default_java=$2
jar=$3
scratch=$4

jar_dir=$(cd "$(dirname "$jar")" && pwd -P)
serve_aot="$jar_dir/portunus-serve.aot"
command_aot="$jar_dir/portunus-command.aot"
cds="$jar_dir/portunus-cds.jsa"
recorded="$jar_dir/portunus-java"

# shellcheck source=jdk.sh
. "$(dirname "$0")/jdk.sh"

if [ -n "${PORTUNUS_RUNTIME_JAVA:-}" ]; then
  java=$PORTUNUS_RUNTIME_JAVA
else
  home=$(jdk_newest_home 25 java)
  if [ -n "$home" ]; then java=$home/bin/java; else java=$default_java; fi
fi
case "$java" in
  */*) java=$(readlink -f -- "$java") ;;
  *) java=$(readlink -f -- "$(command -v -- "$java")") ;;
esac
version=$(jdk_feature_version "$java")

# Execs the launcher with this java and these JVM options (the cache's recording flags): call it in
# a subshell (`launch ... &` or `(launch ...)`), whose pid is then the JVM's, the one SIGTERM reaches.
launch() {
  opts=$1
  shift
  JAVA_HOME=$(dirname "$(dirname "$java")") PORTUNUS_HOME=$jar_dir JAVA_OPTS="$opts" exec sh "$launcher" "$@"
}

rm -rf "$scratch" "$serve_aot" "$command_aot" "$cds" "$recorded"
mkdir -p "$scratch/data"
log="$scratch/serve.log"
if [ "$version" -ge 25 ]; then
  # The AOT cache leaves out classes in a format older than Java 6's (all of picocli's): upgrade
  # them first (UpgradeOldClasses.java says why and how). Without it the cache is still made.
  # A runtime without the compiler module (a JRE) cannot launch a source file; the image copies jars
  # the build has upgraded already.
  if ! "$java" --list-modules 2>/dev/null | grep -q '^jdk.compiler@'; then
    echo "start-cache: $java has no jdk.compiler, so UpgradeOldClasses.java did not run; jars left as they are"
  elif "$java" "$(dirname "$0")/UpgradeOldClasses.java" "$jar_dir/lib/main" >"$scratch/upgrade.log" 2>&1; then
    sed 's/^/start-cache: /' "$scratch/upgrade.log"
  else
    echo "start-cache: old class files not upgraded; the cache will leave them out:" >&2
    sed 's/^/start-cache:   /' "$scratch/upgrade.log" | tail -n 5 >&2
  fi
  out=$serve_aot
  record="-XX:AOTCacheOutput=$serve_aot"
else
  out=$cds
  record="-XX:ArchiveClassesAtExit=$cds"
fi

launch "$record" serve --data-dir "$scratch/data" --operator-http-listen 127.0.0.1:0 \
  --client-listen 127.0.0.1:0 >"$log" 2>&1 &
pid=$!

ready=
i=0
while [ $i -lt 1200 ]; do
  if grep -q 'event=serve.ready' "$log" 2>/dev/null; then ready=yes; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
  i=$((i + 1))
done
kill -TERM "$pid" 2>/dev/null || true
rc=0
wait "$pid" || rc=$?

if [ -n "$ready" ] && [ "$rc" -eq 0 ] && [ -s "$out" ] && [ "$out" = "$serve_aot" ]; then
  # The command cache, trained by a backup of the data-dir the serve above made.
  (launch "-XX:AOTCacheOutput=$command_aot" backup --data-dir "$scratch/data" --out "$scratch/backup.db") \
    >>"$log" 2>&1 || rc=$?
  out="$out $command_aot"
fi

made=yes
for f in $out; do [ -s "$f" ] || made=; done
if [ -z "$ready" ] || [ "$rc" -ne 0 ] || [ -z "$made" ]; then
  echo "start-cache: training on $java did not reach serve.ready, stop cleanly and back up (exit $rc); no cache, the launcher starts without one" >&2
  sed 's/^/start-cache:   /' "$log" | tail -n 20 >&2
  # shellcheck disable=SC2086 # one path or two
  rm -f $out "$recorded"
else
  # shellcheck disable=SC2086
  chmod 0444 $out
  printf '%s\n' "$java" >"$recorded"
  chmod 0444 "$recorded"
  for f in $out; do echo "start-cache: $(basename "$f") for $java (JDK $version)"; done
fi
rm -rf "$scratch"
exit 0
