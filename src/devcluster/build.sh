#!/usr/bin/env bash
# Builds (once) the binaries of the local control plane (and the helm and kubectl
# clients that talk to it) from the Go module proxy and
# caches them outside the repository, in a directory keyed by every version and
# by the wrapper modules' checksums. Prints that directory on stdout as its last line;
# progress goes to stderr.
#
#   src/devcluster/build.sh            build if needed, print the bin dir
#   src/devcluster/build.sh --print    print the bin dir without building
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.sh
source "$here/versions.sh"

cache_root=${STOREPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/storeplane}
export GOTOOLCHAIN=local CGO_ENABLED=0
export GOMODCACHE=$cache_root/go/mod GOCACHE=$cache_root/go/build
export GOFLAGS=-mod=readonly

command -v go >/dev/null || { echo "build.sh: Go 1.24+ is needed to build the simulated cluster (https://go.dev/dl)" >&2; exit 1; }
go_version=$(go env GOVERSION)
# Only the control plane's modules: the real node's (node, coredns, ...) have a cache of their own.
sums=$(cat "$here"/go/{etcd,helm,k8s,kwok}/go.mod "$here"/go/{etcd,helm,k8s,kwok}/go.sum | sha256sum | cut -c1-12)
key="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_helm-${HELM_VERSION}_${go_version}_${sums}"
bin=$cache_root/testcluster/$key

if [[ ${1:-} == --print ]]; then echo "$bin"; exit 0; fi
if [[ -f $bin/.complete ]]; then echo "$bin"; exit 0; fi

mkdir -p "$cache_root/testcluster"
tmp=$(mktemp -d "$cache_root/testcluster/.build-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
tag=testcluster

# shellcheck source=build-lib.sh
source "$here/build-lib.sh"

build_k8s() {
  local ldf
  ldf=$(k8s_ldflags)
  cd "$here/go/k8s"
  go build -trimpath -tags=selinux,notest,grpcnotrace -ldflags "$ldf" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler \
    k8s.io/kubernetes/cmd/kubectl
}

build_etcd() {
  cd "$here/go/etcd"
  go build -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" \
    -o "$tmp/etcd" go.etcd.io/etcd/server/v3
}

build_kwok() {
  cd "$here/go/kwok"
  go build -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
    -o "$tmp/kwok" sigs.k8s.io/kwok/cmd/kwok
  # KWOK v0.8 has no built-in stages: bundle the ones we use from its module source,
  # so the cache survives a wipe of the module cache.
  local s
  s=$(go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml \
           volume/fast/pvc-provision.yaml volume/fast/pv-bind.yaml \
           volume/fast/pvc-delete.yaml volume/fast/pv-delete.yaml; do
    cat "$s/$f"; echo '---'
  done >"$tmp/kwok-stages.yaml"
  cp "$s/volume/fast/storage-class.yaml" "$tmp/kwok-storage-class.yaml"
}

build_helm() {
  cd "$here/go/helm"
  go build -trimpath -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" \
    -o "$tmp/helm" helm.sh/helm/v4/cmd/helm
}

echo "[testcluster] cold build into $bin (Kubernetes $K8S_VERSION, etcd $ETCD_VERSION, KWOK $KWOK_VERSION, helm $HELM_VERSION, $go_version)" >&2
step etcd build_etcd
step kwok build_kwok
step helm build_helm
step kubernetes build_k8s

"$tmp/kube-apiserver" --version >&2
"$tmp/etcd" --version | sed -n 1p >&2 # not head: see realnode/build.sh
"$tmp/helm" version --short >&2
rm -f "$tmp"/*.log
touch "$tmp/.complete"
rm -rf "$bin"
mv "$tmp" "$bin"
trap - EXIT
echo "[testcluster] binaries ready in $((SECONDS - start))s: $(du -sh "$bin" | cut -f1) in $bin" >&2
echo "$bin"
