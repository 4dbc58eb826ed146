#!/usr/bin/env bash
# Debian packages that tests drive for real.
# - openssl: the Logstash TLS tests make a throwaway CA and certificates with the openssl CLI.
set -euo pipefail
if ! command -v openssl >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq openssl
fi
exit 0
