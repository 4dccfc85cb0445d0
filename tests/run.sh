#!/bin/sh
# Runs every test suite: cmocka unit tests (sanitizer build), a short
# libFuzzer pass over each fuzz target, HTTP tests against the real server
# (sanitizer build) and the browser tests against the release build.
# Prints one closing line "suites: N passed, N failed"; exits non-zero on any
# failure.  Called by `make test` after the builds.
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=""
FUZZ_SECONDS=${FUZZ_SECONDS:-15}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

suite() {
	name=$1; shift
	echo "=== $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "--- FAILED: $name"
	fi
}

suite "checksrc" sh tests/checksrc.sh

for t in build/san/tests/test_*; do
	[ -x "$t" ] || continue
	suite "unit $(basename "$t")" "$t"
done

for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	n=$(basename "$f")
	work=$(mktemp -d)
	[ -d "tests/fuzz/corpus/$n" ] && cp -r "tests/fuzz/corpus/$n/." "$work/"
	suite "fuzz $n (${FUZZ_SECONDS}s)" "$f" -max_total_time="$FUZZ_SECONDS" \
		-print_final_stats=0 "$work"
	rm -rf "$work"
done

if ls tests/http/*.test.mjs tests/browser/*.test.mjs >/dev/null 2>&1; then
	# Every devDependency of tests/package.json: a checkout that gained one reinstalls.
	if [ ! -d tests/node_modules/playwright-core ] || [ ! -d tests/node_modules/axe-core ]; then
		(cd tests && npm ci --no-audit --no-fund --loglevel=error) ||
			{ echo "npm ci failed"; exit 1; }
	fi
fi

if ls tests/http/*.test.mjs >/dev/null 2>&1; then
	suite "http" env INSPEL_BIN=build/san/inspel \
		node --test --test-concurrency=1 tests/http/
fi
if ls tests/browser/*.test.mjs >/dev/null 2>&1; then
	suite "browser" env INSPEL_BIN=build/inspel \
		node --test --test-concurrency=1 tests/browser/
fi

[ -n "$failures" ] && echo "failed suites:$failures"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
