#!/bin/sh
# Installs the Debian packages inspel needs to build, test, run and benchmark.
# Idempotent: asks dpkg first and only calls apt-get for what is missing, so a
# machine that already has everything is not touched (and needs no network).
# Usage: scripts/install-deps.sh [build|test|bench]   (default: build)
set -eu

want="build-essential pkg-config libmicrohttpd-dev libgnutls28-dev libsqlite3-dev \
libstemmer-dev libjansson-dev libqrencode-dev libunistring-dev libzip-dev libxlsxwriter-dev tzdata"
case "${1:-build}" in
  build) ;;
  test)  want="$want libcmocka-dev clang libclang-rt-14-dev libxml2-dev curl chromium sqlite3 libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils" ;;
  bench) want="$want libcmocka-dev clang wrk curl python3-sklearn python3-numpy hyperfine valgrind" ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
# Node.js may come from another repository that bundles npm (its nodejs then
# conflicts with Debian's npm), so ask for the commands, not the packages.
if [ "${1:-build}" = test ]; then
  command -v node >/dev/null 2>&1 || missing="$missing nodejs"
  command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "install-deps: missing packages:$missing (run as root to install them)" >&2
    exit 1
  fi
else SUDO=""; fi

echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
