#!/usr/bin/env bash
# Builds (once) promtool, the Prometheus project's rule checker and rule unit-test runner, from the
# Go module proxy, for the chart's monitoring tests (test/charts/monitoring.test.ts), and caches it
# outside the repository in a directory keyed by the Prometheus version, the Go version and the
# wrapper module's checksums. Prints the binary's path on stdout as its last line; progress goes
# to stderr. The version is the one go/promtool/go.mod pins.
#
#   src/devcluster/build-promtool.sh            build if needed, print the binary's path
#   src/devcluster/build-promtool.sh --print    print the path without building
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mod=$here/go/promtool

cache_root=${STOREPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/storeplane}
# The same module and build caches as build.sh: shared dependencies (client-go, grpc, ...) are
# downloaded and compiled once.
export GOTOOLCHAIN=local CGO_ENABLED=0
export GOMODCACHE=$cache_root/go/mod GOCACHE=$cache_root/go/build
export GOFLAGS=-mod=readonly

command -v go >/dev/null || {
  echo "build-promtool.sh: Go 1.26.7+ is needed to build promtool (https://go.dev/dl)" >&2
  exit 1
}
go_version=$(go env GOVERSION)
version=$(awk '$1 == "github.com/prometheus/prometheus" { print $2 }' "$mod/go.mod")
[[ $version =~ ^v0\.[0-9]+\.[0-9]+$ ]] || {
  echo "build-promtool.sh: no github.com/prometheus/prometheus version in $mod/go.mod" >&2
  exit 1
}
sums=$(cat "$mod/go.mod" "$mod/go.sum" | sha256sum | cut -c1-12)
dir=$cache_root/promtool/prometheus-${version}_${go_version}_${sums}
bin=$dir/promtool

if [[ ${1:-} == --print ]]; then echo "$bin"; exit 0; fi
if [[ -f $dir/.complete ]]; then echo "$bin"; exit 0; fi

mkdir -p "$cache_root/promtool"
tmp=$(mktemp -d "$cache_root/promtool/.build-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
tag=promtool

# shellcheck source=build-lib.sh
source "$here/build-lib.sh"

# Prometheus 3.x is tagged v0.3MM.P in Go (v0.316.0 is 3.16.0): promtool --version says 3.MM.P.
IFS=. read -r _ minor patch <<<"${version#v}"
release="$((10#$minor / 100)).$((10#$minor % 100)).$patch"

build_promtool() {
  cd "$mod"
  go build -trimpath \
    -ldflags "-s -w -X github.com/prometheus/common/version.Version=$release -X github.com/prometheus/common/version.Branch=$version" \
    -o "$tmp/promtool" github.com/prometheus/prometheus/cmd/promtool
}

echo "[promtool] cold build into $dir (Prometheus $release, module $version, $go_version)" >&2
step promtool build_promtool

"$tmp/promtool" --version | sed -n 1p >&2 # sed, not head: head would end early, SIGPIPE under pipefail
rm -f "$tmp"/*.log
touch "$tmp/.complete"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
echo "[promtool] ready in $((SECONDS - start))s: $(du -sh "$bin" | cut -f1) in $bin" >&2
echo "$bin"
