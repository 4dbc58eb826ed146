#!/usr/bin/env bash
# Debian packages that tests drive for real.
#   nginx: test/modules-real-nginx.test.ts runs the real binary on 127.0.0.1 (no service started).
#   openssl: the Logstash TLS tests make a throwaway CA and certificates with the openssl CLI.
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
