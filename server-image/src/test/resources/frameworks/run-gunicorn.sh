#!/usr/bin/env bash
# Serves one framework app with gunicorn on CPython, as the parity reference:
#
#   run-gunicorn.sh DIR PORT [more gunicorn flags]
#
# DIR is an app directory whose lib/ is installed (see README.md). gunicorn runs in the foreground
# (two sync workers, each importing the app itself, as each of our server's interpreters does) with
# TMPDIR set to a fresh directory that is removed when gunicorn ends; SIGTERM or SIGINT stops it.
# No control socket: gunicorn 27 would put one at ~/.gunicorn/gunicorn.ctl, shared by every instance.
#
# The venv holding gunicorn is made on first use and reused: ~/.cache/corral/venv-gunicorn for the
# default interpreter (python3), ~/.cache/corral/venv-gunicorn-pyX.Y when PYTHON names another one.
# PYTHON=auto picks the lowest CPython >= 3.12 (nearest GraalPy's 3.12) on PATH or under ~/.pyenv/versions,
# for an app whose framework needs 3.12 (django/: Django 6), and exits 3 if there is none.
set -euo pipefail

GUNICORN_VERSION=27.0.1

if [ $# -lt 2 ]; then
  echo "usage: $0 DIR PORT [gunicorn flags...]" >&2
  exit 64
fi
dir=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)   # validated.py, shared by every app
port=$2
shift 2

find_python312() {
  # The lowest CPython >= 3.12: nearest to GraalPy 25's Python 3.12.
  local candidate best="" best_minor=99 minor
  for candidate in python3.12 python3.13 python3.14 \
      "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ]; then
      minor=$("$candidate" -c 'import sys; print(sys.version_info[1] if sys.version_info >= (3, 12) and sys.implementation.name == "cpython" else 99)' 2>/dev/null || echo 99)
      if [ "$minor" -lt "$best_minor" ]; then best=$candidate; best_minor=$minor; fi
    fi
  done
  [ -n "$best" ] && echo "$best"
}

python=${PYTHON:-python3}
if [ "$python" = auto ]; then
  python=$(find_python312) || { echo "run-gunicorn: no CPython >= 3.12 on PATH or in ~/.pyenv/versions" >&2; exit 3; }
fi
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ -z "${PYTHON:-}" ]; then
  venv="$HOME/.cache/corral/venv-gunicorn"
else
  venv="$HOME/.cache/corral/venv-gunicorn-py$version"
fi

mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9  # two of these starting at once make the venv once
if ! "$venv/bin/gunicorn" --version 2>/dev/null | grep -q "($GUNICORN_VERSION)\|version $GUNICORN_VERSION"; then
  echo "run-gunicorn: making $venv with gunicorn==$GUNICORN_VERSION on $("$python" -V 2>&1)" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "gunicorn==$GUNICORN_VERSION"
  # Only the bundle's lib/ may supply the app's imports: a venv's own setuptools would hide a
  # missing pkg_resources, say.
  "$venv/bin/python" -m pip uninstall --quiet --yes setuptools >/dev/null 2>&1 || true
fi
if [ "$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$version" ]; then
  echo "run-gunicorn: $venv is not Python $version; remove it" >&2
  exit 3
fi
flock -u 9
exec 9>&-
if [ ! -d "$dir/lib" ]; then
  echo "run-gunicorn: $dir/lib is missing; install it: $python -m pip install --target $dir/lib -r $dir/requirements.txt" >&2
  exit 66
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/corral-gunicorn.XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# Only what the app needs from the environment, as on our server (which passes TMPDIR and --env-pass).
env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 TMPDIR="$tmp" PYTHONDONTWRITEBYTECODE=1 \
  "$venv/bin/gunicorn" --chdir "$dir" --pythonpath "$dir/lib,$dir,$here" --workers 2 \
  --bind "127.0.0.1:$port" --timeout 60 --graceful-timeout 5 \
  --no-control-socket "$@" validated:application &
pid=$!
wait "$pid"
