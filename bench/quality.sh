#!/bin/sh
# quality.sh - clustering quality of `inspel analyze --themes none` on the
# shared short-text sets, next to scikit-learn's TfidfVectorizer + KMeans,
# with wall times and the speed ratio (see bench/quality.py).  Run by
# `make bench-quality` after the release build; extra arguments go to
# quality.py (e.g. set names, --seed N, --no-sklearn).
#
# Debian's python3 is used on purpose: it has python3-sklearn, a pyenv
# python3 earlier on PATH usually does not.
set -eu
cd "$(dirname "$0")/.."
INSPEL=${INSPEL:-build/inspel}
[ -x "$INSPEL" ] || { echo "quality.sh: $INSPEL missing; run make first" >&2; exit 1; }
exec /usr/bin/python3 bench/quality.py --inspel "$INSPEL" "$@"
