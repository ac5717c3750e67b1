#!/usr/bin/env python3
"""Corral against the servers Python users pick today, each configured as its documentation recommends,
on this machine, in one run.

Peers (peers.py: PyPI, pinned, in a virtualenv made here; each checked to run with its speedups):
nginx; Granian (WSGI and ASGI); uvicorn with uvloop and httptools (ASGI); gunicorn sync and gthread,
workers (2 x cores + 1) and threads (2-4 x cores) as its docs advise. Scenarios: hello (c100, c400);
the Flask and Django apps of the framework tests (a templated page and a JSON route) on every WSGI peer;
a 16 KiB static file; the mixed load (10% CPU-heavy requests).

Starts every server on 127.0.0.1, warms each up (runs discarded), then measures with wrk in rounds, the
servers interleaved within each round, and reports medians and per-round ratios, pair by pair
(absolute numbers move between runs on a shared machine), and each target of the benchmarks issue met
or missed. Also: CPU time and syscalls per request (perf stat on the server's processes, in a separate
run so tracing does not slow the throughput runs), peak RSS, RSS after the load has stopped (idle),
start-to-ready. Corral servers run as in their pod: the image's JAVA_OPTS inside a memory cgroup
(1 GiB by default; the JVM sizes its heap and picks its collector from the limit).
Writes results/compare-<time>.json and .md. Loopback only; every run is bounded in time.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import peers

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
APPS = os.path.join(HERE, "apps")
CORRAL = os.path.join(ROOT, "server-image", "target", "corral-server", "bin", "corral-server")
BUNDLE_TOOL = os.path.join(ROOT, "server-image", "src", "main", "dist", "bin", "corral-bundle")
HELLO = b"Hello from Corral!\n"
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree(root):
    """The pid and all its descendants, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total


def rss_kib(pids, field="VmRSS"):
    """Resident memory of the processes now (VmRSS) or at their peak (VmHWM)."""
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith(field + ":"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


class MemoryCgroup:
    """A memory-limited cgroup (v1 or v2) for one server, as a pod's limit; None where cgroups are not writable."""

    @staticmethod
    def create(name, limit_mib):
        v1 = "/sys/fs/cgroup/memory"
        try:
            if os.path.isdir(v1):
                path = os.path.join(v1, name)
                os.makedirs(path, exist_ok=True)
                with open(os.path.join(path, "memory.limit_in_bytes"), "w") as f:
                    f.write(str(limit_mib << 20))
                return MemoryCgroup(path, "tasks")
            if os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
                path = os.path.join("/sys/fs/cgroup", name)
                os.makedirs(path, exist_ok=True)
                with open(os.path.join(path, "memory.max"), "w") as f:
                    f.write(str(limit_mib << 20))
                return MemoryCgroup(path, "cgroup.procs")
        except OSError as e:
            print("warning: cannot create a memory cgroup for %s (%s): it runs without a memory limit" % (name, e), flush=True)
        return None

    def __init__(self, path, procs_file):
        self.path, self.procs_file = path, procs_file

    def enter(self):
        """Moves the calling process in; run in the child before exec."""
        with open(os.path.join(self.path, self.procs_file), "w") as f:
            f.write(str(os.getpid()))

    def remove(self):
        try:
            os.rmdir(self.path)
        except OSError:
            pass


class Server:
    def __init__(self, name, cmd, port, cwd=None, env=None, ready_url=None, memory_mib=0, expect=None):
        self.name, self.cmd, self.port, self.cwd, self.memory_mib = name, cmd, port, cwd, memory_mib
        self.expect = expect  # what peers.check_running verifies once the server is ready
        self.log_path = None
        self.cgroup = None
        self.env = dict(os.environ, **(env or {}))
        self.ready_url = ready_url or "http://127.0.0.1:%d/" % port
        self.proc = None
        self.start_to_ready = None

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def start(self, log_dir, timeout=300):
        self.log_path = os.path.join(log_dir, self.name + ".log")
        log = open(self.log_path, "a")
        if self.memory_mib:
            self.cgroup = MemoryCgroup.create("corral-compare-" + self.name, self.memory_mib)
        began = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True, preexec_fn=self.cgroup.enter if self.cgroup else None)
        ready = None
        while ready is None and time.monotonic() - began < timeout:
            if self.proc.poll() is not None:
                raise SystemExit("%s exited with %s before ready; see %s" % (self.name, self.proc.returncode, log.name))
            try:
                with urllib.request.urlopen(self.ready_url, timeout=2) as r:
                    if r.status == 200:
                        ready = time.monotonic() - began
            except OSError:
                time.sleep(0.05)
        if ready is not None:
            self.start_to_ready = ready
            peers.check_running(self)
            return
        raise SystemExit("%s not ready within %d s" % (self.name, timeout))

    def pids(self):
        return process_tree(self.proc.pid)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(20)
        if self.cgroup:
            self.cgroup.remove()


