#!/usr/bin/env python3
"""Corral against the servers Python users would pick instead, on this machine, in one run.

Starts every server on 127.0.0.1, warms each up (runs discarded), then measures with wrk in rounds, the
servers interleaved within each round, and reports medians and per-round ratios (Corral over nginx and
over uvicorn, pair by pair: absolute numbers move between runs on a shared machine). Also: CPU time and
syscalls per request (perf stat on the server's processes, in a separate run so tracing does not slow
the throughput runs), peak RSS, RSS after the load has stopped (idle), start-to-ready, and the mixed
scenario (10% CPU-heavy requests). Corral servers run as in their pod: the image's JAVA_OPTS inside a
memory cgroup (1 GiB by default; the JVM sizes its heap and picks its collector from the limit).
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
APPS = os.path.join(HERE, "apps")
CORRAL = os.path.join(ROOT, "server-image", "target", "corral-server", "bin", "corral-server")
SYSTEM_PYTHON = "/usr/bin/python3"
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
    def __init__(self, name, cmd, port, cwd=None, env=None, ready_url=None, memory_mib=0):
        self.name, self.cmd, self.port, self.cwd, self.memory_mib = name, cmd, port, cwd, memory_mib
        self.cgroup = None
        self.env = dict(os.environ, **(env or {}))
        self.ready_url = ready_url or "http://127.0.0.1:%d/" % port
        self.proc = None
        self.start_to_ready = None

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def start(self, log_dir, timeout=300):
        log = open(os.path.join(log_dir, self.name + ".log"), "a")
        if self.memory_mib:
            self.cgroup = MemoryCgroup.create("corral-compare-" + self.name, self.memory_mib)
        began = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True, preexec_fn=self.cgroup.enter if self.cgroup else None)
        while time.monotonic() - began < timeout:
            if self.proc.poll() is not None:
                raise SystemExit("%s exited with %s before ready; see %s" % (self.name, self.proc.returncode, log.name))
            try:
                with urllib.request.urlopen(self.ready_url, timeout=2) as r:
                    if r.status == 200:
                        self.start_to_ready = time.monotonic() - began
                        return
            except OSError:
                time.sleep(0.05)
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
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout

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


def ensure_peers():
    wanted = {"wrk": "wrk", "nginx": "nginx", "gunicorn": "gunicorn", "perf": "linux-perf"}
    missing = [pkg for tool, pkg in wanted.items() if shutil.which(tool) is None and not os.path.exists("/usr/sbin/" + tool)]
    for module, pkg in {"uvicorn": "python3-uvicorn", "bottle": "python3-bottle"}.items():
        if subprocess.run([SYSTEM_PYTHON, "-c", "import " + module], capture_output=True).returncode != 0:
            missing.append(pkg)
    if missing:
        print("compare: installing missing peers from Debian: " + " ".join(missing), flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq"] + missing, check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def build_servers(work, corral_memory_mib):
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
    bottle_bundle = os.path.join(work, "corral-bottle")
    os.makedirs(os.path.join(bottle_bundle, "lib"))
    shutil.copy(os.path.join(APPS, "bottle_app.py"), os.path.join(bottle_bundle, "app.py"))
    bottle_py = subprocess.run([SYSTEM_PYTHON, "-c", "import bottle; print(bottle.__file__)"], capture_output=True, text=True, check=True).stdout.strip()
    shutil.copy(bottle_py, os.path.join(bottle_bundle, "lib", "bottle.py"))
    mixed_app = os.path.join(ROOT, "bench", "mixed-load", "app")

    def corral(name, bundle):
        port, admin = free_port(), free_port()
        # The container image's JAVA_OPTS (server-image/Dockerfile), so the heap is sized as in a pod.
        return Server(name, [CORRAL, "--bundle", bundle, "--host", "127.0.0.1", "--port", str(port), "--admin-host", "127.0.0.1",
                             "--admin-port", str(admin), "--temp-dir", os.path.join(work, name + "-tmp")], port,
                      env={"JAVA_OPTS": "-XX:MaxRAMPercentage=60"}, ready_url="http://127.0.0.1:%d/readyz" % admin,
                      memory_mib=corral_memory_mib)

    def gunicorn(name, module, kind, cwd=APPS, ready_path="/"):
        port = free_port()
        extra = ["--threads", "4"] if kind == "gthread" else []
        return Server(name, ["gunicorn", "-w", "2", "-k", kind] + extra + ["-b", "127.0.0.1:%d" % port, "--log-level", "warning",
                                                                         "--backlog", "2048", module], port, cwd=cwd,
                      ready_url="http://127.0.0.1:%d%s" % (port, ready_path))

    nginx_port = free_port()
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""worker_processes 2; daemon off; pid %(w)s/nginx.pid; error_log %(w)s/nginx-error.log warn;
events { worker_connections 4096; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000; default_type application/octet-stream;
  server { listen 127.0.0.1:%(p)d;
    location = / { default_type "text/plain; charset=utf-8"; return 200 "Hello from Corral!\\n"; }
    location /static/ { alias %(w)s/static/; } } }
""" % {"w": work, "p": nginx_port})
    uvicorn_port = free_port()
    return {
        "nginx": Server("nginx", ["nginx", "-c", conf, "-p", work], nginx_port),
        "corral": corral("corral", hello_bundle),
        "uvicorn": Server("uvicorn", [SYSTEM_PYTHON, "-m", "uvicorn", "asgi_hello:app", "--workers", "2", "--host", "127.0.0.1",
                                      "--port", str(uvicorn_port), "--log-level", "warning", "--no-access-log"], uvicorn_port, cwd=APPS),
        "gunicorn-sync": gunicorn("gunicorn-sync", "wsgi_hello:application", "sync"),
        "gunicorn-gthread": gunicorn("gunicorn-gthread", "wsgi_hello:application", "gthread"),
        "corral-bottle": corral("corral-bottle", bottle_bundle),
        "gunicorn-sync-bottle": gunicorn("gunicorn-sync-bottle", "bottle_app:application", "sync", ready_path="/products/1"),
        "gunicorn-gthread-bottle": gunicorn("gunicorn-gthread-bottle", "bottle_app:application", "gthread", ready_path="/products/1"),
        "corral-mixed": corral("corral-mixed", mixed_app),
        "gunicorn-sync-mixed": gunicorn("gunicorn-sync-mixed", "app:application", "sync", cwd=mixed_app),
        "gunicorn-gthread-mixed": gunicorn("gunicorn-gthread-mixed", "app:application", "gthread", cwd=mixed_app),
    }


