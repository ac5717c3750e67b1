"""e2e bundle: a handler that takes its time, to be in flight when SIGTERM arrives."""
import time


def application(environ, start_response):
    if environ['PATH_INFO'] == '/slow':
        time.sleep(float(environ['QUERY_STRING'] or '1'))
        body = b'finished\n'
    else:
        body = b'fast\n'
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(body)))])
    return [body]
