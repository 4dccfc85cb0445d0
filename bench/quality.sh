#!/bin/sh
# quality.sh - theme quality of `inspel analyze` on the shared short-text
# sets: unsupervised (--themes none, mean over seeds 1-5 with the spread)
# next to scikit-learn's TfidfVectorizer + KMeans, with wall times and the
# speed ratio; then guided from the class names alone (AGNews-8000,
# sv-argumentation-test) next to scikit-learn's dataless baseline, and the
# plan sentences (see bench/quality.py).  Run by `make bench-quality` after
# the release build; extra arguments go to quality.py (e.g. set names,
# --seed N, --seeds 1,2,3, --no-sklearn, --guided-only, --no-guided).
#
# Debian's python3 is used on purpose: it has python3-sklearn, a pyenv
# python3 earlier on PATH usually does not.
set -eu
cd "$(dirname "$0")/.."
INSPEL=${INSPEL:-build/inspel}
[ -x "$INSPEL" ] || { echo "quality.sh: $INSPEL missing; run make first" >&2; exit 1; }
exec /usr/bin/python3 bench/quality.py --inspel "$INSPEL" "$@"
