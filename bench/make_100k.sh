#!/bin/sh
# Writes a CSV of N answers (default 100000) sampled with a fixed seed from
# the short-text sets in ../shared/data/stc/*/texts.txt, with question,
# group and organisation columns, for timing `inspel analyze` end to end.
# Usage: bench/make_100k.sh [OUT.csv] [N]     (default build/bench-100k.csv)
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/bench-100k.csv}
n=${2:-100000}
data=${STC_DIR:-../shared/data/stc}
[ -d "$data" ] || data=/work/shared/data/stc
mkdir -p "$(dirname "$out")"
cat "$data"/*/texts.txt | awk -v n="$n" '
BEGIN { srand(42) }
{ line[NR] = $0 }
END {
	print "id,question,group,organisation,text"
	split("Region,Kommun,Skola,Privat vårdgivare", org, ",")
	for (i = 1; i <= n; i++) {
		t = line[int(rand() * NR) + 1]
		gsub(/"/, "\"\"", t)
		printf "%d,Q%d,Bord %d,%s,\"%s\"\n", i, int(rand() * 4) + 1, int(rand() * 12) + 1, org[int(rand() * 4) + 1], t
	}
}' > "$out"
echo "$out: $n answers" >&2
