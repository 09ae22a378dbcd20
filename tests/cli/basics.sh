# lede --version, help, usage errors.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$LEDE" --version
expect_in "$TMP/out" "lede 0."
expect_in "$TMP/out" "Lua 5.4"
expect_status 0 "$LEDE" help
expect_in "$TMP/out" "inspect"
expect_in "$TMP/out" "Exit status"
for cmd in run inspect lua; do
  expect_status 0 "$LEDE" help $cmd
  expect_in "$TMP/out" "Usage: lede $cmd"
  expect_status 0 "$LEDE" $cmd --help
  expect_in "$TMP/out" "Usage: lede $cmd"
done
expect_status 2 "$LEDE" frobnicate
expect_in "$TMP/err" "unknown command 'frobnicate'"
expect_status 2 "$LEDE" help frobnicate
expect_status 2 "$LEDE" run
expect_in "$TMP/err" "missing SCRIPT"
expect_status 2 "$LEDE" run "$DATA/scripts/count.lua"
expect_in "$TMP/err" "missing INPUT"
expect_status 2 "$LEDE" run --bogus x y
expect_in "$TMP/err" "unknown option '--bogus'"
expect_status 2 "$LEDE" inspect
expect_status 2 "$LEDE"
finish
