"""Probes the standard library's natively served modules in each worker, at import and per request."""
import json
import time
import uuid

import ucdprobe

WORKER = uuid.uuid4().hex
AT_IMPORT = {}


def _try(name, thunk, table):
    try:
        table[name] = 'ok:' + repr(thunk())
    except BaseException as e:
        # ElementTree re-raises its own ImportError; the cause the user reads is the one it replaced.
        cause = e.__context__ if isinstance(e, ImportError) and isinstance(e.__context__, ImportError) else e
        table[name] = 'error:%s: %s' % (type(cause).__name__, cause)


def _termios_call():
    import termios
    try:
        termios.tcgetattr(0)
    except termios.error as e:
        return 'termios.error %s' % (e.args[0],)
    return 'no error'


def _xml():
    import xml.etree.ElementTree as ET
    return ET.fromstring('<a><b>x</b></a>').find('b').text


def _sqlite():
    import sqlite3
    return sqlite3.connect(':memory:').execute('select 40 + 2').fetchone()[0]


def _bz2():
    import bz2
    import hashlib
    import io
    # Round trips, a stream CPython made (two concatenated: bz2.decompress reads both), BZ2File read
    # block by block (the stream spans many of BZ2File's 8 KiB reads), and the unused data after one.
    data = bytes(range(256)) * 4000 + b'corral'
    made_by_cpython = bytes.fromhex(CPYTHON_BZ2)
    d = bz2.BZ2Decompressor()
    first = d.decompress(made_by_cpython + b'rest')
    big = bz2.compress(data, 1)
    with bz2.BZ2File(io.BytesIO(big)) as f:
        chunks = [f.read(10000) for _ in range(3)]
    return [bz2.decompress(bz2.compress(b'corral')), bz2.decompress(made_by_cpython * 2),
            first, d.eof, d.unused_data, hashlib.sha256(b''.join(chunks) + f.closed * b'').hexdigest()[:12],
            hashlib.sha256(data[:30000]).hexdigest()[:12], bz2.decompress(big) == data, _bz2_refuses(b'not bzip2 data')]


def _bz2_refuses(data):
    import bz2
    try:
        bz2.decompress(data)
    except OSError as e:
        return str(e)
    return 'accepted'


# bz2.compress(b'made by CPython') from CPython 3.11
CPYTHON_BZ2 = '425a683931415926535901a98658000004978040000800400036438420200022980993f50806800a56b59f1f0c0d17724538509001a98658'


def _unicode_samples():
    import unicodedata
    return [unicodedata.combining('\u0301'), unicodedata.east_asian_width('\u3042'), unicodedata.decomposition('\u00e9'),
            unicodedata.numeric('\u00bd'), unicodedata.digit('\u2460'), unicodedata.decimal('7'), unicodedata.mirrored('('),
            unicodedata.lookup('SNOWMAN'), unicodedata.ucd_3_2_0.unidata_version]


def probe(table):
    _try('idna', lambda: 'bücher.example'.encode('idna'), table)
    _try('termios', lambda: __import__('termios').TCSANOW, table)
    _try('termios.tcgetattr', _termios_call, table)
    _try('getpass', lambda: __import__('getpass').getuser is not None, table)
    _try('unicodedata', _unicode_samples, table)
    _try('xml', _xml, table)
    _try('xml-imports', lambda: [__import__(m) and m for m in ('plistlib', 'xml.dom.minidom', 'xml.sax.expatreader')], table)
    _try('sqlite3', _sqlite, table)
    _try('ctypes', lambda: __import__('ctypes').c_int(3).value, table)
    _try('bz2', _bz2, table)
    _try('decimal', lambda: str(__import__('decimal').Decimal('1.10') + 1), table)
    _try('zlib', lambda: __import__('zlib').decompress(__import__('zlib').compress(b'z')), table)
    _try('lzma', lambda: __import__('lzma').decompress(__import__('lzma').compress(b'z')), table)
    return table


probe(AT_IMPORT)


def application(environ, start_response):
    path = environ['PATH_INFO']
    if path == '/probe':
        time.sleep(0.3)  # long enough that two concurrent probes land on two workers
        body = {'worker': WORKER, 'import': AT_IMPORT, 'request': probe({})}
    elif path == '/ucd-3.2.0':
        started = time.monotonic()
        props = environ['QUERY_STRING'].split(',')
        body = {'digests': ucdprobe.ucd_3_2_0_digests(props), 'idna': ucdprobe.idna(), 'seconds': time.monotonic() - started}
    elif path == '/current':
        import unicodedata
        start, end = (int(x, 16) for x in environ['QUERY_STRING'].split('-'))
        if environ.get('HTTP_X_DATABASE') == 'ucd_3_2_0':
            unicodedata = unicodedata.ucd_3_2_0
        body = {'version': unicodedata.unidata_version,
                'values': {prop: ucdprobe.values(unicodedata, prop, start, end) for prop in ucdprobe.CURRENT_PROPERTIES}}
    else:
        start_response('404 Not Found', [('Content-Type', 'text/plain')])
        return [b'no such probe']
    data = json.dumps(body, ensure_ascii=True).encode()
    start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(data)))])
    return [data]
