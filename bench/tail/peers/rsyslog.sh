#!/usr/bin/env bash
# rsyslog: imfile (from the file's beginning) -> omelasticsearch (bulk mode) -> the sink.
# Usage: peers/rsyslog.sh FILE SINK_PORT WORKDIR   (runs rsyslogd in the foreground)
set -euo pipefail
FILE=$1; PORT=$2; W=$3
HERE=$(cd "$(dirname "$0")" && pwd)
R=${PEERS_DIR:-$HERE/../../.peers}/rsyslog
mkdir -p "$W/work"
cat > "$W/rsyslog.conf" <<CONF
global(workDirectory="$W/work" maxMessageSize="64k")
module(load="imfile" mode="inotify")
module(load="omelasticsearch")
template(name="doc" type="list" option.jsonf="on") {
  property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="host" name="hostname" format="jsonf")
  property(outname="message" name="msg" format="jsonf")
}
ruleset(name="ship" queue.type="LinkedList" queue.size="100000" queue.dequeueBatchSize="4096") {
  action(type="omelasticsearch" server="127.0.0.1" serverport="$PORT" template="doc"
         searchIndex="bench" esVersion.major="8" bulkmode="on" maxbytes="5m"
         queue.type="LinkedList" queue.size="20000" queue.dequeueBatchSize="5000"
         queue.workerThreads="2" action.resumeRetryCount="-1" errorfile="$W/es-errors.json")
}
input(type="imfile" File="$FILE" Tag="nginx" ruleset="ship" freshStartTail="off" readMode="0")
CONF
MODS="$R/usr/lib/x86_64-linux-gnu/rsyslog"
exec "$R/usr/sbin/rsyslogd" -M "$MODS" -n -f "$W/rsyslog.conf" -i "$W/rsyslogd.pid"
