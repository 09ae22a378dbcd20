#!/usr/bin/env bash
# bench/extract: pages/s of lede's parse+extract beside a bare libxml2 parse and readability-lxml
# on the same pages, interleaved rounds, medians, ratios.
#   bench/extract/run.sh [PAGES_DIR] [ROUNDS]
# PAGES_DIR defaults to ../shared/corpus/extraction/dev (208 real pages, 41 MB).
# Needs a built tree (cmake --build build --target bench_extract) and /usr/bin/python3 with
# python3-readability for the peer row.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PAGES=${1:-$ROOT/../shared/corpus/extraction/dev}
ROUNDS=${2:-5}
BUILD=${BUILD:-$ROOT/build}
cmake --build "$BUILD" --target bench_extract lede >/dev/null
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
ls "$PAGES"/*.html > "$W/list"
N=$(wc -l < "$W/list")
REPS=${REPS:-3}   # passes over the pages per timed run (amortises start-up)
run_row() {
  case $1 in
    parse|walk|lede) "$BUILD/bench_extract" "$1" "$W/list" "$REPS" | sed -n 's/.*pages_per_s=\([0-9.]*\).*/\1/p' ;;
    readability) /usr/bin/python3 "$ROOT/../shared/perf/py/readability_extract.py" --method readability "$PAGES" "$W/rd" \
                   | sed -n 's/.*pages_per_s=\([0-9.]*\).*/\1/p' ;;
  esac
}
rows="parse walk lede"
[ -f "$ROOT/../shared/perf/py/readability_extract.py" ] && /usr/bin/python3 -c 'import readability' 2>/dev/null && rows="$rows readability"
for r in $rows; do : > "$W/$r"; done
for ((i = 1; i <= ROUNDS; i++)); do
  for r in $rows; do run_row "$r" >> "$W/$r"; done
done
median() { sort -g "$1" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "pages: $N from $PAGES; $ROUNDS interleaved rounds, median pages/s (one core)"
for r in $rows; do printf '  %-12s %8.1f pages/s\n' "$r" "$(median "$W/$r")"; done
P=$(median "$W/parse"); L=$(median "$W/lede")
awk -v l="$L" -v p="$P" 'BEGIN { printf "lede parse+extract / bare libxml2 parse = %.2fx (target >= 0.75x)\n", l / p }'
if [ -s "$W/readability" ] && [ -n "$(cat "$W/readability")" ]; then
  R=$(median "$W/readability")
  awk -v l="$L" -v r="$R" 'BEGIN { printf "lede parse+extract / readability-lxml   = %.1fx (target >= 12x)\n", l / r }'
fi
