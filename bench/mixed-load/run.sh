#!/usr/bin/env bash
# Measures fast-request latency while 10% of requests burn CPU, on Corral without and with a
# maxConcurrent lane for the slow route. Loopback only, bounded in time. Needs a built server
# (./dev mvn -q -pl server-image -am -DskipTests package).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/server-image/src/build/find-java25.sh"
corral_find_java25
server="$root/server-image/target/corral-server/bin/corral-server"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# The lane variant is the same bundle with a manifest capping /burn.
cp -r "$here/app" "$work/app-lane"
echo '{"budgets": {"/burn": {"maxConcurrent": 1}}}' > "$work/app-lane/corral.json"

for bundle in "$here/app" "$work/app-lane"; do
  "$server" --bundle "$bundle" --host 127.0.0.1 --admin-host 127.0.0.1 --port 8383 --admin-port 9393 --workers 2 \
    --temp-dir "$work/tmp" > "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf http://127.0.0.1:9393/readyz >/dev/null && break; sleep 0.5; done
  echo "== $(basename "$bundle")"
  "$CORRAL_JAVA_HOME/bin/java" "$here/MixedLoad.java" http://127.0.0.1:8383 16 20 0.1 15
  kill -TERM "$pid"; wait "$pid" || true
done
