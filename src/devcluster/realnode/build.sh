#!/usr/bin/env bash
# Builds (once) the real node's binaries from the Go module proxy: kubelet and kube-proxy (the
# control plane's Kubernetes version), CoreDNS (cut down to the plugins a cluster needs),
# kube-router (its NetworkPolicy firewall only) and Rancher's local-path-provisioner. Cached
# outside the repository in a directory keyed by their versions and the wrapper modules'
# checksums. Prints that directory on stdout as its last line; progress goes to stderr.
#
#   src/devcluster/realnode/build.sh            build if needed, print the bin dir
#   src/devcluster/realnode/build.sh --print    print the bin dir without building
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../versions.sh
source "$here/versions.sh"

cache_root=${STOREPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/storeplane}
export GOTOOLCHAIN=local CGO_ENABLED=0
export GOMODCACHE=$cache_root/go/mod GOCACHE=$cache_root/go/build
export GOFLAGS=-mod=readonly

command -v go >/dev/null || { echo "realnode/build.sh: Go 1.24+ is needed to build the real node (https://go.dev/dl)" >&2; exit 1; }
go_version=$(go env GOVERSION)
sums=$(cat "$here"/go/{node,coredns}/go.mod "$here"/go/{node,coredns}/go.sum | sha256sum | cut -c1-12)
key="k8s-${K8S_VERSION}_coredns-${COREDNS_VERSION}_kube-router-${KUBE_ROUTER_VERSION}_local-path-${LOCAL_PATH_VERSION}_${go_version}_${sums}"
bin=$cache_root/realnode/$key

if [[ ${1:-} == --print ]]; then echo "$bin"; exit 0; fi
if [[ -f $bin/.complete ]]; then echo "$bin"; exit 0; fi

mkdir -p "$cache_root/realnode"
tmp=$(mktemp -d "$cache_root/realnode/.build-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
tag=realnode

# shellcheck source=../build-lib.sh
source "$here/build-lib.sh"

build_node() {
  local ldf
  ldf=$(k8s_ldflags)
  cd "$here/go/node"
  go build -trimpath -tags=selinux,notest,grpcnotrace -ldflags "$ldf" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy
}

build_coredns() {
  cd "$here/go/coredns"
  go build -trimpath -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" \
    -o "$tmp/coredns" .
}

# A module's own go.mod and go.sum (and vendor directory) build its commands; the module cache is
# read-only, so the build runs there and writes only the binary.
module_dir() {
  go mod download -json "$1@$2" | sed -n 's/^\s*"Dir": "\(.*\)",\?$/\1/p'
}

build_kube_router() {
  cd "$(module_dir github.com/cloudnativelabs/kube-router/v2 "$KUBE_ROUTER_VERSION")"
  go build -trimpath -ldflags "-s -w" -o "$tmp/kube-router" ./cmd/kube-router
}

build_local_path() {
  cd "$(module_dir github.com/rancher/local-path-provisioner "$LOCAL_PATH_VERSION")"
  # The module zip leaves out its vendor directory: build from go.sum like the others.
  go build -trimpath -ldflags "-s -w" -o "$tmp/local-path-provisioner" .
}

echo "[realnode] cold build into $bin (kubelet and kube-proxy $K8S_VERSION, CoreDNS $COREDNS_VERSION, kube-router $KUBE_ROUTER_VERSION, local-path-provisioner $LOCAL_PATH_VERSION, $go_version)" >&2
step coredns build_coredns
step kube-router build_kube_router
step local-path-provisioner build_local_path
step kubelet+kube-proxy build_node

"$tmp/kubelet" --version >&2
# sed reads to the end: `head` would exit early and, under pipefail, fail the build with SIGPIPE (141).
"$tmp/coredns" -version | sed -n 1p >&2
rm -f "$tmp"/*.log
touch "$tmp/.complete"
rm -rf "$bin"
mv "$tmp" "$bin"
trap - EXIT
echo "[realnode] binaries ready in $((SECONDS - start))s: $(du -sh "$bin" | cut -f1) in $bin" >&2
echo "$bin"
