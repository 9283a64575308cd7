# syntax=docker/dockerfile:1
# The Storeplane platform image: the operator and the HTTP API (with the dashboard built in), the
# helm binary the operator shells out to, and the engine charts it installs. One image, two roles:
#
#   docker run ghcr.io/storeplane/platform:0.1.0 operator --namespace storeplane-system ...
#   docker run ghcr.io/storeplane/platform:0.1.0 api --host 0.0.0.0 --data-dir /data ...
#
# Build it with scripts/build-images.sh (which tags it from package.json's version), or:
#
#   docker build --build-arg VERSION=0.1.0 -t ghcr.io/storeplane/platform:0.1.0 .
#
# Layout inside the image (the code finds its files relative to itself, as in a checkout):
#   /app/dist          src/ compiled by tsc (tsconfig.build.json); the entry point is dist/cli/main.js
#   /app/node_modules  production dependencies only, native addons built for the target platform
#   /app/web/dist      the dashboard (Vite build), served by the API at /
#   /app/charts/woocommerce-store, /app/charts/medusa-store   the operator's default engine charts
#   /usr/local/bin/helm   helm v4, built from src/devcluster/go/helm like the test suite's
#
# Run time: uid/gid 65532, nothing written outside /tmp (HOME, helm's cache/config/data and the
# operator's private values files all live there), so the root filesystem can be read-only with
# an emptyDir on /tmp. The API's database goes to --data-dir (a volume) or DATABASE_URL.

# Pinned by tag; pin by digest too (image@sha256:...) where your supply-chain policy asks for it.
# Node 20.20.2 is the version the test suite runs on; Go 1.26 is what builds the suite's helm
# (the wrapper module needs Go 1.25 or newer).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim
ARG GO_IMAGE=golang:1.26.8-bookworm
# npm 11 honours package.json "allowScripts" (only the approved native addon runs an install
# script); the Node 20 image ships npm 10, which would run every dependency's scripts.
ARG NPM_VERSION=11.19.1

# ---- helm: the wrapper module pins helm and every dependency's checksum (go.sum) ----
# Runs on the build machine's platform and cross-compiles (CGO is off), so a multi-platform
# build (docker buildx --platform linux/amd64,linux/arm64) compiles Go natively, not emulated.
FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS helm
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src/helm
COPY src/devcluster/versions.sh /src/versions.sh
COPY src/devcluster/go/helm/go.mod src/devcluster/go/helm/go.sum ./
# The same flags as build_helm in src/devcluster/build.sh: -mod=readonly never rewrites go.mod or
# go.sum, so every module downloaded is checked against the pinned checksums, and the version
# symbol makes `helm version` report the pinned release.
ENV GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    set -eu; \
    . /src/versions.sh; \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath \
      -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" \
      -o /out/helm helm.sh/helm/v4/cmd/helm

# ---- build: compile the TypeScript and build the dashboard (output is platform-independent) ----
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build
ARG NPM_VERSION
RUN npm install --global --no-audit --no-fund "npm@${NPM_VERSION}"
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: nothing built here needs a native addon (better-sqlite3, the one approved
# install script, is only needed at run time and is built in the deps stage). tsx (esbuild) and
# Vite (Rolldown) take their native parts from prebuilt optional packages, which need no script.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-dashboard.ts ./scripts/
COPY src ./src
COPY web ./web
# `npm run build` is tsc -p tsconfig.build.json: src/ to dist/ with imports rewritten to .js.
# Compiled JavaScript, not tsx at run time: tsx and esbuild are devDependencies, so the runtime
# image carries no TypeScript toolchain and starts without transpiling.
RUN npm run build && npm run build:web

# ---- deps: production dependencies for the target platform ----
# Not --platform=$BUILDPLATFORM: native addons must match the image's CPU and libc.
FROM ${NODE_IMAGE} AS deps
ARG NPM_VERSION
# better-sqlite3's install script fetches a prebuilt binary and falls back to compiling from
# source (python3, make, g++) when none can be fetched; npm_config_nodedir points node-gyp at
# the headers the Node image ships, so that fallback works offline too. @node-rs/argon2 needs
# neither: npm picks its prebuilt binary from the optional per-platform packages.
# (Debian's versions are not pinned: a point release removes the old ones from the archive, and
# these tools only build, they never ship.)
# hadolint ignore=DL3008
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends python3 make g++; \
    rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
RUN npm install --global --no-audit --no-fund "npm@${NPM_VERSION}"
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund
# Keep only better-sqlite3's loadable module (its SQLite sources and build intermediates are
# about 20 MB), then prove both native addons load on this platform.
RUN set -eux; \
    m=node_modules/better-sqlite3; \
    mv "$m/build/Release/better_sqlite3.node" /tmp/; \
    rm -rf "$m/build" "$m/deps" "$m/src"; \
    mkdir -p "$m/build/Release"; \
    mv /tmp/better_sqlite3.node "$m/build/Release/"; \
    node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get(); require('@node-rs/argon2').hashSync('x')"

# ---- runtime ----
FROM ${NODE_IMAGE}
ARG VERSION=dev
LABEL org.opencontainers.image.title="storeplane-platform" \
      org.opencontainers.image.description="Storeplane operator and API (with the dashboard)" \
      org.opencontainers.image.source="https://github.com/storeplane/storeplane" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}"
# HOME and helm's three directories on /tmp: the only writable path under a read-only root.
# STOREPLANE_HELM makes the operator use this helm without searching PATH.
ENV NODE_ENV=production \
    HOME=/tmp \
    HELM_CACHE_HOME=/tmp/helm/cache \
    HELM_CONFIG_HOME=/tmp/helm/config \
    HELM_DATA_HOME=/tmp/helm/data \
    STOREPLANE_HELM=/usr/local/bin/helm
WORKDIR /app
# Everything is owned by root and read-only to the app user: the code cannot change at run time.
COPY --from=helm /out/helm /usr/local/bin/helm
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY charts/woocommerce-store ./charts/woocommerce-store
COPY charts/medusa-store ./charts/medusa-store
# Numeric, so Kubernetes' runAsNonRoot can verify it; 65532 is the conventional "nonroot" id and
# needs no passwd entry (nothing here looks the user up).
USER 65532:65532
# Fail the build, not the first pod, when the CLI cannot load with production dependencies only
# or helm does not run on this platform.
RUN node /app/dist/cli/main.js help >/dev/null && helm version --short
# Node runs as PID 1 and handles SIGTERM itself (operator and API both shut down on it), and it
# reaps the helm children it spawns.
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["help"]
