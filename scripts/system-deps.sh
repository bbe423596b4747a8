#!/usr/bin/env bash
# Installs the Debian packages syndic's tests use for real, when they are missing.
# Needs root (as on the development machines and CI); elsewhere it says what to install.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v newsboat >/dev/null 2>&1 || need+=(newsboat)  # a real feed reader for the Full-Text RSS tests
if ((${#need[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "system-deps: please install: ${need[*]} (sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# A real WordPress (Debian's package, the machine's MariaDB) for the campaign integration tests.
if [ "$(id -u)" = 0 ]; then
  sh tests/publish/wordpress_setup.sh
fi
