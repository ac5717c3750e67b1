"""Test bundle: handlers that overrun each budget, and an innocent one."""
import time

SERVED = [0]


def application(environ, start_response):
    path = environ['PATH_INFO']
    SERVED[0] += 1
    if path == '/sleep':
        time.sleep(60)
    elif path.startswith('/spin'):
        while True:
            pass
    elif path.startswith('/hog'):
        hoard = []
        while True:
            hoard.append(bytearray(1 << 20))
    elif path == '/burst':
        # One allocation of N MiB (96 by default), then return at once: within one supervisor tick, often.
        body = str(len(bytearray(int(environ.get('QUERY_STRING') or '96') << 20))).encode()
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return [body]
    elif path == '/slow':
        time.sleep(float(environ.get('QUERY_STRING') or '1'))
    elif path == '/memory-error':
        raise MemoryError('simulated')
    elif path == '/bigpow':
        # Runs inside a single builtin that does not poll for interrupts: only cancelling stops it.
        pow(3, 4 * 10 ** 7)
    elif path == '/served':
        body = str(SERVED[0]).encode()
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return [body]
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'fast']