def wrk(url, conns, seconds, script=None):
    cmd = ["wrk", "-t2", "-c%d" % conns, "-d%ds" % seconds, "--latency", "--timeout", "5s", url]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    out = run.stdout
    if "requests in" not in out:
        # No report: the server went away (an OOM kill shows in dmesg) or wrk could not connect at all.
        raise SystemExit("compare: wrk on %s reported nothing (exit %d): %s%s" % (url, run.returncode, out, run.stderr))

    def latency(pct):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % pct, out, re.M)
        if not m:
            return None
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50_ms": latency(50),
            "p99_ms": latency(99), "requests": requests, "socket_errors": errors, "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "errors": errors + (int(non2xx.group(1)) if non2xx else 0)}


def warm(server, url, conns, minimum, limit=300):
    """Discarded load until the server's JIT has settled: at least `minimum` seconds, then 5 s runs until two
    in a row agree within 5% (GraalPy's compiler runs on the JVM and can take over a minute on two cores;
    a fixed 20-30 s left some rounds at a third of the settled speed). Then waits for background
    compilation to finish, so it does not steal CPU from the next server measured."""
    began, previous = time.monotonic(), None
    while True:
        rps = wrk(url, conns, 5)["rps"]
        elapsed = time.monotonic() - began
        if elapsed >= limit or (elapsed >= minimum and previous and abs(rps / previous - 1) <= 0.05):
            break
        previous = rps
    for _ in range(60):
        before = cpu_ticks(server.pids())
        time.sleep(1)
        if cpu_ticks(server.pids()) - before <= TICKS * 0.05:
            break
    return time.monotonic() - began


def measured(server, url, conns, seconds):
    """A wrk run, with the server's CPU time per request over it."""
    pids = server.pids()
    before = cpu_ticks(pids)
    result = wrk(url, conns, seconds)
    used = cpu_ticks(server.pids()) - before
    result["cpu_us_per_request"] = used / TICKS * 1e6 / max(result["requests"], 1)
    return result


