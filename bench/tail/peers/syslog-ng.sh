#!/usr/bin/env bash
# syslog-ng: file() source (from the beginning, no parsing) -> elasticsearch-http() -> the sink.
# Usage: peers/syslog-ng.sh FILE SINK_PORT WORKDIR   (runs syslog-ng in the foreground)
set -euo pipefail
FILE=$1; PORT=$2; W=$3
HERE=$(cd "$(dirname "$0")" && pwd)
S=${PEERS_DIR:-$HERE/../../.peers}/syslog-ng
mkdir -p "$W"
export LD_LIBRARY_PATH="$S/usr/lib/syslog-ng${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cat > "$W/syslog-ng.conf" <<CONF
@version: 3.38
@include "$S/usr/share/syslog-ng/include/scl/elasticsearch/elastic-http.conf"
options { threaded(yes); stats_freq(0); log_fifo_size(200000); keep_hostname(yes); chain_hostnames(no); };
source s_file {
  file("$FILE" flags(no-parse) follow_freq(1) log_fetch_limit(1000) log_iw_size(100000) log_msg_size(65536));
};
destination d_es {
  elasticsearch-http(
    url("http://127.0.0.1:$PORT/_bulk") index("bench") type("")
    workers(2) batch_lines(5000) batch_bytes(5MB) batch_timeout(1000) timeout(30)
    template("\$(format-json @timestamp=\${ISODATE} host=\${HOST} message=\${MESSAGE})")
  );
};
log { source(s_file); destination(d_es); flags(flow-control); };
CONF
exec "$S/usr/sbin/syslog-ng" -F --no-caps --module-path="$S/usr/lib/syslog-ng/3.38" \
  -f "$W/syslog-ng.conf" -R "$W/syslog-ng.persist" -p "$W/syslog-ng.pid" -c "$W/syslog-ng.ctl" --stderr
