#!/usr/bin/env bash
# bench/fastpaths.sh — each fast path against its plain path, on the same
# input in the same run on this machine. A fast path lives in an internal
# package whose doc comment states a bound on its ratio to the plain path;
# it stays only while the bound holds.
#
# Prints, per ratio, the median of 5 runs (COUNT) of its Go benchmark, the
# bound, and "met" or "NOT met"; exits 1 when a bound is not met, 2 when
# the benchmarks cannot run. Goals (the packages' doc comments):
#   sbom/internal/split  SPDX 2.3 split read ≤ 0.4× tools-golang's decode,
#                        CycloneDX split read ≤ 0.75× cyclonedx-go's
#   internal/osvcompact  compact form read ≤ 0.15× advisory.ParseRecord
#   internal/gcpace      csreview assess's work with Floor ≤ 0.95× the
#                        time and ≤ 0.6× the collections of Go's pacing
#
# Needs Go, python3 and the shared test data at ../shared/testdata. The
# packages are benchmarked one after another, so that they do not compete
# for the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${COUNT:-5}
[ -d ../shared/testdata/sboms ] && [ -d ../shared/testdata/advisories/osv ] ||
	{ echo "bench/fastpaths.sh: the shared test data is missing at ../shared/testdata" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# package|benchmark|metric|bound|what is compared
checks=(
	"./sbom/internal/split|BenchmarkSPDX23|x-plain|0.4|SPDX 2.3 split read / tools-golang decode (time)"
	"./sbom/internal/split|BenchmarkCycloneDX|x-plain|0.75|CycloneDX split read / cyclonedx-go decode (time)"
	"./internal/osvcompact|BenchmarkDecode|x-plain|0.15|compact form read / advisory.ParseRecord (time)"
	"./internal/gcpace|BenchmarkAssess|x-plain|0.95|assess with Floor / Go's pacing (time)"
	"./internal/gcpace|BenchmarkAssess|gc-x-plain|0.6|assess with Floor / Go's pacing (GC cycles)"
)

: >"$work/lines"
for pkg in ./sbom/internal/split ./internal/osvcompact ./internal/gcpace; do
	if ! go test -run '^$' -bench . -count "$COUNT" "$pkg" >"$work/out" 2>&1; then
		cat "$work/out" >&2
		echo "bench/fastpaths.sh: the benchmarks of $pkg failed" >&2
		exit 2
	fi
	sed -n "s|^\(Benchmark[A-Za-z0-9_]*\)-*[0-9]*[[:space:]]|$pkg \1 |p" "$work/out" >>"$work/lines"
done

printf '%-50s %7s   %s\n' "ratio, median of $COUNT runs" "median" "bound"
failed=0
for c in "${checks[@]}"; do
	IFS='|' read -r pkg bench metric bound label <<<"$c"
	verdict=$(awk -v p="$pkg" -v b="$bench" -v m="$metric" '$1 == p && $2 == b {
			for (i = 3; i < NF; i++) if ($(i+1) == m) print $i
		}' "$work/lines" | python3 -c '
import statistics, sys
xs = [float(x) for x in sys.stdin.read().split()]
bound = float(sys.argv[1])
if not xs:
    print("- none")
else:
    m = statistics.median(xs)
    print("%.3g %s" % (m, "met" if m <= bound else "not"))
' "$bound")
	read -r median v <<<"$verdict"
	case $v in
	met) ;;
	not) v="NOT met"; failed=1 ;;
	*) v="NOT met (no result)"; failed=1 ;;
	esac
	# (each field holds one two-byte ×: printf pads bytes)
	printf '%-50s %8s   ≤ %-7s %s\n' "$label" "$median×" "$bound×" "$v"
done
if [ "$failed" -ne 0 ]; then
	echo "a bound is NOT met: the fast path that misses it goes (see its package's doc comment)"
	exit 1
fi
echo "every bound met"