def syscalls_per_request(server, url, conns, seconds):
    """System calls the server's processes make per request (perf's raw_syscalls tracepoint), in its own run."""
    pids = ",".join(str(p) for p in server.pids())
    perf = subprocess.Popen(["perf", "stat", "-x,", "-e", "raw_syscalls:sys_enter", "-p", pids, "--", "sleep", str(seconds + 1)],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    time.sleep(0.5)
    result = wrk(url, conns, seconds)
    _, err = perf.communicate(timeout=seconds + 30)
    m = re.search(r"^(\d+),,raw_syscalls:sys_enter", err, re.M)
    return int(m.group(1)) / max(result["requests"], 1) if m else None


def mixed(server, seconds, java):
    """The mixed scenario: 16 clients, 10% of requests to /burn; the fast requests' p99."""
    out = subprocess.run([java, os.path.join(ROOT, "bench", "mixed-load", "MixedLoad.java"), server.url(""), "16", str(seconds), "0.1", "10"],
                         capture_output=True, text=True, timeout=seconds + 120).stdout
    m = re.search(r"fast: n=(\d+) p50=([\d.]+) ms p90=([\d.]+) ms p99=([\d.]+) ms", out)
    errors = re.search(r"errors: (\d+)", out)
    return {"fast_n": int(m.group(1)), "fast_p50_ms": float(m.group(2)), "fast_p99_ms": float(m.group(4)),
            "errors": int(errors.group(1))} if m else {"raw": out}


def ensure_tools():
    """Debian's tools: the load generator, nginx, perf, and patchelf (Corral's native stdlib modules, which
    the Django app's SQLite needs)."""
    wanted = {"wrk": "wrk", "nginx": "nginx", "perf": "linux-perf", "patchelf": "patchelf"}
    missing = [pkg for tool, pkg in wanted.items() if shutil.which(tool) is None and not os.path.exists("/usr/sbin/" + tool)]
    if missing:
        print("compare: installing from Debian: " + " ".join(missing), flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq"] + missing, check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


# The framework apps' measured paths: a page rendered from a template, and a JSON route.
FRAMEWORK_PATHS = {"page": "/hello/bench?greeting=Hi", "json": "/items/42?fields=name&fields=size"}


def framework_bundle(work, app):
    """The parity app as a Corral bundle: its own code, the framework vendored by corral-bundle (pure-Python
    wheels, as GraalPy needs), served directly (not through wsgiref.validate, which the tests add)."""
    target = os.path.join(work, "corral-" + app)
    shutil.copytree(os.path.join(peers.FRAMEWORKS, app), target, ignore=shutil.ignore_patterns("lib", "__pycache__"))
    manifest_path = os.path.join(target, "corral.json")
    with open(manifest_path) as f:
        manifest = json.load(f)
    manifest["entrypoint"] = "app:application"
    with open(manifest_path, "w") as f:
        json.dump(manifest, f)
    warmup = []
    for path in FRAMEWORK_PATHS.values():
        warmup += ["--warmup", path]
    subprocess.run([sys.executable, BUNDLE_TOOL, target] + warmup, check=True, capture_output=True)
    return target


def build_servers(work, corral_memory_mib, bin_dir, granian_blocking_threads, wanted):
    os.chmod(work, 0o755)  # nginx's workers run as nobody and must read the static file
    static = os.path.join(work, "static")
    os.makedirs(static)
    with open(os.path.join(static, "file.bin"), "wb") as f:
        f.write(os.urandom(16 * 1024))
    os.chmod(os.path.join(static, "file.bin"), 0o644)
    hello_bundle = os.path.join(work, "corral-hello")
    os.makedirs(hello_bundle)
    shutil.copy(os.path.join(APPS, "wsgi_hello.py"), os.path.join(hello_bundle, "app.py"))
    shutil.copytree(static, os.path.join(hello_bundle, "static"))
    mixed_app = os.path.join(ROOT, "bench", "mixed-load", "app")
    # Only the apps a chosen scenario serves: bundling one runs pip.
    app_dirs = {app: os.path.join(peers.FRAMEWORKS, app) for app in peers.FRAMEWORK_APPS if "corral-" + app in wanted}
    cores = os.cpu_count()
    peer_env = {"PATH": bin_dir + os.pathsep + os.environ["PATH"]}

    def corral(name, bundle, transport="epoll"):
        port, admin = free_port(), free_port()
        # The container image's JAVA_OPTS (server-image/Dockerfile), so the heap is sized as in a pod.
        return Server(name, [CORRAL, "--bundle", bundle, "--host", "127.0.0.1", "--port", str(port), "--admin-host", "127.0.0.1",
                             "--admin-port", str(admin), "--temp-dir", os.path.join(work, name + "-tmp"), "--transport", transport], port,
                      env={"JAVA_OPTS": "-XX:MaxRAMPercentage=60"}, ready_url="http://127.0.0.1:%d/readyz" % admin,
                      memory_mib=corral_memory_mib, expect={"log": [(r"network: native %s transport" % transport, 1)]})

    def gunicorn(name, module, kind, cwd=APPS, ready_path="/"):
        # gunicorn's docs: (2 x cores) + 1 workers; threads "generally in the 2-4 x $(NUM_CORES) range".
        port, workers = free_port(), 2 * cores + 1
        extra = ["--threads", str(2 * cores)] if kind == "gthread" else []
        return Server(name, [os.path.join(bin_dir, "gunicorn"), "-w", str(workers), "-k", kind] + extra +
                      ["-b", "127.0.0.1:%d" % port, "--log-level", "info", "--no-control-socket", module], port, cwd=cwd,
                      env=peer_env, ready_url="http://127.0.0.1:%d%s" % (port, ready_path),
                      expect={"path": ready_path, "server": "gunicorn",
                              "log": [(r"Using worker: %s\b" % kind, 1), (r"Booting worker with pid", workers)]})

    def granian(name, module, interface, cwd=APPS, ready_path="/", extra=()):
        # Granian's README: workers matching the cores; its own benchmarks add --no-ws --http 1 --backlog 2048.
        port = free_port()
        flags = ["--interface", interface, "--workers", str(cores), "--host", "127.0.0.1", "--port", str(port), "--http", "1",
                 "--no-ws", "--backlog", "2048", "--log-level", "warning"]
        expect = {"path": ready_path, "server": "granian"}
        if interface == "asgi":
            flags += ["--loop", "uvloop"]
            expect["loop"] = "uvloop"
        elif granian_blocking_threads:
            flags += ["--blocking-threads", str(granian_blocking_threads)]
        return Server(name, [os.path.join(bin_dir, "granian")] + flags + list(extra) + [module], port, cwd=cwd, env=peer_env,
                      ready_url="http://127.0.0.1:%d%s" % (port, ready_path), expect=expect)

    nginx_port = free_port()
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""worker_processes %(c)d; daemon off; pid %(w)s/nginx.pid; error_log %(w)s/nginx-error.log warn;
events { worker_connections 4096; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000; default_type application/octet-stream;
  server { listen 127.0.0.1:%(p)d;
    location = / { default_type "text/plain; charset=utf-8"; return 200 "Hello from Corral!\\n"; }
    location /static/ { alias %(w)s/static/; } } }
""" % {"w": work, "p": nginx_port, "c": cores})
    uvicorn_port = free_port()
    servers = {
        "nginx": Server("nginx", ["nginx", "-c", conf, "-p", work], nginx_port, expect={"server": "nginx"}),
        "corral": corral("corral", hello_bundle),
        "corral-io_uring": corral("corral-io_uring", hello_bundle, transport="io_uring"),
        "granian-wsgi": granian("granian-wsgi", "wsgi_hello:application", "wsgi",
                                extra=["--static-path-route", "/static", "--static-path-mount", static]),
        "granian-asgi": granian("granian-asgi", "asgi_hello:app", "asgi"),
        "uvicorn-asgi": Server("uvicorn-asgi", [os.path.join(bin_dir, "uvicorn"), "asgi_hello:app", "--workers", str(cores), "--loop",
                                                "uvloop", "--http", "httptools", "--host", "127.0.0.1", "--port", str(uvicorn_port),
                                                "--log-level", "warning", "--no-access-log"], uvicorn_port, cwd=APPS, env=peer_env,
                               expect={"server": "uvicorn", "loop": "uvloop"}),
        "gunicorn-sync": gunicorn("gunicorn-sync", "wsgi_hello:application", "sync"),
        "gunicorn-gthread": gunicorn("gunicorn-gthread", "wsgi_hello:application", "gthread"),
        "corral-mixed": corral("corral-mixed", mixed_app),
        "granian-mixed": granian("granian-mixed", "app:application", "wsgi", cwd=mixed_app),
        "gunicorn-sync-mixed": gunicorn("gunicorn-sync-mixed", "app:application", "sync", cwd=mixed_app),
        "gunicorn-gthread-mixed": gunicorn("gunicorn-gthread-mixed", "app:application", "gthread", cwd=mixed_app),
    }
    for app, app_dir in app_dirs.items():
        page = FRAMEWORK_PATHS["page"]
        servers["corral-" + app] = corral("corral-" + app, framework_bundle(work, app))
        servers["granian-" + app] = granian("granian-" + app, "app:application", "wsgi", cwd=app_dir, ready_path=page)
        servers["gunicorn-sync-" + app] = gunicorn("gunicorn-sync-" + app, "app:application", "sync", cwd=app_dir, ready_path=page)
        servers["gunicorn-gthread-" + app] = gunicorn("gunicorn-gthread-" + app, "app:application", "gthread", cwd=app_dir,
                                                      ready_path=page)
    return servers


HELLO_SERVERS = ["corral", "corral-io_uring", "nginx", "granian-wsgi", "granian-asgi", "uvicorn-asgi", "gunicorn-sync", "gunicorn-gthread"]
MIXED_SERVERS = ["corral-mixed", "granian-mixed", "gunicorn-sync-mixed", "gunicorn-gthread-mixed"]


def framework_scenarios():
    out = []
    for app in peers.FRAMEWORK_APPS:
        for kind, path in FRAMEWORK_PATHS.items():
            out.append(("%s-%s-c100" % (app, kind), path, 100,
                        ["corral-" + app, "granian-" + app, "gunicorn-sync-" + app, "gunicorn-gthread-" + app]))
    return out


FRAMEWORK_SCENARIOS = {s[0] for s in framework_scenarios()}

# (scenario, path, connections, servers); Corral first in each list.
SCENARIOS = [
    ("hello-c100", "/", 100, HELLO_SERVERS),
    ("hello-c400", "/", 400, HELLO_SERVERS),
] + framework_scenarios() + [
    ("static-16k-c100", "/static/file.bin", 100, ["corral", "corral-io_uring", "nginx", "granian-wsgi"]),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8, help="length of each measured wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; servers are interleaved within each")
    parser.add_argument("--warmup", type=int, default=60,
                        help="least seconds of discarded load for each Corral server before measuring; load goes on until"
                             " throughput is steady (the JIT's warm-up); peers get 5 s")
    parser.add_argument("--framework-warmup", type=int, default=180,
                        help="the same for the framework apps, on each app's first scenario: a framework keeps a queue of"
                             " Truffle compilations for minutes on two cores, and climbs slowly enough to pass the steadiness"
                             " test at half its speed (session 6, Bottle: 13.9k, 15.8k, 25.6k req/s in three rounds after 72 s;"
                             " 27.3k-28.4k after 192 s)")
    parser.add_argument("--granian-blocking-threads", type=int, default=0,
                        help="Granian WSGI's --blocking-threads (0: Granian's default, backpressure / 2)")
    parser.add_argument("--python", default="python3", help="the CPython the peers' virtualenv is made with")
    parser.add_argument("--scenarios", default="", help="comma-separated scenario names to run (default: all), e.g. hello-c100")
    parser.add_argument("--no-mixed", action="store_true", help="skip the mixed scenario")
    parser.add_argument("--corral-memory", type=int, default=2048,
                        help="memory limit in MiB of each Corral server's cgroup, as its pod's (0 = none); at 1024 the"
                             " kernel OOM-killed Corral's Django server in its warm-up (session 13: peak RSS 1.2 GiB)")
    parser.add_argument("--idle", type=int, default=45,
                        help="seconds without load, after the last measurement, before idle RSS is read")
    parser.add_argument("--java", default=os.environ.get("CORRAL_JAVA", "java"), help="a JDK 25 java, for the mixed-load client")
    args = parser.parse_args()
    # The servers run in their own sessions: on SIGTERM/SIGINT, unwind so that `finally` stops every one of them.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda number, frame: sys.exit(128 + number))
    if not os.path.exists(CORRAL):
        raise SystemExit("no Corral build at %s: run ./dev mvn -q -pl server-image -am -DskipTests package" % CORRAL)
    ensure_tools()
    bin_dir = peers.venv(args.python)
    peers.check_uvicorn_speedups(bin_dir)
    global SCENARIOS
    if args.scenarios:
        SCENARIOS = [s for s in SCENARIOS if s[0] in args.scenarios.split(",")]
    work = tempfile.mkdtemp(prefix="corral-compare-")
    used = {n for s in SCENARIOS for n in s[3]} | (set() if args.no_mixed else set(MIXED_SERVERS))
    servers = build_servers(work, args.corral_memory, bin_dir, args.granian_blocking_threads, used)
    servers = {k: v for k, v in servers.items() if k in used}
    results = {"machine": {"cpus": os.cpu_count(), "kernel": os.uname().release}, "method": vars(args),
               "peers": peers.installed_versions(bin_dir), "commands": {n: s.cmd for n, s in servers.items()},
               "servers": {}, "scenarios": {}}
    try:
        # Start-up alone: each server started and stopped with nothing else running, since a Corral
        # server keeps compiling for a while after ready and would slow the next one's start.
        for server in servers.values():
            server.start(work)
            print("%-24s ready in %5.2f s" % (server.name, server.start_to_ready), flush=True)
            results["servers"][server.name] = {"start_to_ready_s": round(server.start_to_ready, 2)}
            server.stop()
        for server in servers.values():
            server.start(work)
        warmed = set()
        for name, path, conns, names in SCENARIOS:
            for server_name in names:
                if server_name.startswith("corral"):
                    first = args.framework_warmup if name in FRAMEWORK_SCENARIOS else args.warmup
                    took = warm(servers[server_name], servers[server_name].url(path), conns, 10 if server_name in warmed else first)
                    warmed.add(server_name)
                    print("warmed %-24s on %-16s in %5.1f s" % (server_name, name, took), flush=True)
                else:
                    wrk(servers[server_name].url(path), conns, 5)
        for round_no in range(args.rounds):
            for name, path, conns, names in SCENARIOS:
                for server_name in (names if round_no % 2 == 0 else list(reversed(names))):
                    r = measured(servers[server_name], servers[server_name].url(path), conns, args.seconds)
                    results["scenarios"].setdefault(name, {}).setdefault(server_name, []).append(r)
                    print("round %d %-16s %-24s %9.0f req/s p50 %7.2f ms p99 %7.2f ms cpu %6.1f us/req errors %d" % (
                        round_no + 1, name, server_name, r["rps"], r["p50_ms"] or -1, r["p99_ms"] or -1, r["cpu_us_per_request"], r["errors"]), flush=True)
        for name, path, conns, names in SCENARIOS:
            for server_name in names:
                s = syscalls_per_request(servers[server_name], servers[server_name].url(path), conns, 5)
                results["scenarios"][name][server_name + ":syscalls_per_request"] = s
        results["mixed"] = {}
        for server_name in ([] if args.no_mixed else MIXED_SERVERS):
            if server_name.startswith("corral"):
                # Same JIT warm-up as the throughput servers, then one discarded mixed run for the heavy route.
                warm(servers[server_name], servers[server_name].url("/"), 16, args.warmup)
                mixed(servers[server_name], args.seconds, args.java)
            results["mixed"][server_name] = mixed(servers[server_name], args.seconds * 2, args.java)
            print("mixed %-24s %s" % (server_name, results["mixed"][server_name]), flush=True)
        for server in servers.values():
            results["servers"][server.name]["peak_rss_mib"] = round(rss_kib(server.pids(), "VmHWM") / 1024, 1)
        time.sleep(args.idle)
        for server in servers.values():
            results["servers"][server.name]["idle_rss_mib"] = round(rss_kib(server.pids()) / 1024, 1)
    finally:
        for server in servers.values():
            server.stop()
    write(results)


def median(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def ratio(a_runs, b_runs):
    return statistics.median(a["rps"] / b["rps"] for a, b in zip(a_runs, b_runs))


def write(results):
    lines = ["| scenario | server | req/s (median) | p50 ms | p99 ms | CPU µs/req | syscalls/req | errors (non-2xx) | Corral ÷ this |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, by_server in results["scenarios"].items():
        runs_by = {k: v for k, v in by_server.items() if not k.endswith(":syscalls_per_request")}
        first = next(iter(runs_by))
        for server_name, runs in runs_by.items():
            sys_per = by_server.get(server_name + ":syscalls_per_request")
            vs = "%.2f×" % ratio(runs_by[first], runs) if server_name != first else ""
            lines.append("| %s | %s | %.0f | %.2f | %.2f | %.0f | %s | %d (%d) | %s |" % (
                name, server_name, median(runs, "rps"), median(runs, "p50_ms"), median(runs, "p99_ms"), median(runs, "cpu_us_per_request"),
                "%.2f" % sys_per if sys_per is not None else "n/a", sum(r["errors"] for r in runs), sum(r["non_2xx"] for r in runs), vs))
    lines += ["", "| target (benchmarks issue) | figure (median of per-round ratios) | met |", "|---|---|---|"]
    lines += ["| %s | %s | %s |" % t for t in targets(results["scenarios"])]
    lines += ["", "| server | start to ready s | peak RSS MiB | idle RSS MiB |", "|---|---|---|---|"]
    for name, s in results["servers"].items():
        lines.append("| %s | %.2f | %s | %s |" % (name, s["start_to_ready_s"], s.get("peak_rss_mib", ""), s.get("idle_rss_mib", "")))
    lines += ["", "| mixed (10% CPU-heavy, 16 clients) | fast p50 ms | fast p99 ms | errors |", "|---|---|---|---|"]
    for name, m in results.get("mixed", {}).items():
        lines.append("| %s | %s | %s | %s |" % (name, m.get("fast_p50_ms"), m.get("fast_p99_ms"), m.get("errors")))
    lines += ["", "Peers (PyPI, in the harness's virtualenv): " + ", ".join(
        "%s %s" % (k, v) for k, v in sorted(results.get("peers", {}).items()) if k not in ("pip", "setuptools"))]
    table = "\n".join(lines) + "\n"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = os.path.join(HERE, "results")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "compare-%s.json" % stamp), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(out, "compare-%s.md" % stamp), "w") as f:
        f.write(table)
    print("\n" + table)
    print("written: %s/compare-%s.{json,md}" % (out, stamp))


def targets(scenarios):
    """The benchmarks issue's targets, each as (what, figure, met) from this run's per-round ratios."""
    rows = []

    def against(scenario, corral, peer, goal, label):
        runs = scenarios.get(scenario, {})
        if corral in runs and peer in runs:
            r = ratio(runs[corral], runs[peer])
            rows.append(("%s: %s ≥ %.2f× %s" % (scenario, corral, goal, peer), "%.2f× (%.0f vs %.0f req/s)" % (
                r, median(runs[corral], "rps"), median(runs[peer], "rps")), "yes" if r >= goal else "no" + label))

    for scenario, _, _, (corral, granian, _, gthread) in framework_scenarios():
        against(scenario, corral, gthread, 3.0, "")
        against(scenario, corral, granian, 1.5, "")
    for scenario in ("hello-c100", "hello-c400"):
        against(scenario, "corral", "granian-wsgi", 1.0, "")
        against(scenario, "corral", "uvicorn-asgi", 1.5, "")
    hello = scenarios.get("hello-c100", {})
    if "corral" in hello and "uvicorn-asgi" in hello:
        ours, theirs = median(hello["corral"], "p99_ms"), median(hello["uvicorn-asgi"], "p99_ms")
        rows.append(("hello-c100: corral p99 ≤ uvicorn-asgi p99", "%.2f ms vs %.2f ms" % (ours, theirs), "yes" if ours <= theirs else "no"))
    for scenario in ("hello-c100", "hello-c400"):
        against(scenario, "corral", "nginx", 0.85, " (the far goal)")
    # The io_uring try: is it worth more than epoll, the default?
    for scenario in ("hello-c100", "hello-c400", "static-16k-c100"):
        against(scenario, "corral-io_uring", "corral", 1.0, " (epoll stays the default)")
    return rows


if __name__ == "__main__":
    main()
