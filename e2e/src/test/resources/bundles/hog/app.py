"""e2e bundle for containment: an innocent route and handlers that overrun memory or time."""


def application(environ, start_response):
    path = environ['PATH_INFO']
    if path == '/hog':
        # Keeps every megabyte it allocates: without a budget only the cgroup stops it.
        hoard = []
        while True:
            hoard.append(bytearray(1 << 20))
    if path == '/spin':
        while True:
            pass
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', '5')])
    return [b'fine\n']
