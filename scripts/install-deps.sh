#!/bin/sh
# Installs what lede needs to build and test on Debian 12 (or newer) / Ubuntu 22.04+.
# Runs apt-get directly as root, through sudo otherwise.
set -eu
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
# clang and its compiler-rt (libFuzzer, sanitizer runtimes) build the fuzz targets the test
# suite runs (tests/fuzz/run_fuzzers.sh). Debian 12 ships compiler-rt as libclang-rt-14-dev,
# pulled in by the unversioned libclang-rt-dev; older releases (Ubuntu 22.04) have it inside
# libclang-common-NN-dev, which clang already depends on, and no libclang-rt-dev at all.
PACKAGES="build-essential cmake pkg-config liblua5.4-dev libxml2-dev libpcre2-dev libjansson-dev
libutf8proc-dev libarchive-dev libsqlite3-dev zlib1g-dev python3 clang"
export DEBIAN_FRONTEND=noninteractive
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=""
for p in $PACKAGES; do
  installed "$p" || missing="$missing $p"
done
rt_missing=""
installed libclang-rt-dev || ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
  ls /usr/lib/llvm-*/lib/clang/*/lib/*/libclang_rt.fuzzer*.a >/dev/null 2>&1 || rt_missing=1
if [ -n "$missing" ] || [ -n "$rt_missing" ]; then
  $SUDO apt-get update -qq
  if [ -n "$rt_missing" ] && apt-cache show libclang-rt-dev >/dev/null 2>&1; then
    missing="$missing libclang-rt-dev"
  fi
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
