#!/usr/bin/env bash
# bench/lpattern: the sandbox's budgeted string.find/match/gmatch/gsub against lstrlib's, on
# typical patterns (bench_lpattern.c says how). Builds the bench against a configured build
# tree's liblede (RelWithDebInfo, the default, is what the figures are for) and runs it.
#   bench/lpattern/run.sh [BUILD_DIR] [ROUNDS] [NAME]   (only the workloads whose name has NAME)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${1:-$root/build}
ROUNDS=${2:-7}
ONLY=${3:-}
cmake --build "$BUILD" --target liblede >/dev/null
out=$BUILD/bench_lpattern
# liblede's dependencies, as its CMake target links them
deps="lua5.4 libxml-2.0 libpcre2-8 jansson libutf8proc libarchive sqlite3"
pkg-config --exists zlib && deps="$deps zlib"
# shellcheck disable=SC2046
${CC:-cc} -std=gnu11 -O2 -g -iquote "$root/host" -I "$root/include" "$here/bench_lpattern.c" \
  "$BUILD/liblede.a" $(pkg-config --cflags --libs $deps) -lpthread -lm -o "$out"
"$out" "$ROUNDS" "$ONLY"
