#!/usr/bin/env bash
# bench/assess.sh — csreview assess against osv-scanner v2.5.1 offline, on
# the same SBOMs and advisories, in one run on this machine.
#
# Prints, per SBOM, the median wall time of 5 runs and the peak RSS of
# each tool, with the ratios, and the advisory import rate. Goals (issue 4):
# csreview at least 10x faster, at most half the peak RSS, import at least
# 5,000 records/s.
#
# Needs: Go, /usr/bin/time, python3, and osv-scanner v2.5.1 at $OSV_SCANNER
# or ~/.cache/csreview-peer/osv-scanner (GOBIN=$HOME/.cache/csreview-peer
# go install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.5.1).
# The peer scans against an OSV database it reads from all.zip archives
# built once, before timing, exactly as ../shared/peer/osv-scanner-offline.sh
# builds them; csreview assesses against the same records imported into its
# store (the import is timed separately).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
TESTDATA=$SHARED/testdata
RUNS=${RUNS:-5}
OSV_SCANNER=${OSV_SCANNER:-$(command -v osv-scanner || echo "$HOME/.cache/csreview-peer/osv-scanner")}
[ -x "$OSV_SCANNER" ] || { echo "bench/assess.sh: osv-scanner not found; see the header of this script" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/assess.sh: /usr/bin/time is needed (Debian package 'time')" >&2; exit 2; }

work=$(mktemp -d)
peerdb=""
trap 'rm -rf "$work" "${peerdb%/db}"' EXIT
go build -o "$work/csreview" ./cmd/csreview

# The peer's offline database, built once (not timed), as the peer script does.
KEEP_DB=1 "$SHARED/peer/osv-scanner-offline.sh" "$TESTDATA/sboms/spdx-json/acme-v2.3.spdx.json" >/dev/null 2>"$work/peer-db.log" || true
peerdb=$(sed -n "s/.*built db in \([^ ]*\) in .*/\1\/db/p" "$work/peer-db.log" | head -n1)
[ -d "$peerdb" ] || { echo "bench/assess.sh: could not build the peer's database:" >&2; cat "$work/peer-db.log" >&2; exit 2; }

# csreview's store: the advisories imported (timed: records per second),
# RUNS times into a fresh store; the median rate is reported, the last
# store kept for the assessments.
rates=()
for _ in $(seq "$RUNS"); do
	rm -rf "$work/data"
	"$work/csreview" advisories import --data "$work/data" "$TESTDATA/advisories/osv" | tee "$work/import.txt"
	rates+=("$(sed -n 's/.* \([0-9][0-9]*\) records\/s$/\1/p' "$work/import.txt")")
done

measure() { # measure OUTFILE CMD... : wall seconds and max RSS KB of one run
	# The wall time is taken around the run to the microsecond: /usr/bin/time
	# gives hundredths of a second, a quarter of csreview's time on some SBOMs.
	local out=$1; shift
	local t0 t1
	t0=$(date +%s%N)
	/usr/bin/time -f "%M" -o "$out" "$@" >/dev/null 2>&1 || true
	t1=$(date +%s%N)
	echo "$(( (t1 - t0) / 1000 ))e-6 $(tail -n 1 "$out")" # time writes "Command exited with non-zero status" first when it does
}

median() { python3 -c 'import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

printf '\n%-52s %10s %10s %7s %10s %10s %7s\n' "SBOM" "csreview s" "peer s" "speed×" "csr MiB" "peer MiB" "mem÷"
ratios=()
memratios=()
for f in cyclonedx-json/juice-shop-11.1.2.npm.cdx.json cyclonedx-json/keycloak-10.0.2.cdx.json \
	spdx-json/rancher-hardened-kubernetes.syft.spdx.json spdx-json/openshift-pipelines-client-1.14.3.spdx.json \
	cyclonedx-json/harp-0.2.10-darwin-amd64.gomod.cdx.json; do
	sbom=$TESTDATA/sboms/$f
	cw=(); cm=(); pw=(); pm=()
	for _ in $(seq "$RUNS"); do
		read -r w m < <(measure "$work/t" "$work/csreview" assess --data "$work/data" --format json --fail-on none "$sbom")
		cw+=("$w"); cm+=("$m")
		read -r w m < <(measure "$work/t" env OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY="$peerdb" "$OSV_SCANNER" scan source --offline --format json -L "$sbom")
		pw+=("$w"); pm+=("$m")
	done
	c=$(median "${cw[@]}"); p=$(median "${pw[@]}")
	cmem=$(median "${cm[@]}"); pmem=$(median "${pm[@]}")
	r=$(python3 -c "print(round($p/max($c,0.001),1))"); mr=$(python3 -c "print(round($cmem/$pmem,2))")
	ratios+=("$r"); memratios+=("$mr")
	printf '%-52s %10.3f %10.3f %7s %10.1f %10.1f %7s\n' "$(basename "$f")" "$c" "$p" "$r" "$(python3 -c "print($cmem/1024)")" "$(python3 -c "print($pmem/1024)")" "$mr"
done
echo
echo "median speed-up over the peer: $(median "${ratios[@]}")× (goal ≥ 10×)"
echo "median peak-RSS ratio: $(median "${memratios[@]}") (goal ≤ 0.5)"
printf "advisory import: %.0f records/s, median of %s (goal ≥ 5000)\n" "$(median "${rates[@]}")" "$RUNS"
