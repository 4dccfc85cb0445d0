#!/bin/sh
# Phase timings of the analysis text pipeline on the 100k-answer sample
# (bench/make_100k.sh), plus the end-to-end `inspel analyze` time and peak
# RSS.  Prints figures only; nothing is asserted.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
make --no-print-directory BUILD="$BUILD" "$BUILD/inspel" bench-build >/dev/null
[ -f build/bench-100k.csv ] || sh bench/make_100k.sh build/bench-100k.csv 100000
"$BUILD/bench/bench_text" build/bench-100k.csv
/usr/bin/time -f "inspel analyze end to end: %e s wall, %U s user, peak RSS %M KB" \
	"$BUILD/inspel" analyze --input build/bench-100k.csv --out /dev/null
