#!/bin/sh
# Makes the class-data-sharing archive that deploy/bin/portunus-server uses (portunus-cds.jsa),
# trained by one real `serve`: started on a throwaway data-dir with loopback port 0 for both
# listeners, stopped with SIGTERM once it prints serve.ready; the JVM writes the archive as it
# exits. Training on serve (not a command) puts the classes of the store checks, Quarkus, Vert.x,
# the migrations and the TLS set-up in the archive; commands use the same classes for their store
# work. The archive is only valid for this JVM and this exact jar path.
#
# Usage: class-archive.sh <java> <quarkus-run.jar> <archive> <scratch-dir>
# A failed training leaves no archive and exits 0 with a warning: the launcher starts without one.
set -eu

java=$1
jar=$2
archive=$3
scratch=$4

rm -rf "$scratch" "$archive"
mkdir -p "$scratch/data"
log="$scratch/serve.log"
jar_dir=$(cd "$(dirname "$jar")" && pwd -P)
# The same SQLite library the launcher loads (see deploy/bin/portunus-server).
sqlite=
case "$(uname -m 2>/dev/null)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) arch= ;;
esac
if [ -n "$arch" ] && [ -f "$jar_dir/native/$arch/libsqlitejdbc.so" ]; then
  sqlite="-Dorg.sqlite.lib.path=$jar_dir/native/$arch -Dorg.sqlite.lib.name=libsqlitejdbc.so"
fi

# shellcheck disable=SC2086 # $sqlite is split on purpose
"$java" -XX:ArchiveClassesAtExit="$archive" -Xlog:disable $sqlite -jar "$jar" serve \
  --data-dir "$scratch/data" --operator-http-listen 127.0.0.1:0 --client-listen 127.0.0.1:0 >"$log" 2>&1 &
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

if [ -z "$ready" ] || [ "$rc" -ne 0 ] || [ ! -s "$archive" ]; then
  echo "class-archive: training serve did not reach serve.ready and stop cleanly (exit $rc); no archive, commands start without one" >&2
  sed 's/^/class-archive:   /' "$log" | tail -n 20 >&2
  rm -f "$archive"
else
  chmod 0444 "$archive"
fi
rm -rf "$scratch"
exit 0
