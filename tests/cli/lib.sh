# Shared helpers for the end-to-end CLI tests (sourced, not run: CTest runs tests/cli/*.sh
# except this file, which only defines functions).
set -u
: "${LEDE:?LEDE must point at the built lede}"
: "${LEDE_TEST_DATA:?}"
DATA=$LEDE_TEST_DATA
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lede-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CHECKS=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
ok() { CHECKS=$((CHECKS + 1)); }

# expect_status WANT CMD...: runs CMD, stdout to $TMP/out, stderr to $TMP/err
expect_status() {
  local want=$1; shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    fail "exit $got, wanted $want: $*"; sed 's/^/  stderr: /' "$TMP/err" | head -20 >&2
  else ok; fi
}
expect_in() { # expect_in FILE TEXT
  if grep -qF -- "$2" "$1"; then ok; else fail "$1 lacks: $2"; head -c 600 "$1" | sed 's/^/  | /' >&2; fi
}
expect_not_in() {
  if grep -qF -- "$2" "$1"; then fail "$1 should not contain: $2"; else ok; fi
}
expect_eq() { # expect_eq GOT WANT WHAT
  if [ "$1" = "$2" ]; then ok; else fail "$3: got '$1', wanted '$2'"; fi
}
# jq-free JSON checks: python3 is on every Debian with the build deps
pyjson() { python3 -c "$1" "${@:2}"; }

finish() {
  echo "$CHECKS passed, $FAILS failed"
  [ "$FAILS" = 0 ]
}
