#!/bin/sh
# Load benchmark of the answer write path (loopback only).
#
#   sh bench/load.sh            # release build at build/inspel
#   INSPEL_BIN=... DURATION=10 CONNECTIONS=256 SSE_CLIENTS=2000 sh bench/load.sh
#
# Starts a server on 127.0.0.1 with a fresh database and the rate limit off
# (--rate-burst 0: every wrk connection would otherwise be one phone over its
# limit), creates a workshop, opens a question and runs wrk posting unique
# answers: first alone, then with SSE_CLIENTS event streams held open
# (phones and one presenter) that must keep receiving counts.  Prints
# acknowledged (201, committed) answers per second and latency, checks the
# database holds every acknowledged answer, and the writer's batch figures.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

BIN=${INSPEL_BIN:-build/inspel}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-256}
THREADS=${THREADS:-2}
SSE_CLIENTS=${SSE_CLIENTS:-2000}

[ -x "$BIN" ] || { echo "load.sh: $BIN missing; run make first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "load.sh: wrk missing (make deps / apt-get install wrk)" >&2; exit 1; }

dir=$(mktemp -d)
pid=""
ssepid=""
cleanup() {
	[ -n "$ssepid" ] && kill "$ssepid" 2>/dev/null || true
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

start_server "$BIN" "$dir"

ws=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
	-d '{"title":"Lasttest","template":"primarvard"}' "$url/api/workshops")
field() { printf '%s' "$ws" | python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
wsid=$(field "d['id']")
code=$(field "d['code']")
qid=$(field "d['questions'][0]['id']")
curl -sf -X PATCH -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
	-d '{"open":true}' "$url/api/questions/$qid" >/dev/null

# CPU seconds (user + system) the server has used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$pid/stat"; }
stored() { sqlite3 "$dir/db" 'SELECT count(*) FROM answers'; }
# Run wrk once; print its figures and the server's CPU cost per answer,
# which says what the server alone could do on these cores without wrk.
phase() {
	c0=$(cpu); n0=$(stored)
	BENCH_CODE=$code BENCH_QUESTION=$qid BENCH_RUN=$1 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
		-s bench/answers.lua "$url" | grep -E 'acknowledged|latency:'
	c1=$(cpu); n1=$(stored)
	awk -v c="$c0" -v d="$c1" -v a="$n0" -v b="$n1" -v cores="$(nproc)" 'BEGIN {
		used = d - c; n = b - a;
		if (used > 0) printf "server CPU: %.2f s for %d answers = %.0f answers per CPU-second (x%d cores = %.0f/s if the server had the machine)\n", used, n, n / used, cores, cores * n / used }'
}

echo "== inspel load benchmark: $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $url"
echo "-- 1. answers only"
phase a

echo "-- 2. answers with $SSE_CLIENTS event streams open (1 presenter with ?answers=1)"
# A small Node client holds the streams and counts the events each receives.
node --input-type=module -e '
const [url, ws, n] = [process.argv[1], process.argv[2], Number(process.argv[3])];
let open = 0, frames = 0, failed = 0;
const ctrls = [];
async function one(i) {
  const ctrl = new AbortController(); ctrls.push(ctrl);
  try {
    const res = await fetch(`${url}/api/workshops/${ws}/events${i === 0 ? "?answers=1" : ""}`, { signal: ctrl.signal });
    if (res.status !== 200) { failed++; return; }
    open++;
    const reader = res.body.getReader();
    for (;;) { const { value, done } = await reader.read(); if (done) break; frames += value.length; }
  } catch { /* aborted at the end */ }
}
for (let i = 0; i < n; i++) one(i);
process.on("SIGTERM", () => { console.log(`sse: ${open} streams open, ${failed} refused, ${(frames / 1e6).toFixed(1)} MB of events received`); process.exit(0); });
setInterval(() => {}, 1000);
' "$url" "$wsid" "$SSE_CLIENTS" >"$dir/sse" 2>&1 &
ssepid=$!
sleep 3
phase b
kill "$ssepid"; wait "$ssepid" 2>/dev/null || true; ssepid=""
cat "$dir/sse"

stop_server
echo "-- stored answers in the database: $(stored)"
grep -E 'answers in' "$dir/err" || true
