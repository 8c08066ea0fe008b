#!/usr/bin/env bash
# bench/monitor.sh — continuous monitoring on a generated registry of
# 10,000 product versions × 500 components (5 million component rows), on
# SQLite and, when a server is named, on PostgreSQL, in one run.
#
# Prints, per engine, the medians of 5 runs: the time to find the versions
# one new advisory touches (goal < 50 ms) and the ratio of re-matching the
# whole registry against every testdata advisory to a plain full scan of
# the component table (goal ≤ 3).
#
# PostgreSQL: set CSREVIEW_BENCH_POSTGRES to a DSN of an empty database
# (the benchmark writes 5 million rows into it). Sizes: VERSIONS, COMPONENTS.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
VERSIONS=${VERSIONS:-10000}
COMPONENTS=${COMPONENTS:-500}
RUNS=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/monitor" ./bench/monitor
args=(-versions "$VERSIONS" -components "$COMPONENTS" -runs "$RUNS" -testdata "$SHARED/testdata")
echo "== SQLite"
"$work/monitor" "${args[@]}" -db "$work/bench.db"
if [ -n "${CSREVIEW_BENCH_POSTGRES:-}" ]; then
	echo "== PostgreSQL"
	"$work/monitor" "${args[@]}" -db "$CSREVIEW_BENCH_POSTGRES"
else
	echo "== PostgreSQL: SKIPPED (set CSREVIEW_BENCH_POSTGRES)"
fi
