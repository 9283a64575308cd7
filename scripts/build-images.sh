#!/usr/bin/env bash
# Builds the three images Storeplane runs, tagged from the versions in the repository so that the
# charts' defaults name exactly the images built here:
#
#   platform     ./Dockerfile          ghcr.io/storeplane/platform:<package.json "version">
#   medusa       engines/medusa        image.repository:image.tag of charts/medusa-store/values.yaml
#   woocommerce  engines/woocommerce   image.repository:image.tag of charts/woocommerce-store/values.yaml
#
# Run scripts/build-images.sh --help for the options.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

usage() {
  cat <<'EOF'
Usage: scripts/build-images.sh [--only NAME]... [--registry R] [--push] [--dry-run]

Builds the Storeplane images with `docker build`, tagged from the versions in the repository:
  platform     Dockerfile           ghcr.io/storeplane/platform:<package.json version>
  medusa       engines/medusa       charts/medusa-store/values.yaml image.repository:image.tag
  woocommerce  engines/woocommerce  charts/woocommerce-store/values.yaml image.repository:image.tag

Options:
  --only NAME    build only this image (platform, medusa or woocommerce); repeatable
  --registry R   also tag each image as R/<name>:<tag>, e.g. --registry registry.example.com/shop
                 gives registry.example.com/shop/platform:0.1.0 (set the charts' image.repository
                 to match)
  --push         push each image after building it: the R/... names when --registry is given,
                 else the ghcr.io/storeplane/... names
  --dry-run      print each command, one per line, and run nothing
  -h, --help     this text
EOF
}

die() {
  echo "build-images.sh: $*" >&2
  exit 2
}

registry='' push=false dry_run=false
only=()
while (($#)); do
  case $1 in
    --registry | --only)
      [[ $# -ge 2 && -n $2 && $2 != -* ]] || die "$1 needs a value (see --help)"
      if [[ $1 == --registry ]]; then registry=$2; else only+=("$2"); fi
      shift 2
      ;;
    --registry=*) registry=${1#*=}; shift ;;
    --only=*) only+=("${1#*=}"); shift ;;
    --push) push=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

all=(platform medusa woocommerce)
for name in ${only[@]+"${only[@]}"}; do
  [[ " ${all[*]} " == *" $name "* ]] || die "--only takes one of: ${all[*]} (got \"$name\")"
done
registry=${registry%/}
# A registry host (with an optional port) and optional path, as docker accepts in an image name.
if [[ -n $registry && ! $registry =~ ^[A-Za-z0-9.-]+(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*$ ]]; then
  die "--registry takes a registry host and optional path, e.g. localhost:5000/storeplane (got \"$registry\")"
fi

# image.<field> from a chart's values.yaml: the top-level `image:` mapping, whose keys are indented
# two spaces. Quotes and a trailing comment are dropped. (awk, so no YAML tool is needed.)
chart_image() {
  awk -v field="$2" '
    /^[^[:space:]#]/ { in_image = ($0 ~ /^image:[[:space:]]*$/); next }
    in_image && index($0, "  " field ":") == 1 {
      v = substr($0, length(field) + 4)
      sub(/[[:space:]]+#.*$/, "", v)
      gsub(/^[[:space:]]+|[[:space:]]+$/, "", v)
      gsub(/["\047]/, "", v)
      print v
      exit
    }' "$1"
}

# package.json's version: the one top-level "version" line (the file is formatted by prettier).
version=$(sed -n 's/^  "version": *"\([^"]*\)".*$/\1/p' package.json | head -n 1)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] ||
  die "package.json has no version this script understands (got \"$version\")"

# Each image's repository:tag and build context, in the order of $all. Plain indexed arrays, not
# associative ones: macOS still ships bash 3.2, and Docker Desktop users run this there.
refs=("ghcr.io/storeplane/platform:$version")
contexts=(.)
for engine in medusa woocommerce; do
  values=charts/$engine-store/values.yaml
  repository=$(chart_image "$values" repository)
  tag=$(chart_image "$values" tag)
  [[ $repository =~ ^[a-z0-9.:/_-]+$ ]] || die "$values: no usable image.repository (got \"$repository\")"
  [[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "$values: no usable image.tag (got \"$tag\")"
  refs+=("$repository:$tag")
  contexts+=("engines/$engine")
done

# Prints a command with its arguments quoted for a shell, so a --dry-run line can be pasted.
show() {
  local line='' arg
  for arg in "$@"; do line+="${line:+ }$(printf '%q' "$arg")"; done
  printf '%s\n' "$line"
}

run() {
  if $dry_run; then
    show "$@"
  else
    echo "+ $(show "$@")" >&2
    "$@"
  fi
}

if ! $dry_run && ! command -v docker >/dev/null; then
  echo "build-images.sh: docker is not on PATH (https://docs.docker.com/engine/install/)" >&2
  exit 1
fi

built=()
for i in "${!all[@]}"; do
  name=${all[$i]} ref=${refs[$i]}
  if ((${#only[@]})) && [[ " ${only[*]} " != *" $name "* ]]; then continue; fi
  tags=(-t "$ref")
  pushed=$ref
  if [[ -n $registry ]]; then
    # The repository's last component under the other registry: .../medusa-store:2.21.2-1.
    pushed=$registry/${ref##*/}
    tags+=(-t "$pushed")
  fi
  args=(docker build)
  # The version goes into the platform image's OCI labels; the engine Dockerfiles pin their own.
  if [[ $name == platform ]]; then args+=(--build-arg "VERSION=$version" -f Dockerfile); fi
  run "${args[@]}" "${tags[@]}" "${contexts[$i]}"
  if $push; then run docker push "$pushed"; fi
  built+=("$pushed")
done

if ! $dry_run; then
  if $push; then echo "Built and pushed: ${built[*]}" >&2; else echo "Built: ${built[*]}" >&2; fi
fi
