#!/usr/bin/env bash
# Start-to-ready and the first seconds under load per framework app, Corral against gunicorn
# (measure.py says what and how). Installs wrk from Debian when missing; builds the server if needed.
#   bench/framework-start/run.sh [--apps flask,django52] [--seconds 20] [--connections 100] [--no-gunicorn]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! command -v wrk >/dev/null; then
  echo "framework-start: installing wrk from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if [ ! -x "$root/server-image/target/corral-server/bin/corral-server" ]; then
  echo "framework-start: building the Corral server"
  "$root/dev" mvn -q -pl server-image -am -DskipTests package
fi
exec python3 "$here/measure.py" "$@"
