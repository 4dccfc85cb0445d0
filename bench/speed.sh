#!/bin/sh
# speed.sh - how fast theme discovery is.
#
#  1. End to end: `inspel analyze --themes none` (k auto) on 100,000
#     answers sampled from the shared short-text sets by bench/make_100k.sh,
#     under /usr/bin/time -v: wall time and peak resident memory, best of
#     RUNS.
#  2. Clustering alone: cluster_run() on 5,000 sampled answers through
#     bench/cluster_dev (its own simple tokeniser; the time printed covers
#     cluster_run only), k auto and k = 10, best of 5 repeats.
#  3. Re-analysis with people's decisions: 5,000 Swedish answers (the
#     sv-argumentation set, shipped primary-care themes) analysed with no
#     decisions and with 50 (rename, split, merge, adopt, move, also, made
#     from a first run) through bench/curate_speed, side by side, best of 5
#     (curate_parse + analysis_run; the goal is well under a second).
#
# Figures are printed, never asserted.  Usage: sh bench/speed.sh
# (after `make`); INSPEL, BUILD and RUNS may be overridden.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
INSPEL=${INSPEL:-$BUILD/inspel}
RUNS=${RUNS:-3}
PY=/usr/bin/python3
[ -x "$INSPEL" ] || { echo "speed.sh: $INSPEL missing; run make first" >&2; exit 1; }
[ -f "$BUILD/libinspel_analysis.a" ] || { echo "speed.sh: $BUILD/libinspel_analysis.a missing" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sh bench/make_100k.sh "$work/100k.csv" 100000
echo "== inspel analyze --themes none --lang en --format json on 100,000 answers (k auto)"
best_wall=""
for i in $(seq "$RUNS"); do
	/usr/bin/time -v "$INSPEL" analyze --input "$work/100k.csv" --themes none \
		--lang en --format json --out "$work/out.json" 2>"$work/time.txt"
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt" |
		awk -F: '{ print ($1 * 60) + $2 }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
	cpu=$(sed -n 's/.*User time (seconds): //p' "$work/time.txt")
	echo "run $i: wall ${wall} s, user ${cpu} s, peak RSS $((rss / 1024)) MB"
	if [ -z "$best_wall" ] || awk "BEGIN { exit !($wall < $best_wall) }"; then
		best_wall=$wall
	fi
done
themes=$($PY -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["themes"]))' "$work/out.json")
echo "best wall ${best_wall} s (goal < 2 s), themes found: $themes"

$PY bench/sample_texts.py 5000 "$work/5k.txt"
echo "== cluster_run alone on 5,000 answers (best of 5)"
"$BUILD/bench/cluster_dev" -l english -r 5 < "$work/5k.txt" 2>&1 >/dev/null | sed 's/^/k auto: /'
"$BUILD/bench/cluster_dev" -l english -r 5 -k 10 < "$work/5k.txt" 2>&1 >/dev/null | sed 's/^/k 10:   /'

stc=${STC_DIR:-../shared/data/stc}
[ -d "$stc" ] || stc=/work/shared/data/stc
mkdir -p "$work/sv"
ln -s "$(cd "$stc/sv-argumentation-all" && pwd)" "$work/sv/sv-argumentation-all"
STC_DIR="$work/sv" sh bench/make_100k.sh "$work/5k-sv.csv" 5000
echo "== re-analysis of 5,000 answers: no decisions vs 50 decisions (wall time, ms)"
"$BUILD/bench/curate_speed" "$work/5k-sv.csv" 5
