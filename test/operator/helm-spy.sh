#!/usr/bin/env bash
# Wraps the real helm and logs when each invocation starts and ends, so a test can measure how
# many helm processes the operator ran at the same time.
set -u
log=${HELM_SPY_LOG:?} real=${HELM_SPY_REAL:?}
echo "start $$ $(date +%s%N) ${1:-}" >>"$log"
"$real" "$@"
rc=$?
echo "end $$ $(date +%s%N)" >>"$log"
exit $rc
