"""Mixed-load bundle: /fast answers at once, /burn spends about 50 ms of CPU in pure Python."""


def _burn(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def application(environ, start_response):
    if environ['PATH_INFO'] == '/burn':
        body = str(_burn(1_500_000)).encode()
    else:
        body = b'fast'
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(body)))])
    return [body]