# (scenario, path, connections, servers); Corral first in each list.
SCENARIOS = [
    ("hello-c100", "/", 100, ["corral", "nginx", "uvicorn", "gunicorn-sync", "gunicorn-gthread"]),
    ("hello-c400", "/", 400, ["corral", "nginx", "uvicorn", "gunicorn-sync", "gunicorn-gthread"]),
    ("framework-c100", "/products/42?fields=id,name", 100, ["corral-bottle", "gunicorn-sync-bottle", "gunicorn-gthread-bottle"]),
    ("static-16k-c100", "/static/file.bin", 100, ["corral", "nginx"]),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="length of each measured wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; servers are interleaved within each")
    parser.add_argument("--warmup", type=int, default=60,
                        help="least seconds of discarded load for each Corral server before measuring; load goes on until"
                             " throughput is steady (the JIT's warm-up); peers get 5 s")
    parser.add_argument("--framework-warmup", type=int, default=180,
                        help="the same for the framework app: Bottle keeps ~170 Truffle compilations (2 min of the one compiler"
                             " thread) queued, and climbs slowly enough to pass the steadiness test at half its speed"
                             " (session 6: 13.9k, 15.8k, 25.6k req/s in three rounds after 72 s; 27.3k-28.4k after 192 s)")
    parser.add_argument("--scenarios", default="", help="comma-separated scenario names to run (default: all), e.g. hello-c100")
    parser.add_argument("--no-mixed", action="store_true", help="skip the mixed scenario")
    parser.add_argument("--corral-memory", type=int, default=1024,
                        help="memory limit in MiB of each Corral server's cgroup, as its pod's (0 = none)")
    parser.add_argument("--idle", type=int, default=45,
                        help="seconds without load, after the last measurement, before idle RSS is read")
    parser.add_argument("--java", default=os.environ.get("CORRAL_JAVA", "java"), help="a JDK 25 java, for the mixed-load client")
    args = parser.parse_args()
    # The servers run in their own sessions: on SIGTERM/SIGINT, unwind so that `finally` stops every one of them.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda number, frame: sys.exit(128 + number))
    if not os.path.exists(CORRAL):
        raise SystemExit("no Corral build at %s: run ./dev mvn -q -pl server-image -am -DskipTests package" % CORRAL)
    ensure_peers()
    global SCENARIOS
    if args.scenarios:
        SCENARIOS = [s for s in SCENARIOS if s[0] in args.scenarios.split(",")]
    work = tempfile.mkdtemp(prefix="corral-compare-")
    servers = build_servers(work, args.corral_memory)
    used = {n for s in SCENARIOS for n in s[3]} | (set() if args.no_mixed else {"corral-mixed", "gunicorn-sync-mixed", "gunicorn-gthread-mixed"})
    servers = {k: v for k, v in servers.items() if k in used}
    results = {"machine": {"cpus": os.cpu_count(), "kernel": os.uname().release}, "method": vars(args), "servers": {}, "scenarios": {}}
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
                    first = args.framework_warmup if name.startswith("framework") else args.warmup
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
        for server_name in ([] if args.no_mixed else ["corral-mixed", "gunicorn-sync-mixed", "gunicorn-gthread-mixed"]):
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
    lines = ["| scenario | server | req/s (median) | p50 ms | p99 ms | CPU µs/req | syscalls/req | errors (non-2xx) | vs nginx | vs uvicorn |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, by_server in results["scenarios"].items():
        runs_by = {k: v for k, v in by_server.items() if not k.endswith(":syscalls_per_request")}
        first = next(iter(runs_by))
        for server_name, runs in runs_by.items():
            sys_per = by_server.get(server_name + ":syscalls_per_request")
            vs = lambda peer: "%.2f×" % ratio(runs, runs_by[peer]) if peer in runs_by and server_name != peer and server_name == first else ""
            lines.append("| %s | %s | %.0f | %.2f | %.2f | %.0f | %s | %d (%d) | %s | %s |" % (
                name, server_name, median(runs, "rps"), median(runs, "p50_ms"), median(runs, "p99_ms"), median(runs, "cpu_us_per_request"),
                "%.2f" % sys_per if sys_per is not None else "n/a", sum(r["errors"] for r in runs), sum(r["non_2xx"] for r in runs),
                vs("nginx"), vs("uvicorn")))
        if "gunicorn-gthread-bottle" in runs_by and first == "corral-bottle":
            lines.append("| %s | corral-bottle vs gunicorn-gthread | | | | | | | %.2f× | |" % (name, ratio(runs_by["corral-bottle"], runs_by["gunicorn-gthread-bottle"])))
    lines += ["", "| server | start to ready s | peak RSS MiB | idle RSS MiB |", "|---|---|---|---|"]
    for name, s in results["servers"].items():
        lines.append("| %s | %.2f | %s | %s |" % (name, s["start_to_ready_s"], s.get("peak_rss_mib", ""), s.get("idle_rss_mib", "")))
    lines += ["", "| mixed (10% CPU-heavy, 16 clients) | fast p50 ms | fast p99 ms | errors |", "|---|---|---|---|"]
    for name, m in results.get("mixed", {}).items():
        lines.append("| %s | %s | %s | %s |" % (name, m.get("fast_p50_ms"), m.get("fast_p99_ms"), m.get("errors")))
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


if __name__ == "__main__":
    main()
