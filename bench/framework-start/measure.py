#!/usr/bin/env python3
"""Start-to-ready and the first seconds under load, per framework app, for Corral and gunicorn.

    bench/framework-start/run.sh [--apps flask,django52,...] [--seconds 20] [--connections 100]

For each app of server-image/src/test/resources/frameworks (bundled with corral-bundle, warm-up path
the app's templated page): start the server, time until it answers (Corral: /readyz 200 on the admin
port; gunicorn: the page answers 200), then at once wrk with N connections on that page for S seconds,
and count what was not 2xx (Corral's 503s come from its queue-wait admission while the JIT warms).
Loopback only; each server is stopped before the next starts. Writes results/framework-start-*.md.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FRAMEWORKS = os.path.join(ROOT, 'server-image', 'src', 'test', 'resources', 'frameworks')
SERVER = os.path.join(ROOT, 'server-image', 'target', 'corral-server', 'bin', 'corral-server')
BUNDLE_TOOL = os.path.join(ROOT, 'server-image', 'src', 'main', 'dist', 'bin', 'corral-bundle')
PAGE = '/hello/bench?greeting=Hi'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for(url, limit):
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def wrk(url, seconds, connections):
    out = subprocess.run(['wrk', '-t2', '-c%d' % connections, '-d%ds' % seconds, '--latency', url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    requests = int(re.search(r'(\d+) requests in', out).group(1))
    non2xx = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    errors = re.search(r'Socket errors: (.*)', out)
    p99 = re.search(r'99%\s+(\S+)', out)
    return {'requests': requests, 'non2xx': int(non2xx.group(1)) if non2xx else 0,
            'socket_errors': errors.group(1) if errors else '', 'p99': p99.group(1) if p99 else '?'}


def bundle(app, work):
    target = os.path.join(work, app)
    shutil.copytree(os.path.join(FRAMEWORKS, app), target, ignore=shutil.ignore_patterns('lib', '__pycache__'))
    shutil.copy(os.path.join(FRAMEWORKS, 'validated.py'), target)   # the entrypoint, shared by every app
    subprocess.run([sys.executable, BUNDLE_TOOL, target, '--warmup', PAGE], check=True, capture_output=True)
    return target


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def corral(app_dir, args):
    port, admin = free_port(), free_port()
    tmp = tempfile.mkdtemp(prefix='corral-start-')
    started = time.monotonic()
    process = subprocess.Popen([SERVER, '--bundle', app_dir, '--host', '127.0.0.1', '--port', str(port), '--admin-host', '127.0.0.1',
                                '--admin-port', str(admin), '--temp-dir', tmp, '--workers', str(args.workers)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_for('http://127.0.0.1:%d/readyz' % admin, 300):
            return {'ready': None}
        ready = time.monotonic() - started
        load = wrk('http://127.0.0.1:%d%s' % (port, PAGE), args.seconds, args.connections)
        with urllib.request.urlopen('http://127.0.0.1:%d/metrics' % admin) as r:
            metrics = r.read().decode()
        rejected = sum(float(m) for m in re.findall(r'corral_requests_rejected_total\{[^}]*\} (\S+)', metrics))
        return dict(load, ready=ready, rejected=int(rejected))
    finally:
        stop(process)
        shutil.rmtree(tmp, ignore_errors=True)


def gunicorn(app, app_dir, args):
    port = free_port()
    env = dict(os.environ)
    if app == 'django':
        env['PYTHON'] = 'auto'
    started = time.monotonic()
    process = subprocess.Popen(['bash', os.path.join(FRAMEWORKS, 'run-gunicorn.sh'), app_dir, str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_for('http://127.0.0.1:%d%s' % (port, PAGE), 120):
            return {'ready': None}
        ready = time.monotonic() - started
        return dict(wrk('http://127.0.0.1:%d%s' % (port, PAGE), args.seconds, args.connections), ready=ready, rejected=0)
    finally:
        stop(process)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--apps', default='flask,django52,django,bottle,falcon,pyramid')
    parser.add_argument('--seconds', type=int, default=20)
    parser.add_argument('--connections', type=int, default=100)
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--no-gunicorn', action='store_true')
    args = parser.parse_args()
    if not shutil.which('wrk'):
        sys.exit('framework-start: needs wrk (apt-get install wrk)')
    work = tempfile.mkdtemp(prefix='framework-start-')
    rows = []
    try:
        for app in args.apps.split(','):
            app_dir = bundle(app, work)
            ours = corral(app_dir, args)
            theirs = {} if args.no_gunicorn else gunicorn(app, app_dir, args)
            rows.append({'app': app, 'corral': ours, 'gunicorn': theirs})
            print(json.dumps(rows[-1]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    stamp = datetime.datetime.now().strftime('%Y%m%d-%H%M%S')
    results = os.path.join(ROOT, 'bench', 'results')
    os.makedirs(results, exist_ok=True)
    lines = ['# Start-to-ready and the first %d s under %d connections (%d workers), %s' % (args.seconds, args.connections, args.workers, stamp), '',
             '| app | Corral ready s | Corral requests | non-2xx | rejected (metric) | p99 | gunicorn ready s | gunicorn requests | p99 |',
             '|---|---|---|---|---|---|---|---|---|']
    for row in rows:
        c, g = row['corral'], row['gunicorn']
        fmt = lambda v: '%.1f' % v if isinstance(v, float) else ('-' if v is None else str(v))
        lines.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            row['app'], fmt(c.get('ready')), c.get('requests', '-'), c.get('non2xx', '-'), c.get('rejected', '-'), c.get('p99', '-'),
            fmt(g.get('ready')), g.get('requests', '-'), g.get('p99', '-')))
    path = os.path.join(results, 'framework-start-%s.md' % stamp)
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))
    print('framework-start: wrote', path)


if __name__ == '__main__':
    main()
