"""Test bundle: counts the warm-up requests the server sends itself before it is ready."""
HITS = {'/hit': 0}


def application(environ, start_response):
    path = environ['PATH_INFO']
    if path == '/hit':
        HITS['/hit'] += 1
        body = b'warm'
    else:
        body = str(HITS['/hit']).encode()
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [body]
