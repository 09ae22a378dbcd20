#!/bin/sh
# Installs what lede needs to build and test on Debian 12 (or newer) / Ubuntu 22.04+.
# Runs apt-get directly as root, through sudo otherwise.
set -eu
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
PACKAGES="build-essential cmake pkg-config liblua5.4-dev libxml2-dev libpcre2-dev libjansson-dev
libutf8proc-dev libarchive-dev libsqlite3-dev python3"
export DEBIAN_FRONTEND=noninteractive
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
