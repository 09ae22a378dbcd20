#!/usr/bin/env bash
# -j 2 vs -j 1 throughput (issue 5) on WARC.gz and on the same WARC uncompressed, interleaved
# rounds, medians; wall times from /usr/bin/time. On a shared VM single runs swing by ±20%, so
# use RUNS >= 5 and read the median of the per-round ratios.
#   LEDE=build/lede COPIES=10 RUNS=7 bench/batch/scaling.sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LEDE=${LEDE:-$ROOT/build/lede}
PAGES=${PAGES:-$ROOT/../shared/corpus/extraction/dev}
COPIES=${COPIES:-10}
RUNS=${RUNS:-7}
WORK=${WORK:-/tmp/lede-bench-batch}
SCRIPT=${SCRIPT:-$ROOT/scripts/examples/sanctions_mentions.lua}
mkdir -p "$WORK"
GZ=$WORK/pages-x$COPIES.warc.gz
[ -s "$GZ" ] || python3 "$HERE/make_warc.py" "$PAGES" "$GZ" "$COPIES"
[ -s "$WORK/pages-x$COPIES.warc" ] || zcat "$GZ" > "$WORK/pages-x$COPIES.warc"
rm -f "$WORK"/scaling.times
FILES=${FILES:-"$GZ $WORK/pages-x$COPIES.warc"}
for r in $(seq "$RUNS"); do
  # alternate the order, so a slow spell of the machine does not always hit the same row
  if [ $((r % 2)) = 1 ]; then order="1 2"; else order="2 1"; fi
  for f in $FILES; do
    for j in $order; do
      /usr/bin/time -f "$r ${f##*.} $j %e %U" -a -o "$WORK/scaling.times" \
        "$LEDE" run -q -j $j --keep-duplicates "$SCRIPT" "$f" >/dev/null 2>&1
    done
  done
done
python3 - "$WORK/scaling.times" <<'PY'
import collections, statistics, sys
t = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    r, kind, j, wall, user = line.split()
    t[kind, j][r] = float(wall)
for kind in sorted(set(k for k, _ in t)):
    j1, j2 = t[kind, "1"], t[kind, "2"]
    ratios = [j1[r] / j2[r] for r in j1 if r in j2]
    print("%-5s -j1 median %.2f s, -j2 median %.2f s: ratio of medians %.2fx, median of round ratios %.2fx"
          " (rounds: %s)" % (kind, statistics.median(j1.values()), statistics.median(j2.values()),
                             statistics.median(j1.values()) / statistics.median(j2.values()),
                             statistics.median(ratios), " ".join("%.2f" % x for x in ratios)))
PY
