#!/usr/bin/env bash
# Debian packages that tests drive for real:
#  - nginx + logrotate: tail mode's rotation test (test/tail-nginx.test.ts) runs a real nginx on
#    127.0.0.1 and rotates its log with the real logrotate (create and copytruncate).
set -euo pipefail
if command -v nginx >/dev/null && command -v logrotate >/dev/null; then exit 0; fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -q --no-install-recommends nginx logrotate >/dev/null
