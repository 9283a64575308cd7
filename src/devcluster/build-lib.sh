# shellcheck shell=bash disable=SC2154 # $tmp, $start and $tag are set by the caller
# Shared by build.sh (control plane) and realnode/build.sh (the real node's binaries).
# Callers set $tmp (scratch dir), $start (SECONDS at the start) and $tag (progress prefix).

# Runs a build step in the background and prints a heartbeat, so a cold build
# (tens of minutes on 2 cores) is never silent.
step() {
  local name=$1; shift
  local t0=$SECONDS log=$tmp/$name.log
  echo "[$tag] building $name ..." >&2
  "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    kill -0 "$pid" 2>/dev/null && echo "[$tag]   $name: $((SECONDS - t0))s elapsed (total $((SECONDS - start))s)" >&2
  done
  if ! wait "$pid"; then
    echo "[$tag] building $name FAILED after $((SECONDS - t0))s; last lines of its log:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  echo "[$tag] built $name in $((SECONDS - t0))s" >&2
}


# -ldflags for Kubernetes binaries: the symbols hack/lib/version.sh sets (without them /version
# and --version report v0.0.0).
k8s_ldflags() {
  local bd ldf="-s -w" p minor
  bd=$(date -u -d "@${SOURCE_DATE_EPOCH:-0}" +%Y-%m-%dT%H:%M:%SZ)
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ldf+=" -X $p.gitTreeState=clean -X $p.gitCommit=$K8S_VERSION -X $p.buildDate=$bd"
  done
  echo "$ldf"
}
