#!/usr/bin/env bash
# Soak: mixed public and signed-in traffic (24 clients) against the demo
# server on loopback for a bounded time; prints requests per second,
# latency per class, errors and the live heap at the start and the end.
#   bench/soak.sh [DURATION]   (default 60s; no race detector)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CSREVIEW_SOAK="${1:-60s}" go test -count=1 -run '^TestSoak$' -v ./web | grep -E 'soak |^(--- |ok|FAIL)'
