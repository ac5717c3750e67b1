#!/usr/bin/env bash
# The server's memory under CLIENTS slow uploaders (default 1000), each announcing an 8 MiB body and
# trickling it at 80 KiB/s for SECONDS (default 20): RSS before and the peak during, with the bound on
# buffered bodies at its default (a quarter of the heap) and at 64 MiB. Loopback only, bounded in
# time. Needs a built server (./dev mvn -q -pl server-image -am -DskipTests package).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/server-image/src/build/find-java25.sh"
corral_find_java25
clients=${1:-1000}
seconds=${2:-20}
server="$root/server-image/target/corral-server/bin/corral-server"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/app"
cat > "$work/app/app.py" <<'PY'
def application(environ, start_response):
    n = len(environ['wsgi.input'].read())
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'%d\n' % n]
PY
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
for bound in auto 64m; do
  "$server" --bundle "$work/app" --host 127.0.0.1 --admin-host 127.0.0.1 --port 8484 --admin-port 9494 --workers 2 \
    --max-body-size 10m --max-buffered-bodies "$bound" --header-timeout 10s --temp-dir "$work/tmp" > "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:9494/readyz >/dev/null && break; sleep 0.5; done
  java_pid=$(pgrep -P "$pid" java || echo "$pid")
  before=$(rss "$java_pid")
  "$CORRAL_JAVA_HOME/bin/java" "$here/SlowUploads.java" 127.0.0.1 8484 "$clients" "$seconds" > "$work/clients.out" &
  load=$!
  peak=$before
  while kill -0 "$load" 2>/dev/null; do
    now=$(rss "$java_pid"); [ "$now" -gt "$peak" ] && peak=$now
    sleep 1
  done
  echo "max-buffered-bodies $bound: RSS before ${before} MiB, peak during ${peak} MiB; $(cat "$work/clients.out")"
  kill -TERM "$pid"; wait "$pid" || true
done
