"""Connects where the query says, through the module the query names, and answers what happened as JSON.

/tcp?host=H&port=P      socket.create_connection, then reads one line
/raw?host=H&port=P      _socket.socket().connect, below the socket module
/udp?host=H&port=P      a datagram sent with sendto
/http?host=H&port=P     urllib.request.urlopen
/resolve?host=H         socket.getaddrinfo
"""
import json
from urllib.parse import parse_qs


def _tcp(host, port):
    import socket
    with socket.create_connection((host, port), timeout=5) as s:
        return s.makefile('rb').readline().decode().strip()


def _raw(host, port):
    import _socket
    s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    try:
        s.connect((host, port))
        return 'connected'
    finally:
        s.close()


def _udp(host, port):
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        return s.sendto(b'corral-udp', (host, port))


def _http(host, port):
    import urllib.request
    with urllib.request.urlopen('http://%s:%d/' % (host, port), timeout=5) as r:
        return r.read().decode()


def _resolve(host, port):
    import socket
    return sorted({a[4][0] for a in socket.getaddrinfo(host, port or 80, proto=socket.IPPROTO_TCP)})


_OPS = {'/tcp': _tcp, '/raw': _raw, '/udp': _udp, '/http': _http, '/resolve': _resolve}


def application(environ, start_response):
    query = parse_qs(environ.get('QUERY_STRING', ''))
    op = _OPS[environ['PATH_INFO']]
    try:
        answer = {'result': op(query['host'][0], int(query.get('port', ['0'])[0]))}
    except Exception as e:
        # What the app itself can catch and show: the type, errno and message of the exception.
        cause = e.reason if hasattr(e, 'reason') and isinstance(e.reason, BaseException) else e
        answer = {'error': type(cause).__name__, 'errno': getattr(cause, 'errno', None), 'message': str(cause)}
    body = json.dumps(answer).encode()
    start_response('200 OK', [('Content-Type', 'application/json')])
    return [body]
