#!/bin/sh
# run.sh - `make bench`: every speed benchmark in one run, side by side.
#
#   1. bench/load.sh   answers/s through the real server on loopback (wrk),
#                      alone and with 2,000 event streams held open
#   2. bench/speed.sh  `inspel analyze` on 100,000 answers (time, peak RSS)
#                      and clustering alone on 5,000 answers
#   3. bench/themes.sh the live themes through the real server on 5,000
#                      answers: GET .../themes after a new answer without
#                      and with decisions, the presenter's `themes` event
#
# Clustering quality against scikit-learn is `make bench-quality`.
# Figures are printed, never asserted: the machine is shared and noisy.
set -eu
cd "$(dirname "$0")/.."
echo "### load: bench/load.sh"
INSPEL_BIN=${INSPEL_BIN:-build/inspel} sh bench/load.sh
echo
echo "### analysis speed: bench/speed.sh"
sh bench/speed.sh
echo
echo "### live themes: bench/themes.sh"
INSPEL_BIN=${INSPEL_BIN:-build/inspel} sh bench/themes.sh
