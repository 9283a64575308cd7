# shellcheck shell=bash
# Versions of everything the local cluster builds; each cache directory is keyed by the ones it uses.
# shellcheck disable=SC2034 # sourced by build.sh and realnode/build.sh
K8S_VERSION=v1.34.10
ETCD_VERSION=v3.6.14
KWOK_VERSION=v0.8.0
HELM_VERSION=v4.1.4
# The real node's add-ons (realnode/build.sh).
COREDNS_VERSION=v1.15.0
KUBE_ROUTER_VERSION=v2.1.0
LOCAL_PATH_VERSION=v0.0.30
