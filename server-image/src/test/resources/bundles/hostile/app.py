"""Test bundle for the hostile suites: each route tries one way out of the sandbox, or misbehaves as an
application may, and reports what happened. HostileBundleIT lays symbolic links next to it."""
import json
import os



def _json(start_response, data, status='200 OK'):
    body = json.dumps(data, sort_keys=True).encode()
    start_response(status, [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
    return [body]


def _attempt(fn):
    try:
        got = fn()
        return {'outcome': 'allowed', 'value': got if isinstance(got, (str, int, list, type(None))) else repr(got)}
    except BaseException as e:  # the suite wants to see what was refused and how
        return {'outcome': 'refused', 'error': type(e).__name__, 'message': str(e)}


def _query(environ):
    out = {}
    for part in environ.get('QUERY_STRING', '').split('&'):
        if '=' in part:
            k, v = part.split('=', 1)
            out[k] = _unquote(v)
    return out


def _unquote(s):
    import urllib.parse
    return urllib.parse.unquote(s)


def _read(path):
    with open(path, 'rb') as f:
        return f.read(4096).decode('latin-1')


def _connect(port):
    import socket
    s = socket.create_connection(('127.0.0.1', int(port)), timeout=2)
    s.close()
    return 'connected'


def _process():
    import subprocess
    return subprocess.run(['/bin/echo', 'escaped'], capture_output=True).stdout.decode()


def _java():
    import java
    return str(java.type('java.lang.System').getProperty('user.home'))


def _native():
    import ctypes
    return ctypes.CDLL(None).getpid()


def application(environ, start_response):
    path = environ['PATH_INFO']
    q = _query(environ)
    if path == '/read':
        return _json(start_response, _attempt(lambda: _read(q['path'])))
    if path == '/listdir':
        return _json(start_response, _attempt(lambda: sorted(os.listdir(q['path']))))
    if path == '/stat':
        return _json(start_response, _attempt(lambda: os.stat(q['path']).st_size))
    if path == '/write':
        def write():
            with open(q['path'], 'wb') as f:
                f.write(b'x')
            return 'written'
        return _json(start_response, _attempt(write))
    if path == '/wrapper':
        # The file is opened through the sandbox; the server must send exactly that file or nothing.
        try:
            f = open(q['path'], 'rb')
        except OSError as e:
            return _json(start_response, {'outcome': 'refused', 'error': type(e).__name__}, '403 Forbidden')
        start_response('200 OK', [('Content-Type', 'application/octet-stream')])
        return environ['wsgi.file_wrapper'](f)
    if path == '/wrapper-chdir':
        # A relative name after the application changed directory: resolved as Python resolved it.
        os.chdir(q['dir'])
        f = open(q['path'], 'rb')
        start_response('200 OK', [('Content-Type', 'application/octet-stream')])
        return environ['wsgi.file_wrapper'](f)
    if path == '/connect':
        return _json(start_response, _attempt(lambda: _connect(q['port'])))
    if path == '/process':
        return _json(start_response, _attempt(_process))
    if path == '/java':
        return _json(start_response, _attempt(_java))
    if path == '/native':
        return _json(start_response, _attempt(_native))
    if path == '/env':
        return _json(start_response, {'environ': sorted(os.environ.keys()), 'tmpdir': os.environ.get('TMPDIR')})
    if path == '/bad-header':
        start_response('200 OK', [('Bad Name', 'v')])
        return [b'never']
    if path == '/stream':
        mib = int(q.get('mib', '1'))
        start_response('200 OK', [('Content-Type', 'application/octet-stream')])
        block = b'z' * (64 * 1024)

        def gen():
            for _ in range(mib * 16):
                yield bytes(block)
        return gen()
    if path == '/body':
        body = environ['wsgi.input'].read()
        return _json(start_response, {'length': len(body), 'content_length': environ.get('CONTENT_LENGTH'),
                                      'terminated': environ.get('wsgi.input_terminated', False)})
    if path == '/api/report':
        import time
        time.sleep(3)
        return _json(start_response, {'path': path, 'slept': True})
    if path.startswith('/api/'):
        return _json(start_response, {'path': path})
    start_response('404 Not Found', [('Content-Type', 'text/plain')])
    return [b'no route\n']
