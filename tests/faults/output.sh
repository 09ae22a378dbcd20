# Fault suite, output: a full disk (/dev/full, a file-size limit, a small tmpfs when mount is
# allowed), an unwritable output path, and SIGINT/SIGTERM mid-run. lede says what failed and
# exits 3 for an output it could not write; an interrupted run exits 130/143 and what it did
# write is whole, valid and equal to the same records of an uninterrupted run.
. "$(dirname "$0")/../cli/lib.sh"
MNT=""
cleanup() { [ -n "$MNT" ] && umount "$MNT" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
A=$DATA/articles
printf 'function on_article(a) emit{ title = a.title, pad = string.rep("p", 2000) } end\n' > "$TMP/w.lua"

# ---- full disk ----
expect_status 3 "$LEDE" run -j 2 "$TMP/w.lua" "$A" -o /dev/full
expect_in "$TMP/err" "writing /dev/full failed: write failed: No space left on device"
expect_in "$TMP/err" "lede run: 8 inputs"    # the summary is still printed
expect_status 3 "$LEDE" run -j 2 --format csv "$TMP/w.lua" "$A" -o /dev/full
expect_in "$TMP/err" "No space left on device"
# a file-size limit (ulimit -f, in KiB blocks): the write fails with EFBIG, not a silent kill
( ulimit -f 4; exec "$LEDE" run -j 2 "$TMP/w.lua" "$A" -o "$TMP/small.jsonl" ) >"$TMP/out" 2>"$TMP/err"
expect_eq "$?" 3 "exit status past ulimit -f (JSONL)"
expect_in "$TMP/err" "writing $TMP/small.jsonl failed: write failed: File too large"
pyjson 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/small.jsonl" && ok || fail "JSONL cut by a size limit has a broken line"
( ulimit -f 4; exec "$LEDE" run -j 2 "$TMP/w.lua" "$A" -o "$TMP/small.sqlite" ) >"$TMP/out" 2>"$TMP/err"
expect_eq "$?" 3 "exit status past ulimit -f (SQLite)"
expect_in "$TMP/err" "small.sqlite"
[ "$(wc -c < "$TMP/err")" -lt 400 ] && ok || fail "SQLite error message is not short: $(head -c 300 "$TMP/err")"
# a real full file system, when this machine lets us mount a small tmpfs (root, no container
# restriction); otherwise the two cases above stand for it
mkdir -p "$TMP/mnt"
if mount -t tmpfs -o size=16k tmpfs "$TMP/mnt" 2>/dev/null; then
  MNT=$TMP/mnt
  for fmt in jsonl csv sqlite; do
    expect_status 3 "$LEDE" run -j 2 "$TMP/w.lua" "$A" "$A" --keep-duplicates -o "$MNT/out.$fmt"
    expect_in "$TMP/err" "$MNT/out.$fmt"
    rm -f "$MNT"/out.*
  done
  umount "$MNT" && MNT=""
else
  echo "note: mount not permitted here; tmpfs case skipped" >&2
fi

# ---- unwritable output paths ----
expect_status 3 "$LEDE" run "$TMP/w.lua" "$A" -o "$TMP/no/such/dir/out.jsonl"
expect_in "$TMP/err" "cannot write $TMP/no/such/dir/out.jsonl: No such file or directory"
expect_status 3 "$LEDE" run "$TMP/w.lua" "$A" -o "$TMP/no/such/dir/out.sqlite"
expect_in "$TMP/err" "cannot write $TMP/no/such/dir/out.sqlite"
expect_status 3 "$LEDE" run "$TMP/w.lua" "$A" -o "$TMP"
expect_in "$TMP/err" "cannot write $TMP: Is a directory"
expect_status 3 "$LEDE" run "$TMP/w.lua" "$A" -o /proc/version
expect_in "$TMP/err" "/proc/version"
if [ "$(id -u)" != 0 ]; then # root writes through permissions; everyone else must not
  mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
  expect_status 3 "$LEDE" run "$TMP/w.lua" "$A" -o "$TMP/ro/out.jsonl"
  expect_in "$TMP/err" "Permission denied"
fi

# ---- SIGINT / SIGTERM mid-run: what was written is a correct part of the full run ----
mkdir -p "$TMP/many"
for i in $(seq 60); do for f in "$A"/*.html; do cp "$f" "$TMP/many/$i-$(basename "$f")"; done; done
cat > "$TMP/slow.lua" <<'LUA'
function on_article(a)
  local x = 0
  for i = 1, 1500000 do x = x + i % 3 end
  emit{ title = a.title, n = #a.text, x = x }
end
LUA
expect_status 0 "$LEDE" run -j 2 --keep-duplicates "$TMP/slow.lua" "$TMP/many" -o "$TMP/ref.jsonl"
interrupt() { # interrupt SIGNAL FORMAT: starts a run, signals it once output exists
  rm -f "$TMP/i.$2"
  "$LEDE" run -j 2 --keep-duplicates --ordered "$TMP/slow.lua" "$TMP/many" -o "$TMP/i.$2" 2>"$TMP/i.err" &
  local pid=$!
  for _ in $(seq 100); do [ -s "$TMP/i.$2" ] || [ -e "$TMP/i.$2" -a "$2" = csv ] && break; sleep 0.05; done
  sleep 0.5
  kill -"$1" $pid
  wait $pid
}
interrupt INT jsonl
expect_eq "$?" 130 "exit status after SIGINT"
expect_in "$TMP/i.err" "interrupted"
interrupt TERM csv
expect_eq "$?" 143 "exit status after SIGTERM"
expect_in "$TMP/i.err" "interrupted"
pyjson '
import csv, json, sys
ref = {}
for l in open(sys.argv[1]):
    r = json.loads(l); ref[(r["input"]["path"], r["input"]["member"])] = r
part = [json.loads(l) for l in open(sys.argv[2])]
assert 0 < len(part) < len(ref), (len(part), len(ref))
for r in part:
    assert r == ref[(r["input"]["path"], r["input"]["member"])], r
rows = list(csv.DictReader(open(sys.argv[3], newline="")))
assert 0 < len(rows) < len(ref), (len(rows), len(ref))
for row in rows:
    want = ref[(row["input_path"], row["input_member"] or None)]["data"]
    assert row["title"] == (want["title"] or "") and int(row["n"]) == want["n"], (row, want)
' "$TMP/ref.jsonl" "$TMP/i.jsonl" "$TMP/i.csv" && ok || fail "interrupted output is not a correct part of the full run"
finish
