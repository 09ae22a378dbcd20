#!/bin/bash
# The fuzz smoke run CTest's `fuzz/run_fuzzers` does on every `cmake --workflow --preset test`:
# builds the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang in their own tree, replays every
# saved crash under tests/fuzz/regressions/<target>/, then fuzzes each target for a short while
# from its seed corpus and dictionary. Any crash, leak, timeout or out-of-memory fails the run.
#
# Environment (all optional):
#   LEDE_FUZZ_SECONDS  seconds per target (default 30)
#   LEDE_FUZZ_TARGETS  space-separated subset, e.g. "fuzz_html fuzz_re" (default: all)
#   LEDE_FUZZ_JOBS     targets fuzzed at once, and build jobs (default 2)
#   LEDE_FUZZ_TIMEOUT  seconds one input may take before it counts as a hang (default 20)
#   LEDE_FUZZ_BUILD    the clang build tree (default <source>/build-fuzz; CTest: build-test/fuzz)
#   LEDE_FUZZ_CC       the compiler (default clang)
# Exit: 0 all clean, 1 a finding or a build failure, 77 skipped (no clang/libFuzzer here).
set -u
SRC=${LEDE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${LEDE_FUZZ_BUILD:-$SRC/build-fuzz}
SECS=${LEDE_FUZZ_SECONDS:-30}
JOBS=${LEDE_FUZZ_JOBS:-2}
TIMEOUT=${LEDE_FUZZ_TIMEOUT:-20}
CC=${LEDE_FUZZ_CC:-clang}
CMAKE=${LEDE_CMAKE:-cmake}
FUZZ=$SRC/tests/fuzz
WORK=$BUILD/run

skip() {
    echo "SKIPPED: $*"
    exit 77
}

# ---- is libFuzzer here? (clang alone is not enough: the runtime is libclang-rt-*-dev) ------
command -v "$CC" >/dev/null 2>&1 || skip "$CC not found; the fuzz targets need clang and its libFuzzer runtime (scripts/install-deps.sh installs them: apt-get install clang libclang-rt-dev)"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! "$CC" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>"$probe/err"; then
    sed -n 1,5p "$probe/err"
    skip "$CC cannot link -fsanitize=fuzzer (the libFuzzer runtime is missing: apt-get install libclang-rt-dev, or libclang-rt-NN-dev for clang NN)"
fi

# ---- build -----------------------------------------------------------------------------------
echo "== building the fuzz targets with $CC in $BUILD"
if ! "$CMAKE" -S "$SRC" -B "$BUILD" -DCMAKE_C_COMPILER="$CC" -DLEDE_FUZZ=ON -DBUILD_TESTING=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$probe/configure.log" 2>&1; then
    cat "$probe/configure.log"
    echo "FAIL: configuring the fuzz build"
    exit 1
fi
if ! "$CMAKE" --build "$BUILD" --target fuzz -j "$JOBS" >"$probe/build.log" 2>&1; then
    grep -E 'error|Error' "$probe/build.log" | head -30
    echo "FAIL: building the fuzz targets"
    exit 1
fi

targets=()
for src in "$FUZZ"/fuzz_*.c; do
    t=$(basename "$src" .c)
    if [ -n "${LEDE_FUZZ_TARGETS:-}" ] && ! [[ " $LEDE_FUZZ_TARGETS " == *" $t "* ]]; then continue; fi
    targets+=("$t")
done
[ ${#targets[@]} -gt 0 ] || { echo "FAIL: no fuzz target matches LEDE_FUZZ_TARGETS='${LEDE_FUZZ_TARGETS:-}'"; exit 1; }

# The same sanitizer settings as the test preset, set here so a run outside CTest behaves alike.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

dict_of() { # the dictionary for a target: tests/fuzz/dict/<format>.dict
    case $1 in
    fuzz_re | fuzz_reset) echo "$FUZZ/dict/regex.dict" ;;
    fuzz_dompath) echo "$FUZZ/dict/html.dict" ;;
    *) echo "$FUZZ/dict/${1#fuzz_}.dict" ;;
    esac
}

flags() { # libFuzzer flags common to replay and fuzzing
    local t=$1
    echo "-timeout=$TIMEOUT -rss_limit_mb=2048 -artifact_prefix=$WORK/artifacts/$t/"
}

# ---- 1. every saved crash must stay fixed ------------------------------------------------------
fail=0
for t in "${targets[@]}"; do
    mkdir -p "$WORK/artifacts/$t"
    inputs=("$FUZZ/regressions/$t"/*)
    [ -e "${inputs[0]}" ] || continue
    # shellcheck disable=SC2046
    if "$BUILD/tests/fuzz/$t" $(flags "$t") "${inputs[@]}" >"$WORK/$t.regressions.log" 2>&1; then
        echo "ok   $t: ${#inputs[@]} regression input(s)"
    else
        echo "FAIL $t: a saved regression input fails again"
        grep -E 'Running:|ERROR|SUMMARY|invariant|disagree|#[0-9]+ 0x[0-9a-f]+ in [a-z_]' "$WORK/$t.regressions.log" | head -40
        fail=1
    fi
done

# ---- 2. fuzz each target for SECS seconds, JOBS at a time --------------------------------------
fuzz_one() {
    local t=$1 corpus=$WORK/corpus/$1 dict args=()
    dict=$(dict_of "$t")
    [ -f "$dict" ] && args+=("-dict=$dict")
    mkdir -p "$corpus"
    # new units go to the first folder (kept in the build tree between runs), seeds are read-only
    # shellcheck disable=SC2046
    "$BUILD/tests/fuzz/$t" $(flags "$t") -max_total_time="$SECS" -print_final_stats=1 "${args[@]}" \
        "$corpus" "$FUZZ/corpus/$t" >"$WORK/$t.log" 2>&1
    echo $? >"$WORK/$t.rc"
}

echo "== fuzzing ${#targets[@]} targets for ${SECS}s each, $JOBS at a time"
running=0
for t in "${targets[@]}"; do
    rm -f "$WORK/$t.rc"
    fuzz_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

for t in "${targets[@]}"; do
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t.log")
    rc=$(cat "$WORK/$t.rc" 2>/dev/null || echo "?")
    if [ "$rc" = 0 ]; then
        printf 'ok   %-14s %8s execs in %ss\n' "$t" "${execs:-?}" "$SECS"
    else
        fail=1
        printf 'FAIL %-14s exit %s after %s execs\n' "$t" "$rc" "${execs:-?}"
        sed -n '/^==[0-9]*==\|^fuzz invariant\|^set scan\|^INFO: libFuzzer: timeout\|out-of-memory/,$p' "$WORK/$t.log" | head -60
        art=$(ls -t "$WORK/artifacts/$t"/* 2>/dev/null | head -1)
        if [ -n "$art" ]; then
            echo "     input: $art"
            echo "     reproduce: $BUILD/tests/fuzz/$t $art"
            echo "     once fixed, keep it: cp $art $FUZZ/regressions/$t/<what-it-broke>"
        fi
    fi
done
exit $fail
