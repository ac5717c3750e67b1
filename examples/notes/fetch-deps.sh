#!/usr/bin/env bash
# Fetches the bundle's pure-Python dependency (Bottle) into lib/, which is not committed. Bottle comes
# from Debian's python3-bottle package (this project's machines reach Debian, not PyPI): downloaded with
# apt-get and unpacked, never installed. Run again to refresh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download python3-bottle >/dev/null 2>&1) || {
  echo "fetch-deps: 'apt-get download python3-bottle' failed; run 'apt-get update' or check the network" >&2
  exit 69
}
dpkg-deb -x "$work"/python3-bottle_*.deb "$work/root"
mkdir -p "$here/lib"
cp "$work/root/usr/lib/python3/dist-packages/bottle.py" "$here/lib/bottle.py"
echo "fetch-deps: $(grep -m1 '^__version__' "$here/lib/bottle.py") -> $here/lib/bottle.py"
