#!/usr/bin/env bash
# Installs the two native shippers tail mode is compared with, without touching the system's
# logging: rsyslog (+omelasticsearch) and syslog-ng (+elasticsearch-http) are Debian packages
# that conflict with each other (both provide system-log-daemon), so their .debs are fetched with
# `apt-get download` and unpacked with `dpkg-deb -x` into bench/.peers/{rsyslog,syslog-ng}.
# Only their shared-library dependencies are installed system-wide. No daemon is started.
# Idempotent: does nothing when both are already unpacked.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PEERS=${PEERS_DIR:-$HERE/../.peers}
mkdir -p "$PEERS/debs"
if [ -x "$PEERS/rsyslog/usr/sbin/rsyslogd" ] && [ -x "$PEERS/syslog-ng/usr/sbin/syslog-ng" ]; then exit 0; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends time \
  libestr0 libfastjson4 liblognorm5 libuuid1 libzstd1 zlib1g libsystemd0 libcurl4 \
  libcap2 libglib2.0-0 libivykis0 libjson-c5 libnet1 libpcre3 libssl3 libwrap0 >/dev/null
cd "$PEERS/debs"
rm -f ./*.deb
apt-get download rsyslog rsyslog-elasticsearch syslog-ng-core syslog-ng-mod-http syslog-ng-scl 2>&1 | grep -v 'Download is performed unsandboxed' || true
rm -rf "$PEERS/rsyslog" "$PEERS/syslog-ng"
for d in rsyslog*.deb; do dpkg-deb -x "$d" "$PEERS/rsyslog"; done
for d in syslog-ng*.deb; do dpkg-deb -x "$d" "$PEERS/syslog-ng"; done
echo "rsyslog:   $("$PEERS/rsyslog/usr/sbin/rsyslogd" -v | head -1)"
echo "syslog-ng: $(LD_LIBRARY_PATH="$PEERS/syslog-ng/usr/lib/syslog-ng" "$PEERS/syslog-ng/usr/sbin/syslog-ng" -V | head -1)"
