# Which Java a binary is, and the newest JDK of at least a given feature version under
# /usr/lib/jvm: sourced by deploy/lib/start-cache.sh (which JDK trains the start-up cache),
# deploy/build-image.sh (which JDK the image's runtime is jlink-ed from) and
# deploy/container-smoke.sh (which Java the image runs). POSIX sh; names prefixed jdk_.

# The feature version (17, 25, ...) of a JDK binary (java, jlink), from the release file of the
# image it belongs to; 0 when that cannot be read.
jdk_feature_version() {
  jdk_home_=$(dirname "$(dirname "$(readlink -f -- "$1")")")
  jdk_v_=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk_home_/release" 2>/dev/null | head -n 1)
  echo "${jdk_v_:-0}"
}

# The home (symlinks resolved) of the newest JDK under /usr/lib/jvm whose feature version is at
# least $1 and which has bin/$2 (java, jlink); prints nothing when there is none.
jdk_newest_home() {
  jdk_best_=0
  jdk_found_=
  for jdk_bin_ in /usr/lib/jvm/*/bin/"$2"; do
    [ -x "$jdk_bin_" ] || continue
    jdk_v_=$(jdk_feature_version "$jdk_bin_")
    if [ "$jdk_v_" -ge "$1" ] && [ "$jdk_v_" -gt "$jdk_best_" ]; then
      jdk_best_=$jdk_v_
      jdk_found_=$(dirname "$(dirname "$(readlink -f -- "$jdk_bin_")")")
    fi
  done
  if [ -n "$jdk_found_" ]; then echo "$jdk_found_"; fi
}
