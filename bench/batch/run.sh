#!/usr/bin/env bash
# Batch benchmark (issue 5): ratios measured in one sitting, medians of RUNS interleaved rounds.
#   bench/batch/run.sh                      # LEDE=build/lede, COPIES=49 (10,192 pages), RUNS=3
#   LEDE=build-batch/lede COPIES=10 RUNS=1 bench/batch/run.sh   # quick look
# Builds $WORK/pages.warc.gz (COPIES x ../shared/corpus/extraction/dev/*.html) and a 4x file
# (the same gzip members four times), never inside the repository.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LEDE=${LEDE:-$ROOT/build/lede}
PAGES=${PAGES:-$ROOT/../shared/corpus/extraction/dev}
COPIES=${COPIES:-49}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/lede-bench-batch}
SCRIPT=${SCRIPT:-$ROOT/scripts/examples/sanctions_mentions.lua}
mkdir -p "$WORK"
W1=$WORK/pages-x$COPIES.warc.gz
W4=$WORK/pages-x$COPIES-4x.warc.gz
[ -s "$W1" ] || python3 "$HERE/make_warc.py" "$PAGES" "$W1" "$COPIES"
[ -s "$W4" ] || cat "$W1" "$W1" "$W1" "$W1" > "$W4"
printf 'function on_article(a) end\n' > "$WORK/null.lua"

# measure NAME CMD...: appends "wall_s maxrss_kb" to $WORK/NAME.times
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/t.tmp" "$@" >/dev/null 2>"$WORK/$name.err"
  cat "$WORK/t.tmp" >> "$WORK/$name.times"
}
rm -f "$WORK"/*.times
for r in $(seq "$RUNS"); do
  measure inspect "$LEDE" inspect --json "$W1"
  measure null_j1 "$LEDE" run -j 1 --keep-duplicates "$WORK/null.lua" "$W1"
  measure script_j1 "$LEDE" run -j 1 --keep-duplicates "$SCRIPT" "$W1"
  measure script_j2 "$LEDE" run -j 2 --keep-duplicates "$SCRIPT" "$W1"
  measure script_j2_4x "$LEDE" run -j 2 --keep-duplicates "$SCRIPT" "$W4"
done
python3 - "$WORK" "$W1" <<'PY'
import statistics, sys, os
work, w1 = sys.argv[1], sys.argv[2]
def col(name, i):
    return statistics.median(float(l.split()[i]) for l in open(os.path.join(work, name + ".times")))
t = {n: col(n, 0) for n in ("inspect", "null_j1", "script_j1", "script_j2", "script_j2_4x")}
m = {n: col(n, 1) / 1024 for n in t}
summary = open(os.path.join(work, "script_j1.err")).read().strip().splitlines()[-1]
print("archive: %s (%.0f MB), %s" % (os.path.basename(w1), os.path.getsize(w1) / 1e6, summary))
print("median wall seconds: " + ", ".join("%s %.2f" % kv for kv in t.items()))
print("script -j1 / inspect --json          %.2fx  (target <= 1.3)" % (t["script_j1"] / t["inspect"]))
print("script -j1 / null script -j1         %.2fx" % (t["script_j1"] / t["null_j1"]))
print("throughput -j2 / -j1 (script)        %.2fx  (target >= 1.8)" % (t["script_j1"] / t["script_j2"]))
print("peak RSS -j2: 1x %.0f MB, 4x %.0f MB   (target < 200 MB, flat)" % (m["script_j2"], m["script_j2_4x"]))
PY
