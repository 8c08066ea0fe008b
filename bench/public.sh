#!/usr/bin/env bash
# bench/public.sh — the public product-status lookup against a bare
# net/http handler, and appends to the publication log (issue 5).
#
# Prints the median requests per second of GET /public/v1/products/{id}
# (with its inclusion proofs) and of a handler that answers a constant,
# both on loopback in the same run, alternating, in bounded rounds; their
# ratio (goal: at least 0.50) and p99 latencies, with the public cache on
# as served and off for comparison. Then appends per second, each in its
# own transaction with a signed checkpoint, on SQLite and (when
# CSREVIEW_TEST_POSTGRES names a server) PostgreSQL.
#
# Knobs: BENCH_ROUNDS (5), BENCH_REQUESTS per round (20000), BENCH_CLIENTS (8).
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run XXX -bench PublicLookup -benchtime 1x -count 1 ./web 2>&1 | grep -E '^public lookup|FAIL|panic' || true
# The benchmark prints a line per round of b.N; the last per engine counts.
go test -run XXX -bench LogAppend -benchtime 3s -count 1 ./sqlstore 2>&1 |
	awk '/^log append/ { last[$3] = $0 } /FAIL|panic/ { print } END { for (e in last) print last[e] }' | sort
