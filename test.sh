#!/usr/bin/env bash
# test.sh — the project's one test command.
#
#   ./test.sh                 go vet + the full test suite (race detector on)
#   ./test.sh -run Foo -v     extra arguments are passed on to `go test`
#
# What it provides for the tests (see the env vars below):
#   CSREVIEW_TEST_POSTGRES  a real PostgreSQL server. If already set, it is used
#                           as is; otherwise a throwaway server is started from
#                           the local PostgreSQL binaries (installing Debian's
#                           `postgresql` package when root) and stopped/removed
#                           on exit. When none can be had the PostgreSQL store
#                           suite is SKIPPED (said loudly below).
#   CSREVIEW_CHROMIUM       the Chromium binary for the browser tests
#                           (Debian's `chromium` package is installed when root).
#   CSREVIEW_ARTIFACTS      where tests put screenshots; default ./test-artifacts.
#   CSREVIEW_SKIPLOG        a file where every skipped test records itself
#                           (internal/testenv); the summary lists them.
#   CSREVIEW_TEST_EXTENDED  when 1, the extended mode: after the suite, every
#                           fuzz target (each parser's and the version
#                           comparison's) runs for CSREVIEW_FUZZTIME (default
#                           60s) each, the crash-safety test kills its
#                           server 20 times per engine (3 otherwise), and the
#                           hostile-input tests run again without the race
#                           detector, and bench/fastpaths.sh checks each fast
#                           path's ratio to its plain path against the bound
#                           its package states. .ci/run turns it on.
#
# The real third-party data (../shared/testdata) stays beside the repository.
# Without it every package is still tested on the project's own fixtures in
# testdata/; the tests that need the real data are skipped and named in the
# summary, and under CI=true they fail.
#
# Works unattended (CI=true, no stdin) on Debian 12 with Go installed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

say() { printf 'test.sh: %s\n' "$*" >&2; }

is_root=false
[[ "$(id -u)" == 0 ]] && is_root=true

# ---------------------------------------------------------------------------
# apt-get helpers: only used as root, only when something is missing;
# `apt-get update` runs at most once, and only if an install is needed.
# ---------------------------------------------------------------------------
apt_updated=false
can_apt() { $is_root && command -v apt-get >/dev/null 2>&1; }

apt_install() { # apt_install PKG... ; returns non-zero on failure
	local log
	log="$(mktemp /tmp/csreview-apt.XXXXXX)"
	export DEBIAN_FRONTEND=noninteractive
	if ! $apt_updated; then
		say "apt-get update (to install: $*)"
		if ! apt-get update -qq </dev/null >"$log" 2>&1; then
			say "apt-get update failed (trying the install anyway):"
			tail -n 5 "$log" >&2 || true
		fi
		apt_updated=true
	fi
	say "apt-get install $*"
	# Lock::Timeout: wait for another apt/dpkg run instead of failing.
	if apt-get install -y -qq \
		-o DPkg::Lock::Timeout=900 "$@" </dev/null >"$log" 2>&1; then
		rm -f "$log"
		return 0
	fi
	say "apt-get install $* failed:"
	tail -n 15 "$log" >&2 || true
	rm -f "$log"
	return 1
}

# ---------------------------------------------------------------------------
# Cleanup (registered before anything is started).
# ---------------------------------------------------------------------------
pg_tmp=""     # temp dir holding data/, log and the unix socket
pg_started=false
skiplog=""

as_pg() { # run a PostgreSQL server binary as the user that may run it
	if $is_root; then
		(cd "$pg_tmp" && runuser -u postgres -- "$@")
	else
		(cd "$pg_tmp" && "$@")
	fi
}

