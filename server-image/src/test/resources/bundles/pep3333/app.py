"""Test bundle: one route per WSGI behaviour the server must get right."""
import io
import json
import os
import sys
import tempfile
import time

CLOSED = []


class Tracked:
    """A response iterable that records close(), as PEP 3333 requires servers to call it."""

    def __init__(self, chunks, name):
        self.chunks = chunks
        self.name = name

    def __iter__(self):
        return iter(self.chunks)

    def close(self):
        CLOSED.append(self.name)


def _json(start_response, data, status='200 OK'):
    body = json.dumps(data, sort_keys=True).encode()
    start_response(status, [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
    return [body]


def _attempt(fn):
    try:
        return 'allowed: %r' % (fn(),)
    except BaseException as e:  # the test wants to see what was refused and how
        return 'refused: %s' % type(e).__name__


def application(environ, start_response):
    path = environ['PATH_INFO']
    if path == '/environ':
        data = {k: v for k, v in environ.items() if type(v) is str}
        data['wsgi.version'] = list(environ['wsgi.version'])
        data['wsgi.multithread'] = environ['wsgi.multithread']
        data['wsgi.multiprocess'] = environ['wsgi.multiprocess']
        data['wsgi.run_once'] = environ['wsgi.run_once']
        data['has_file_wrapper'] = environ['wsgi.file_wrapper'] is not None
        environ['wsgi.errors'].write('wsgi.errors works\n')
        environ['wsgi.errors'].flush()
        return _json(start_response, data)
    if path == '/input':
        inp = environ['wsgi.input']
        first = inp.readline()
        two = inp.read(2)
        lines = inp.readlines()
        return _json(start_response, {'first': first.decode('latin-1'), 'two': two.decode('latin-1'),
                                      'lines': [l.decode('latin-1') for l in lines], 'eof': inp.read().decode('latin-1')})
    if path == '/input-bytes':
        data = environ['wsgi.input'].read()
        start_response('200 OK', [('Content-Type', 'application/octet-stream'), ('Content-Length', str(len(data)))])
        return [data]
    if path == '/input-iter':
        return _json(start_response, {'lines': [l.decode() for l in environ['wsgi.input']]})
    if path == '/stream':
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return Tracked([b'one ', b'', b'two ', b'three'], 'stream')
    if path == '/generator':
        def gen():
            yield b'a'
            yield b'b'
        start_response('201 Created', [('X-Kind', 'generator')])
        return gen()
    if path == '/list':
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return [b'he', b'llo']
    if path == '/write':
        write = start_response('200 OK', [('Content-Type', 'text/plain')])
        write(b'written ')
        return [b'returned']
    if path == '/exc-before-headers':
        start_response('200 OK', [('Content-Type', 'text/plain')])
        try:
            raise ValueError('changed my mind')
        except ValueError:
            start_response('500 Internal Server Error', [('Content-Type', 'text/plain')], sys.exc_info())
        return [b'error page']
    if path == '/exc-after-headers':
        write = start_response('200 OK', [('Content-Type', 'text/plain')])
        write(b'partial')
        try:
            raise ValueError('too late')
        except ValueError:
            start_response('500 Internal Server Error', [], sys.exc_info())
        return [b'never']
    if path == '/twice':
        start_response('200 OK', [])
        start_response('200 OK', [])
        return [b'']
    if path == '/str-body':
        start_response('200 OK', [])
        return ['text, not bytes']
    if path == '/no-start':
        return [b'x']
    if path == '/bad-status':
        start_response('OK', [])
        return [b'']
    if path == '/hop-by-hop':
        start_response('200 OK', [('Connection', 'close')])
        return [b'']
    if path == '/nul-header':
        start_response('200 OK', [('X-Bad', 'a\x00b')])
        return [b'']
    if path == '/raise':
        raise KeyError('boom')
    if path == '/file':
        start_response('200 OK', [('Content-Type', 'text/x-python')])
        f = open(__file__, 'rb')
        f.seek(10)
        return environ['wsgi.file_wrapper'](f)
    if path == '/filelike':
        start_response('200 OK', [])
        return environ['wsgi.file_wrapper'](io.BytesIO(b'x' * 10000), 4096)
    if path == '/closed':
        return _json(start_response, CLOSED)
    if path == '/sandbox':
        bundle_file = os.path.join(os.path.dirname(__file__), 'new.txt')
        return _json(start_response, {
            'read_bundle': _attempt(lambda: len(open(__file__).read()) > 0),
            'read_etc': _attempt(lambda: open('/etc/hostname').read()),
            'list_root': _attempt(lambda: os.listdir('/')),
            'write_bundle': _attempt(lambda: open(bundle_file, 'w').write('x')),
            'write_temp': _attempt(lambda: tempfile.NamedTemporaryFile(delete=True).write(b'x')),
            'java': _attempt(lambda: __import__('java').type('java.lang.System')),
            'subprocess': _attempt(lambda: __import__('subprocess').run(['true'])),
            'env_home': os.environ.get('HOME'),
            'env_passed': os.environ.get('CORRAL_TEST_PASSED'),
        })
    if path == '/sleep':
        time.sleep(float(environ.get('QUERY_STRING') or '0.5'))
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return [b'slept']
    if path == '/declared-then-wait':
        # The whole declared body, then a generator that goes on until /release names it (at most 10 s).
        marker = os.path.join(tempfile.gettempdir(), 'release-' + environ['QUERY_STRING'])

        def declared_then_wait():
            yield b'comp'
            yield b'lete'
            deadline = time.monotonic() + 10
            while not os.path.exists(marker) and time.monotonic() < deadline:
                time.sleep(0.01)
        start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', '8')])
        return declared_then_wait()
    if path == '/release':
        open(os.path.join(tempfile.gettempdir(), 'release-' + environ['QUERY_STRING']), 'w').close()
        start_response('204 No Content', [])
        return []
    if path == '/big-stream':
        n = int(environ.get('QUERY_STRING') or '64')
        start_response('200 OK', [('Content-Type', 'application/octet-stream')])
        chunk = b'z' * 65536
        return (chunk for _ in range(n))
    start_response('404 Not Found', [('Content-Type', 'text/plain')])
    return [b'no route ' + path.encode('latin-1')]
