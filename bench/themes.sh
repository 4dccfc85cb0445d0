#!/bin/sh
# themes.sh - how fast the live themes are end to end through the real server.
#
#   sh bench/themes.sh          # release build at build/inspel
#   INSPEL_BIN=... ANSWERS=5000 REPEATS=10 sh bench/themes.sh
#
# Starts a server on 127.0.0.1 with a fresh database and the rate limit off
# (--rate-burst 0: the answers come from one machine), and lets
# bench/themes_http.mjs load ANSWERS Swedish answers (sampled from the
# sv-argumentation set) into one workshop through POST /api/answers and time
# GET .../themes after a new answer without and with 20 decisions, the
# presenter's `themes` event after a new answer, and an unchanged GET.
# Figures are printed, never asserted.
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh

BIN=${INSPEL_BIN:-build/inspel}
ANSWERS=${ANSWERS:-5000}
REPEATS=${REPEATS:-10}
stc=${STC_DIR:-../shared/data/stc}
[ -d "$stc" ] || stc=/work/shared/data/stc
texts=$stc/sv-argumentation-all/texts.txt

[ -x "$BIN" ] || { echo "themes.sh: $BIN missing; run make first" >&2; exit 1; }
[ -f "$texts" ] || { echo "themes.sh: $texts missing" >&2; exit 1; }
command -v node >/dev/null || { echo "themes.sh: node missing" >&2; exit 1; }

dir=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

start_server "$BIN" "$dir"

echo "== live themes through the server: $ANSWERS answers from sv-argumentation-all, $(nproc) cores, $url"
node bench/themes_http.mjs "$url" "$key" "$texts" "$ANSWERS" "$REPEATS" || { tail -n 5 "$dir/err" >&2; exit 1; }

stop_server