cleanup() {
	set +e
	[[ -n "$skiplog" ]] && rm -f -- "$skiplog"
	if [[ -n "$pg_tmp" && -d "$pg_tmp" ]]; then
		if $pg_started || [[ -f "$pg_tmp/data/postmaster.pid" ]]; then
			as_pg "$pg_bin/pg_ctl" -D "$pg_tmp/data" -m immediate -w -t 30 stop \
				>/dev/null 2>&1 </dev/null
			if [[ -f "$pg_tmp/data/postmaster.pid" ]]; then
				local pid
				pid="$(head -n 1 "$pg_tmp/data/postmaster.pid" 2>/dev/null)"
				[[ "$pid" =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null
				sleep 1
			fi
		fi
		rm -rf -- "$pg_tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------------------
# 1. go vet
# ---------------------------------------------------------------------------
vet_status=ok
say "go vet ./..."
if ! go vet ./... </dev/null; then
	vet_status=FAILED
	say "go vet FAILED (running the tests anyway; the run will fail)"
fi

# ---------------------------------------------------------------------------
# 2. PostgreSQL
# ---------------------------------------------------------------------------
pg_summary=""
pg_bin=""

find_pg_bin() {
	local d best=""
	# Newest /usr/lib/postgresql/<version>/bin holding all three binaries.
	while IFS= read -r d; do
		if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
			best="$d"
		fi
	done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V)
	if [[ -z "$best" ]] && command -v initdb >/dev/null 2>&1; then
		# Elsewhere on PATH (wrappers are resolved to their real directory).
		d="$(dirname "$(readlink -f "$(command -v initdb)")")"
		if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
			best="$d"
		fi
	fi
	[[ -n "$best" ]] && pg_bin="$best"
}

free_port() { # prints a currently free loopback TCP port
	local p i
	if command -v python3 >/dev/null 2>&1 &&
		p="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' 2>/dev/null)" && [[ "$p" =~ ^[0-9]+$ ]]; then
		echo "$p"
		return 0
	fi
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 30000))
		# A refused connection means nobody listens there.
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

start_postgres() { # sets CSREVIEW_TEST_POSTGRES or returns 1 with pg_reason set
	find_pg_bin
	if [[ -z "$pg_bin" ]]; then
		if can_apt; then
			apt_install postgresql || true
			find_pg_bin
		fi
		if [[ -z "$pg_bin" ]]; then
			if can_apt; then
				pg_reason="no initdb/pg_ctl/postgres found, and installing the postgresql package failed"
			elif $is_root; then
				pg_reason="no initdb/pg_ctl/postgres found, and no apt-get to install them"
			else
				pg_reason="no initdb/pg_ctl/postgres found; not root, so not installing Debian's postgresql package"
			fi
			return 1
		fi
	fi

	if $is_root; then
		if ! id postgres >/dev/null 2>&1; then
			pg_reason="running as root but there is no 'postgres' user to run the server as"
			return 1
		fi
		if ! command -v runuser >/dev/null 2>&1; then
			pg_reason="running as root but runuser is missing"
			return 1
		fi
	fi

	# Under /tmp (not $TMPDIR): the postgres user must reach it, and the unix
	# socket path inside it must stay short.
	if ! pg_tmp="$(mktemp -d /tmp/csreview-pg.XXXXXX)"; then
		pg_tmp=""
		pg_reason="could not create a temp directory under /tmp"
		return 1
	fi
	if ! chmod 0755 "$pg_tmp" || { $is_root && ! chown postgres: "$pg_tmp"; }; then
		pg_reason="could not hand $pg_tmp to the postgres user"
		return 1
	fi

	local initdb_ok=false loc
	for loc in C.UTF-8 C; do
		rm -rf -- "$pg_tmp/data"
		if as_pg "$pg_bin/initdb" -D "$pg_tmp/data" --auth=trust -U postgres \
			--encoding=UTF8 --locale="$loc" --no-sync \
			</dev/null >"$pg_tmp/initdb.log" 2>&1; then
			initdb_ok=true
			break
		fi
	done
	if ! $initdb_ok; then
		tail -n 15 "$pg_tmp/initdb.log" >&2 || true
		pg_reason="initdb failed (see above)"
		return 1
	fi

	local attempt port=""
	for attempt in 1 2 3 4 5; do
		if ! port="$(free_port)"; then
			pg_reason="could not find a free TCP port"
			return 1
		fi
		if as_pg "$pg_bin/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $pg_tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
			start </dev/null >/dev/null 2>&1; then
			pg_started=true
			break
		fi
		# Most likely lost a race for the port: make sure nothing is left
		# running, then try another port.
		if [[ -f "$pg_tmp/data/postmaster.pid" ]]; then
			cleanup_server_only
		fi
	done
	if ! $pg_started; then
		tail -n 15 "$pg_tmp/log" >&2 || true
		pg_reason="the server did not start (see its log above)"
		return 1
	fi

	# Create the test database: with createdb/psql if there, else single-user mode.
	local created=false createdb_bin="" psql_bin=""
	if [[ -x "$pg_bin/createdb" ]]; then createdb_bin="$pg_bin/createdb"
	elif command -v createdb >/dev/null 2>&1; then createdb_bin="$(command -v createdb)"; fi
	if [[ -x "$pg_bin/psql" ]]; then psql_bin="$pg_bin/psql"
	elif command -v psql >/dev/null 2>&1; then psql_bin="$(command -v psql)"; fi
	if [[ -n "$createdb_bin" ]] &&
		"$createdb_bin" -h 127.0.0.1 -p "$port" -U postgres csreview_test </dev/null >"$pg_tmp/createdb.log" 2>&1; then
		created=true
	elif [[ -n "$psql_bin" ]] &&
		"$psql_bin" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
			-c 'CREATE DATABASE csreview_test' </dev/null >"$pg_tmp/createdb.log" 2>&1; then
		created=true
	else
		as_pg "$pg_bin/pg_ctl" -D "$pg_tmp/data" -m fast -w stop </dev/null >/dev/null 2>&1 || true
		pg_started=false
		if echo 'CREATE DATABASE csreview_test;' |
			as_pg "$pg_bin/postgres" --single -D "$pg_tmp/data" postgres >"$pg_tmp/createdb.log" 2>&1 &&
			as_pg "$pg_bin/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/log" -w -t 60 \
				-o "-c listen_addresses=127.0.0.1 -p $port -k $pg_tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
				start </dev/null >/dev/null 2>&1; then
			pg_started=true
			created=true
		fi
	fi
	if ! $created; then
		tail -n 15 "$pg_tmp/createdb.log" >&2 || true
		pg_reason="could not create the csreview_test database (see above)"
		return 1
	fi

	export CSREVIEW_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/csreview_test?sslmode=disable"
	pg_version="$("$pg_bin/postgres" --version 2>/dev/null | awk '{print $3}')" || pg_version="?"
	pg_summary="PostgreSQL suite ran (throwaway PostgreSQL ${pg_version} on 127.0.0.1:$port)"
	return 0
}

cleanup_server_only() {
	as_pg "$pg_bin/pg_ctl" -D "$pg_tmp/data" -m immediate -w -t 30 stop </dev/null >/dev/null 2>&1 || true
	pg_started=false
}

pg_reason=""
pg_version=""
if [[ -n "${CSREVIEW_TEST_POSTGRES:-}" ]]; then
	say "using the given CSREVIEW_TEST_POSTGRES"
	pg_summary="PostgreSQL suite ran (given CSREVIEW_TEST_POSTGRES)"
elif start_postgres; then
	say "PostgreSQL $pg_version ready: $CSREVIEW_TEST_POSTGRES"
else
	export CSREVIEW_TEST_POSTGRES=""
	say "PostgreSQL unavailable ($pg_reason): the PostgreSQL store suite is SKIPPED"
	pg_summary="PostgreSQL suite SKIPPED ($pg_reason)"
fi

# ---------------------------------------------------------------------------
# 3. Chromium
# ---------------------------------------------------------------------------
browser_summary=""
chromium_works() { [[ -x "$1" ]] && timeout 60 "$1" --version </dev/null >/dev/null 2>&1; }

find_chromium() {
	local c
	for c in chromium chromium-browser; do
		if command -v "$c" >/dev/null 2>&1 && chromium_works "$(command -v "$c")"; then
			command -v "$c"
			return 0
		fi
	done
	return 1
}

chromium_reason=""
if [[ -n "${CSREVIEW_CHROMIUM:-}" ]]; then
	say "using the given CSREVIEW_CHROMIUM=$CSREVIEW_CHROMIUM"
	browser_summary="browser tests ran (given CSREVIEW_CHROMIUM)"
else
	chromium_path=""
	if ! chromium_path="$(find_chromium)"; then
		chromium_path=""
		if can_apt; then
			apt_install chromium || true
			chromium_path="$(find_chromium)" || chromium_path=""
			[[ -z "$chromium_path" ]] && chromium_reason="installing the chromium package failed"
		elif $is_root; then
			chromium_reason="chromium not found and no apt-get to install it"
		else
			chromium_reason="chromium not found; not root, so not installing Debian's chromium package"
		fi
	fi
	if [[ -n "$chromium_path" ]]; then
		# The pages are Chinese first: without CJK fonts the screenshots show boxes.
		if ! { command -v fc-list >/dev/null 2>&1 && [[ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]]; }; then
			if can_apt; then
				apt_install fonts-noto-cjk || say "fonts-noto-cjk could not be installed: Chinese text in screenshots will show as boxes"
			else
				say "no CJK font found: Chinese text in screenshots will show as boxes"
			fi
		fi
		export CSREVIEW_CHROMIUM="$chromium_path"
		browser_summary="browser tests ran ($("$chromium_path" --version 2>/dev/null </dev/null | head -n 1 || echo "$chromium_path"))"
		say "Chromium: $CSREVIEW_CHROMIUM"
	else
		export CSREVIEW_CHROMIUM=""
		say "Chromium unavailable ($chromium_reason): the browser tests are SKIPPED"
		browser_summary="browser tests SKIPPED ($chromium_reason)"
	fi
fi

# ---------------------------------------------------------------------------
# 4. The race detector needs cgo and a C compiler.
# ---------------------------------------------------------------------------
race_flag=-race
if [[ "$(go env CGO_ENABLED)" != 1 ]]; then
	if [[ "${CGO_ENABLED:-}" != 0 ]] && can_apt &&
		! command -v "$(go env CC)" >/dev/null 2>&1; then
		apt_install gcc libc6-dev || true
	fi
	if [[ "$(go env CGO_ENABLED)" != 1 ]]; then
		race_flag=""
		say "cgo unavailable (no C compiler, or CGO_ENABLED=0): tests run WITHOUT the race detector"
	fi
fi

# ---------------------------------------------------------------------------
# 5. Artifacts
# ---------------------------------------------------------------------------
CSREVIEW_ARTIFACTS="${CSREVIEW_ARTIFACTS:-./test-artifacts}"
mkdir -p -- "$CSREVIEW_ARTIFACTS"
CSREVIEW_ARTIFACTS="$(cd -- "$CSREVIEW_ARTIFACTS" && pwd)"
export CSREVIEW_ARTIFACTS

# ---------------------------------------------------------------------------
# 6. go test
# ---------------------------------------------------------------------------
shared_summary="shared test data present"
if [[ ! -d ../shared/testdata ]]; then
	shared_summary="shared test data MISSING (../shared/testdata): the tests that need it are skipped and listed"
	if [[ "${CI:-}" == true ]]; then
		shared_summary="shared test data MISSING (../shared/testdata): under CI=true that fails the run"
	fi
	say "$shared_summary"
fi
skiplog="$(mktemp /tmp/csreview-skips.XXXXXX)"
export CSREVIEW_SKIPLOG="$skiplog"

test_status=ok
say "go test ${race_flag:+$race_flag }-count=1 -timeout 20m ./... $*"
if ! go test ${race_flag:+"$race_flag"} -count=1 -timeout 20m ./... "$@" </dev/null; then
	test_status=FAILED
fi

# ---------------------------------------------------------------------------
# 7. Extended mode: each fuzz target for a while
# ---------------------------------------------------------------------------
fuzz_summary="fuzzing not run (CSREVIEW_TEST_EXTENDED=1 runs it)"
if [[ "${CSREVIEW_TEST_EXTENDED:-}" == 1 && $# -eq 0 ]]; then
	fuzztime="${CSREVIEW_FUZZTIME:-60s}"
	fuzz_failed=()
	n=0
	# "dir/x_test.go:func FuzzName(" → "dir FuzzName"; the root package is "."
	while read -r dir name; do
		n=$((n + 1))
		say "fuzz $name in ./$dir for $fuzztime"
		if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "./$dir" </dev/null; then
			fuzz_failed+=("$name")
		fi
	done < <(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sort |
		sed -E 's|^\./||; s|^([^:]*)/[^/:]*_test\.go:func |\1 |; s|^[^/ :]*_test\.go:func |. |')
	if [[ ${#fuzz_failed[@]} -eq 0 && $n -gt 0 ]]; then
		fuzz_summary="fuzzing ok ($n targets, $fuzztime each)"
	else
		fuzz_summary="fuzzing FAILED (${fuzz_failed[*]:-no targets found})"
		test_status=FAILED
	fi
	# The hostile corpus again without the race detector, which loosens
	# its time and memory bounds: here they are the 2 s and 256 MiB.
	say "hostile input at its bounds (no race detector)"
	if ! go test -count=1 -run '^TestHostile' ./web ./cmd/csreview </dev/null; then
		fuzz_summary="$fuzz_summary; hostile input FAILED at its bounds"
		test_status=FAILED
	else
		fuzz_summary="$fuzz_summary; hostile input ok at its bounds"
	fi
	# Each fast path stays only while its ratio to the plain path holds the
	# bound its package states (about 35 s here).
	if [[ -d ../shared/testdata ]]; then
		say "fast paths against their bounds (bench/fastpaths.sh)"
		if ! bash bench/fastpaths.sh </dev/null; then
			fuzz_summary="$fuzz_summary; a fast path MISSED its bound"
			test_status=FAILED
		else
			fuzz_summary="$fuzz_summary; fast paths within their bounds"
		fi
	else
		fuzz_summary="$fuzz_summary; fast paths not measured (no shared data)"
	fi
fi

# What did not run, grouped by why.
skip_summary="every test ran"
if [[ -s "$skiplog" ]]; then
	skipped="$(sort -u "$skiplog" | wc -l | tr -d ' ')"
	say "did not run ($skipped):"
	sort -u "$skiplog" | awk -F'\t' '
		{ why[$3] = why[$3] "\n    " $1 " " $2; n[$3]++ }
		END { for (w in why) printf "  %s (%d):%s\n", w, n[w], why[w] }' >&2
	skip_summary="$skipped tests did not run (listed above)"
fi
if [[ ! -d ../shared/testdata && "${CI:-}" == true ]]; then
	test_status=FAILED
fi

race_summary="race detector on"
[[ -z "$race_flag" ]] && race_summary="race detector OFF (no cgo)"
say "summary: vet $vet_status; tests $test_status ($race_summary); $skip_summary; $shared_summary; $fuzz_summary; $pg_summary; $browser_summary; artifacts in $CSREVIEW_ARTIFACTS"

[[ "$vet_status" == ok && "$test_status" == ok ]]
