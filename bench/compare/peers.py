"""The peers, from PyPI at pinned versions, in a virtualenv this harness makes, each checked to run as
its documentation recommends: the speedups it is known for really loaded, the worker model asked for
really in use. A peer that silently fell back (uvicorn on asyncio and h11, Granian on the wrong
interface, gunicorn on another worker class) would make every ratio against it meaningless, so any
mismatch stops the run.
"""
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
FRAMEWORKS = os.path.join(ROOT, "server-image", "src", "test", "resources", "frameworks")

# Newest releases on PyPI on 2026-12-02. uvloop and httptools are uvicorn's "standard" speedups;
# Granian's ASGI workers use uvloop too when asked (--loop uvloop). The frameworks are the versions the
# parity tests pin (their requirements.txt), so the peers serve exactly the apps Corral is tested with.
SERVER_PINS = ["granian==2.8.9", "uvicorn==0.54.0", "uvloop==0.23.0", "httptools==0.9.0", "gunicorn==27.0.1"]
FRAMEWORK_APPS = ("flask", "django52")


def framework_pins():
    pins = []
    for app in FRAMEWORK_APPS:
        with open(os.path.join(FRAMEWORKS, app, "requirements.txt")) as f:
            pins += [line.strip() for line in f if line.strip() and not line.startswith("#")]
    return pins


def venv(python="python3"):
    """The peers' virtualenv, made on first use; its name carries a hash of the pins, so a changed pin
    makes a new one. Returns its bin/ directory."""
    pins = SERVER_PINS + framework_pins()
    version = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True,
                             text=True, check=True).stdout.strip()
    digest = hashlib.sha256(("\n".join(pins) + version).encode()).hexdigest()[:12]
    path = os.path.join(os.path.expanduser("~/.cache/corral"), "bench-peers-py%s-%s" % (version, digest))
    done = os.path.join(path, "installed.json")
    if not os.path.exists(done):
        print("compare: making the peers' virtualenv %s (Python %s): %s" % (path, version, " ".join(pins)), flush=True)
        subprocess.run([python, "-m", "venv", "--clear", path], check=True)
        subprocess.run([os.path.join(path, "bin", "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + pins,
                       check=True)
        with open(done, "w") as f:
            json.dump(pins, f)
    return os.path.join(path, "bin")


def installed_versions(bin_dir):
    out = subprocess.run([os.path.join(bin_dir, "python"), "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
                         capture_output=True, text=True, check=True).stdout
    return {p["name"].lower(): p["version"] for p in json.loads(out)}


def check_uvicorn_speedups(bin_dir):
    """uvicorn's own resolution of --loop uvloop --http httptools, in the venv: the classes it would use."""
    script = ("import uvicorn, uvloop, httptools\n"
              "async def app(scope, receive, send): pass\n"
              "c = uvicorn.Config(app, loop='uvloop', http='httptools')\n"
              "c.load()\n"
              "print(c.http_protocol_class.__name__, uvloop.__version__, httptools.__version__)\n")
    out = subprocess.run([os.path.join(bin_dir, "python"), "-c", script], capture_output=True, text=True)
    if out.returncode != 0 or "HttpToolsProtocol" not in out.stdout:
        raise SystemExit("compare: uvicorn's httptools protocol or uvloop does not load in %s:\n%s%s" % (bin_dir, out.stdout, out.stderr))


def check_running(server):
    """Asks a started peer what it runs on and compares with what was asked; raises on a mismatch.
    - every server names itself in the Server header (granian, uvicorn, gunicorn, nginx, and Corral's none);
    - ASGI apps answer /peer-info with their event loop's class, so uvloop is proven in the worker itself;
    - gunicorn's log names the worker class and each booted worker."""
    expect = server.expect or {}
    if not expect:
        return
    if "server" in expect:
        with urllib.request.urlopen(server.url(expect.get("path", "/")), timeout=5) as r:
            header = r.headers.get("Server", "")
        if expect["server"] not in header.lower():
            raise SystemExit("compare: %s answers with Server: %r, expected %s" % (server.name, header, expect["server"]))
    if "loop" in expect:
        with urllib.request.urlopen(server.url("/peer-info"), timeout=5) as r:
            info = json.loads(r.read())
        if expect["loop"] not in info.get("loop", ""):
            raise SystemExit("compare: %s runs its app on %s, expected %s" % (server.name, info, expect["loop"]))
    for pattern, count in expect.get("log", []):
        # A server answers once its first worker is up; the others are still booting.
        deadline = time.monotonic() + 30
        while True:
            with open(server.log_path) as f:
                found = len(re.findall(pattern, f.read()))
            if found >= count:
                break
            if time.monotonic() > deadline:
                raise SystemExit("compare: %s's log has %d of %r, expected %d; see %s" % (server.name, found, pattern, count, server.log_path))
            time.sleep(0.2)


if __name__ == "__main__":
    bin_dir = venv(sys.argv[1] if len(sys.argv) > 1 else "python3")
    check_uvicorn_speedups(bin_dir)
    print(json.dumps(installed_versions(bin_dir), indent=1))
