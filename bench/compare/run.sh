#!/usr/bin/env bash
# The whole comparison in one command: Corral vs nginx, Granian (WSGI, ASGI), uvicorn (uvloop + httptools)
# and gunicorn (sync, gthread) on this machine, loopback only, bounded in time (about 40 minutes with the
# defaults). Installs wrk, nginx, perf and patchelf from Debian when missing and the Python peers from
# PyPI into a virtualenv under ~/.cache/corral (peers.py pins them), builds Corral's server if needed,
# then writes results/compare-*.{md,json}.
#   bench/compare/run.sh [--seconds 8] [--rounds 3] [--warmup 60] [--framework-warmup 180] [--scenarios flask-json-c100,...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/server-image/src/build/find-java25.sh"
corral_find_java25 || exit 78
if [ ! -x "$root/server-image/target/corral-server/bin/corral-server" ]; then
  echo "compare: building the Corral server"
  "$root/dev" mvn -q -pl server-image -am -DskipTests package
fi
exec python3 "$here/compare.py" --java "$CORRAL_JAVA_HOME/bin/java" "$@"
