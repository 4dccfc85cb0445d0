# shellcheck shell=sh
# lib.sh - what the server benchmarks share, sourced by bench/load.sh and
# bench/themes.sh from the repository root (POSIX sh, run under set -eu).
#
# Each caller keeps its own EXIT trap that kills "$pid" and removes its
# temporary directory, so a failed start or bench still leaves nothing behind.

# start_server BIN DIR: adds a facilitator key to a fresh database DIR/db and
# starts `BIN serve` on 127.0.0.1 at a free port with the rate limit and the
# per-address connection cap off (--rate-burst 0, --max-conn-per-ip 0: the
# load, thousands of connections, comes from one address), its stdout and stderr in
# DIR/out and DIR/err.  Sets pid, key and url once it printed "listening on";
# exits 1 with its stderr when it died or was not up within 10 s.
# shellcheck disable=SC2034 # key and url are for the caller
start_server() {
	key=$("$1" keys add --db "$2/db" | tail -n 1)
	"$1" serve --db "$2/db" --port 0 --bind 127.0.0.1 --rate-burst 0 --max-conn-per-ip 0 >"$2/out" 2>"$2/err" &
	pid=$!
	_tries=0
	until grep -q '^listening on ' "$2/out" 2>/dev/null; do
		_tries=$((_tries + 1))
		if [ "$_tries" -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
			echo "the server did not start:" >&2
			cat "$2/err" >&2
			exit 1
		fi
		sleep 0.1
	done
	url=$(sed -n 's/^listening on //p' "$2/out")
}

# stop_server: stops the server start_server started; exits 1 when it did not exit cleanly.
stop_server() {
	kill "$pid"
	wait "$pid" || { echo "server exited non-zero" >&2; exit 1; }
	pid=""
}
