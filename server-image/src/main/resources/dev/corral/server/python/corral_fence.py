"""The standard library as a fenced worker sees it: run once per context, before the bundle's import.

A fenced worker loads no native code, and GraalPy 25.0 serves a few standard-library modules only as
native (C) modules: unicodedata's combining, east_asian_width, decomposition, numeric, digit, decimal,
mirrored, lookup and the whole 3.2.0 database (so stringprep and the "idna" codec), termios, pyexpat
(so xml.etree, xml.dom.minidom, xml.sax, plistlib), _sqlite3 and _ctypes. Without this module an
import of them fails with GraalPy's internal message about native access or IsolateNativeModules.

- unicodedata gets the missing functions from the server's ICU data (UnicodeDatabase.java, the same
  data GraalPy's own category and normalize use) and a ucd_3_2_0 built from tables of Unicode 3.2.0
  (corral_ucd_3_2_0.py, generated from CPython's), so IDNA and stringprep work in every worker.
- termios is a module whose functions fail as they do on a file that is no terminal (a server
  worker's standard streams never are one); importing it, as Django's autoreloader does, works.
- pyexpat imports (pkg_resources imports plistlib, which imports it), and creating a parser raises
  ImportError naming the way out ("nativeModules": true in corral.json); _sqlite3 and _ctypes fail
  to import with such a message, as ModuleNotFoundError so fallbacks keep working.
- _bz2 (in both modes) is the server's, on Apache Commons Compress (Bz2Codec.java).
"""
import errno as _errno
import sys
from bisect import bisect_right as _bisect_right

_WAY_OUT = ('a fenced Corral worker loads no native code. Set "nativeModules": true in the bundle\'s '
            'corral.json to load the standard library\'s native modules (see docs/bundles.md, "Native modules")')
_REFUSED = {
    '_sqlite3': 'sqlite3 needs the native module _sqlite3',
    '_ctypes': 'ctypes needs native code',
}
_PYEXPAT = 'XML parsing (xml.etree, xml.dom.minidom, xml.sax, plistlib) needs the native module pyexpat'
_BZ2_STAND_IN = '''
"""_bz2 for GraalPy embedded: bzip2 by the server's Apache Commons Compress (Bz2Codec.java), whole
streams at a time: a compressor gives its stream at flush(), a decompressor its output once the stream
it is fed is complete."""


class BZ2Compressor:
    def __init__(self, compresslevel=9, /):
        if not 1 <= compresslevel <= 9:
            raise ValueError('compresslevel must be between 1 and 9')
        self._level = compresslevel
        self._chunks = []

    def compress(self, data, /):
        if self._chunks is None:
            raise ValueError('Compressor has been flushed')
        self._chunks.append(bytes(data))
        return b''

    def flush(self):
        if self._chunks is None:
            raise ValueError('Repeated call to flush()')
        data, self._chunks = b''.join(self._chunks), None
        return _codec.compress(data.decode('latin-1'), self._level).encode('latin-1')


class BZ2Decompressor:
    def __init__(self):
        self._input = bytearray()
        self._scanned = 0
        self._output = b''
        self._done = False
        self.eof = False
        self.unused_data = b''
        self.needs_input = True

    def decompress(self, data, /, max_length=-1):
        if self.eof:
            raise EOFError('End of stream already reached')
        if self._done:
            self.unused_data += bytes(data)
        else:
            self._input += data
            if len(self._input) >= 4 and not (self._input[:3] == b'BZh' and 0x31 <= self._input[3] <= 0x39):
                raise OSError('Invalid data stream')
            # Only a block holding the end marker can complete the stream (the marker is 6 bytes and may
            # straddle blocks: look back 6).
            tail = bytes(self._input[max(0, self._scanned - 6):])
            self._scanned = len(self._input)
            if _codec.holdsEndMarker(tail.decode('latin-1')):
                try:
                    found = _codec.decompressFirstStream(bytes(self._input).decode('latin-1'))
                except Exception as e:
                    raise OSError('Invalid data stream') from None
                if found is not None:
                    output, taken = found[0].encode('latin-1'), int(found[1])
                    self.unused_data = bytes(self._input[taken:])
                    self._input = None
                    self._output = output
                    self._done = True
        if max_length is None or max_length < 0:
            out, self._output = self._output, b''
        else:
            out, self._output = self._output[:max_length], self._output[max_length:]
        self.eof = self._done and not self._output
        self.needs_input = not self._done
        return out
'''

# GraalPy's Java POSIX backend has no crypt(3): importing crypt (passlib does) died inside GraalPy with
# an UnsupportedPosixFeatureException Python cannot catch.
_ABSENT = {
    '_crypt': 'crypt needs the C library\'s crypt(3), which GraalPy 25.0 does not provide (the module is deprecated '
              'since Python 3.11): hash passwords with hashlib.pbkdf2_hmac or a pure-Python library',
}


class _Refusal:
    """A meta-path finder that answers the native standard-library modules before GraalPy's own finder."""

    def __init__(self, fenced):
        self.fenced = fenced

    def find_spec(self, name, path=None, target=None):
        if name in _ABSENT:
            raise ModuleNotFoundError(_ABSENT[name], name=name)
        if name == '_bz2':
            # GraalPy 25.0.3 embedded has no working _bz2 either way: fenced it is missing; with native
            # access its compressor dies inside GraalPy (NullPointerException in NFIBz2Support), which
            # Python cannot catch. Both modes get the server's.
            import importlib.util
            return importlib.util.spec_from_loader(name, _Bz2Loader(), origin='corral')
        if not self.fenced:
            return None
        if name in _REFUSED:
            raise ModuleNotFoundError('%s: %s' % (_REFUSED[name], _WAY_OUT), name=name)
        if name in _STAND_INS:
            import importlib.util
            return importlib.util.spec_from_loader(name, _StandInLoader(), origin='corral')
        return None


class _Bz2Loader:
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__dict__['_codec'] = _BZ2_CODEC[0]
        exec(_BZ2_STAND_IN, module.__dict__)


_BZ2_CODEC = [None]


class _StandInLoader:
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(_STAND_INS[module.__name__], module.__dict__)


_TERMIOS = '''
"""termios for a process with no terminal: every call fails with ENOTTY, as on a pipe."""
import errno as _errno


class error(Exception):
    pass


def _fail(fd, *rest):
    if not isinstance(fd, int) and not hasattr(fd, 'fileno'):
        raise TypeError('argument must be an int, or have a fileno() method.')
    raise error(_errno.ENOTTY, 'Inappropriate ioctl for device')


tcgetattr = tcsetattr = tcsendbreak = tcdrain = tcflush = tcflow = tcgetwinsize = tcsetwinsize = _fail

# Linux values, as CPython's termios has them.
TCSANOW, TCSADRAIN, TCSAFLUSH = 0, 1, 2
TCIFLUSH, TCOFLUSH, TCIOFLUSH = 0, 1, 2
TCOOFF, TCOON, TCIOFF, TCION = 0, 1, 2, 3
IGNBRK, BRKINT, IGNPAR, PARMRK, INPCK, ISTRIP, INLCR, IGNCR, ICRNL = 1, 2, 4, 8, 16, 32, 64, 128, 256
IUCLC, IXON, IXANY, IXOFF, IMAXBEL = 512, 1024, 2048, 4096, 8192
OPOST, OLCUC, ONLCR, OCRNL = 1, 2, 4, 8
CSIZE, CS5, CS6, CS7, CS8, CSTOPB, CREAD, PARENB, PARODD, HUPCL, CLOCAL = 48, 0, 16, 32, 48, 64, 128, 256, 512, 1024, 2048
ISIG, ICANON, XCASE, ECHO, ECHOE, ECHOK, ECHONL, NOFLSH, TOSTOP, ECHOCTL, ECHOPRT, ECHOKE, IEXTEN = (
    1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 32768)
VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP, VSUSP, VEOL = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
NCCS = 32
B0, B9600, B19200, B38400, B57600, B115200 = 0, 13, 14, 15, 4097, 4098
TIOCGWINSZ, TIOCSWINSZ = 21523, 21524
'''


# pyexpat imports, so what merely imports XML support at start works (pkg_resources imports plistlib,
# which imports xml.parsers.expat: Pyramid failed at import without this); parsing raises ImportError
# with the way out, the error xml.etree gives where expat is missing.
_PYEXPAT_STAND_IN = '''
"""pyexpat for a fenced worker: importable; creating a parser raises ImportError naming the way out."""
import types as _types

EXPAT_VERSION = 'expat_0.0.0 (not loaded: fenced worker)'
version_info = (0, 0, 0)
native_encoding = 'UTF-8'
features = []


class ExpatError(Exception):
    pass


error = ExpatError
XMLParserType = type('xmlparser', (), {})
model = _types.ModuleType('pyexpat.model')
model.XML_CTYPE_EMPTY, model.XML_CTYPE_ANY, model.XML_CTYPE_MIXED, model.XML_CTYPE_NAME, model.XML_CTYPE_CHOICE, \\
    model.XML_CTYPE_SEQ = 1, 2, 3, 4, 5, 6
model.XML_CQUANT_NONE, model.XML_CQUANT_OPT, model.XML_CQUANT_REP, model.XML_CQUANT_PLUS = 0, 1, 2, 3
errors = _types.ModuleType('pyexpat.errors')
errors.codes = {}
errors.messages = {}


def ErrorString(code):
    return None


def ParserCreate(encoding=None, namespace_separator=None, intern=None):
    raise ImportError(%r, name='pyexpat')
''' % ('%s: %s' % (_PYEXPAT, _WAY_OUT),)
_STAND_INS = {'termios': _TERMIOS, 'pyexpat': _PYEXPAT_STAND_IN}


def _character(function, ch):
    if not isinstance(ch, str):
        raise TypeError('%s() argument must be a unicode character, not %s' % (function, type(ch).__name__))
    if len(ch) != 1:
        raise TypeError('%s() argument must be a unicode character, not str' % function)
    return ord(ch)


_MISSING = object()


def _patch_unicodedata(db):
    import unicodedata

    def combining(chr, /):
        return db.combining(_character('combining', chr))

    def east_asian_width(chr, /):
        return db.eastAsianWidth(_character('east_asian_width', chr))

    def mirrored(chr, /):
        return 1 if db.mirrored(_character('mirrored', chr)) else 0

    def decomposition(chr, /):
        return db.decomposition(_character('decomposition', chr))

    def numeric(chr, default=_MISSING, /):
        value = db.numeric(_character('numeric', chr))
        if value != value:
            if default is _MISSING:
                raise ValueError('not a numeric character')
            return default
        return value

    def digit(chr, default=_MISSING, /):
        value = db.digit(_character('digit', chr))
        if value < 0:
            if default is _MISSING:
                raise ValueError('not a digit')
            return default
        return value

    def decimal(chr, default=_MISSING, /):
        value = db.decimal(_character('decimal', chr))
        if value < 0:
            if default is _MISSING:
                raise ValueError('not a decimal')
            return default
        return value

    def lookup(name, /):
        code = db.lookup(name, True)
        if code < 0:
            raise KeyError("undefined character name '%s'" % name)
        return chr(code)

    functions = dict(combining=combining, east_asian_width=east_asian_width, mirrored=mirrored,
                     decomposition=decomposition, numeric=numeric, digit=digit, decimal=decimal, lookup=lookup)
    for name, function in functions.items():
        function.__module__ = 'unicodedata'
        setattr(unicodedata, name, function)
    unicodedata.ucd_3_2_0 = _UCD320(db, unicodedata)


class _Runs:
    """One property over all code points, as runs: the value of the last run starting at or before it."""

    def __init__(self, encoded, convert):
        starts, values = encoded
        self.starts = [int(s, 16) for s in starts.split(',')]
        self.values = [convert(v) for v in values.split(',')]

    def __getitem__(self, code):
        return self.values[_bisect_right(self.starts, code) - 1]


class _UCD320:
    """unicodedata.ucd_3_2_0: Unicode 3.2.0's properties, as CPython answers them."""

    unidata_version = '3.2.0'

    def __init__(self, db, current):
        self._db = db
        self._current = current
        self._tables = None

    def _table(self, name):
        if self._tables is None:
            tables = {}
            exec(self._db.ucd320Tables(), tables)
            self._tables = {
                'category': _Runs(tables['CATEGORY'], str),
                'bidirectional': _Runs(tables['BIDIRECTIONAL'], str),
                'east_asian_width': _Runs(tables['EAST_ASIAN_WIDTH'], str),
                'mirrored': _Runs(tables['MIRRORED'], int),
                'combining': _Runs(tables['COMBINING'], int),
                'decimal': _Runs(tables['DECIMAL'], int),
                'digit': _Runs(tables['DIGIT'], int),
                'numeric': _Runs(tables['NUMERIC'], lambda v: float(v) if v else None),
                'corrected': tables['CORRECTED_NFD'],
            }
        return self._tables[name]

    def _assigned(self, code):
        return self._table('category')[code] != 'Cn'

    def category(self, chr, /):
        return self._table('category')[_character('category', chr)]

    def bidirectional(self, chr, /):
        return self._table('bidirectional')[_character('bidirectional', chr)]

    def east_asian_width(self, chr, /):
        return self._table('east_asian_width')[_character('east_asian_width', chr)]

    def mirrored(self, chr, /):
        return self._table('mirrored')[_character('mirrored', chr)]

    def combining(self, chr, /):
        return self._table('combining')[_character('combining', chr)]

    def _numeric_kind(self, kind, chr, default, message):
        value = self._table(kind)[_character(kind, chr)]
        if value is None or (kind != 'numeric' and value < 0):
            if default is _MISSING:
                raise ValueError(message)
            return default
        return value

    def decimal(self, chr, default=_MISSING, /):
        return self._numeric_kind('decimal', chr, default, 'not a decimal')

    def digit(self, chr, default=_MISSING, /):
        return self._numeric_kind('digit', chr, default, 'not a digit')

    def numeric(self, chr, default=_MISSING, /):
        return self._numeric_kind('numeric', chr, default, 'not a numeric character')

    def _if_assigned(self, function, chr, default, message):
        if self._assigned(_character(function, chr)):
            return getattr(self._current, function)(chr) if default is _MISSING else getattr(self._current, function)(chr, default)
        if default is _MISSING:
            raise ValueError(message)
        return default

    def name(self, chr, default=_MISSING, /):
        return self._if_assigned('name', chr, default, 'no such name')

    def decomposition(self, chr, /):
        return self._current.decomposition(chr) if self._assigned(_character('decomposition', chr)) else ''

    def lookup(self, name, /):
        # Unicode 3.2.0 had no name aliases: only true names, of characters assigned then.
        code = self._db.lookup(name, False)
        if code < 0 or not self._assigned(code):
            raise KeyError("undefined character name '%s'" % name)
        return chr(code)

    def normalize(self, form, unistr, /):
        if form not in ('NFC', 'NFKC', 'NFD', 'NFKD'):
            raise ValueError('invalid normalization form')
        if not isinstance(unistr, str):
            raise TypeError('normalize() argument 2 must be str, not %s' % type(unistr).__name__)
        # Normalization is stable for characters assigned in a version (Unicode's stability policy),
        # except the few whose mapping a corrigendum fixed: those get their 3.2.0 mapping, and characters
        # unassigned in 3.2.0 are left as they are, as CPython does.
        corrected = self._table('corrected')
        out, segment = [], []
        for ch in unistr:
            code = ord(ch)
            if code in corrected:
                segment.append(corrected[code])
            elif self._assigned(code):
                segment.append(ch)
            else:
                out.append(self._current.normalize(form, ''.join(segment)))
                out.append(ch)
                segment = []
        out.append(self._current.normalize(form, ''.join(segment)))
        return ''.join(out)

    def is_normalized(self, form, unistr, /):
        return self.normalize(form, unistr) == unistr


def _fill_gaps():
    """Functions GraalPy 25.0's builtin modules lack that CPython 3.12's have, from pure Python."""
    import binascii
    import errno
    import math
    # quopri decides at its import whether binascii has the quoted-printable codec; import it first so it
    # keeps its own pure-Python one, which the functions below then call.
    import quopri
    if not hasattr(binascii, 'a2b_qp'):
        # WebOb (so Pyramid) builds a table holding binascii.a2b_qp to parse every form post.
        def a2b_qp(data, header=False):
            import io
            out = io.BytesIO()
            quopri.decode(io.BytesIO(data.encode('ascii') if isinstance(data, str) else bytes(data)), out, header=header)
            return out.getvalue()

        # Unlike CPython's, this escapes a bare carriage return (=0D) even with istext; it decodes the same.
        def b2a_qp(data, quotetabs=False, istext=True, header=False):
            import io
            out = io.BytesIO()
            quopri.encode(io.BytesIO(bytes(data)), out, quotetabs=quotetabs, header=header)
            encoded = out.getvalue()
            return encoded if data.endswith(b'\n') or not encoded.endswith(b'\n') else encoded[:-1]

        binascii.a2b_qp, binascii.b2a_qp = a2b_qp, b2a_qp
    if not hasattr(binascii, 'b2a_uu'):
        def b2a_uu(data, *, backtick=False):
            data = bytes(data)
            if len(data) > 45:
                raise binascii.Error('At most 45 bytes at once')

            def char(six):
                return 0x60 if backtick and six == 0 else six + 0x20

            out = bytearray([char(len(data))])
            padded = data + b'\0' * (-len(data) % 3)
            for i in range(0, len(padded), 3):
                n = (padded[i] << 16) | (padded[i + 1] << 8) | padded[i + 2]
                out += bytes(char((n >> shift) & 0x3F) for shift in (18, 12, 6, 0))
            return bytes(out + b'\n')

        def a2b_uu(data):
            data = data.encode('ascii') if isinstance(data, str) else bytes(data)
            data = data.rstrip(b'\r\n')
            if not data:
                return b'\0' * 32
            length = (data[0] - 0x20) & 0x3F
            bits, count, out = 0, 0, bytearray()
            for c in data[1:]:
                if c in b' \t':
                    c = 0x20
                bits = (bits << 6) | ((c - 0x20) & 0x3F)
                count += 6
                if count >= 8:
                    count -= 8
                    out.append((bits >> count) & 0xFF)
            return bytes(out[:length]) + b'\0' * max(0, length - len(out))

        binascii.a2b_uu, binascii.b2a_uu = a2b_uu, b2a_uu
    if not hasattr(math, 'cbrt'):
        math.cbrt = lambda x: math.copysign(abs(float(x)) ** (1.0 / 3.0), x) if x else float(x)
    if not hasattr(math, 'exp2'):
        math.exp2 = lambda x: 2.0 ** float(x)
    if not hasattr(errno, 'ENOTSUP'):
        errno.ENOTSUP = errno.EOPNOTSUPP


_NO_EGRESS = ('this app may open no network connection: it declares no egress. Name the databases and '
              'services it connects to in the WebApp\'s spec.egress (server setting --egress, CORRAL_EGRESS), '
              'e.g. postgres.db.svc.cluster.local:5432; see docs/bundles.md, "Databases and other services"')


class _AfterImport:
    """Patches a module right after its first import, so an app that never imports it pays nothing."""

    def __init__(self, name, patch):
        self._name = name
        self._patch = patch

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self._name:
            return None
        sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader, patch = spec.loader, self._patch

        class _Patching:
            def create_module(self, spec):
                return loader.create_module(spec)

            def exec_module(self, module):
                loader.exec_module(module)
                patch(module)

        spec.loader = _Patching()
        return spec


_RESOLVERS = ('getaddrinfo', 'gethostbyname', 'gethostbyname_ex', 'gethostbyaddr', 'getnameinfo', 'socketpair')


def _refuse(*args, **kwargs):
    raise PermissionError(_errno.EACCES, _NO_EGRESS)


def _refuse_sockets():
    """Without declared egress GraalPy has no sockets at all, and its _socket fails with a Java exception
    Python cannot catch ("socket was excluded"); this makes each entry point raise PermissionError saying
    what to change. Cosmetic only: a bundle that restores the originals still gets no socket."""
    import _socket

    class socket(_socket.socket):
        __slots__ = ()  # socket.py's subclass declares __weakref__ itself

        def __init__(self, *args, **kwargs):
            _refuse()

    for name in _RESOLVERS:
        if hasattr(_socket, name):
            setattr(_socket, name, _refuse)
    _socket.socket = _socket.SocketType = socket


def _refuse_socket_module(socket):
    """The socket module's own copies, for a module imported before the fence ran."""
    for name in _RESOLVERS + ('create_connection', 'create_server', 'getfqdn'):
        if hasattr(socket, name):
            setattr(socket, name, _refuse)
    # socket.socket subclasses the _socket.socket of its import, which may predate the fence.
    socket.socket.__init__ = _refuse


def _egress_sockets(guard):
    """Connects that say why they failed, and what GraalPy's sockets lack, over the server's EgressGuard.

    Only messages and timeouts live here: the decision is the server's, at the JVM's own connect
    (ConnectGate), which _socket, IP literals and re-resolved names all reach alike.
    """
    def patch(socket):
        base_connect = socket.socket.connect

        def connect(self, address):
            timeout = self.gettimeout()
            if timeout:
                guard.connectDeadline(timeout)
            try:
                base_connect(self, address)
            except OSError as e:
                if timeout and guard.connectDone():
                    raise TimeoutError('timed out') from None
                why = guard.takeRefusal() if isinstance(e, PermissionError) else None
                if why is None:
                    raise
                raise PermissionError(e.errno, why) from None
            if timeout:
                guard.connectDone()

        socket.socket.connect = connect

        # GraalPy 25.0's sockets refuse TCP keep-alive timing (ENOPROTOOPT), which redis-py 6+ sets on every
        # connection by default; accepted and not applied, so the kernel's keep-alive defaults hold.
        unsupported = {getattr(socket, name) for name in ('TCP_KEEPIDLE', 'TCP_KEEPINTVL', 'TCP_KEEPCNT')
                       if hasattr(socket, name)}
        base_setsockopt = socket.socket.setsockopt

        def setsockopt(self, level, option, *value):
            try:
                return base_setsockopt(self, level, option, *value)
            except OSError as e:
                if level == socket.IPPROTO_TCP and option in unsupported and e.errno == _errno.ENOPROTOOPT:
                    return None
                raise

        socket.socket.setsockopt = setsockopt
    return patch


def install_fence(db, bz2, native_modules, egress=None):
    """Run before the bundle's import; with native modules allowed GraalPy's own modules serve.

    egress is the server's EgressGuard when the app may connect to declared destinations, else None.
    """
    _BZ2_CODEC[0] = bz2
    _fill_gaps()
    if not native_modules:
        _patch_unicodedata(db)
    sys.meta_path.insert(0, _Refusal(fenced=not native_modules))
    if egress is None:
        _refuse_sockets()
    patch = _refuse_socket_module if egress is None else _egress_sockets(egress)
    if 'socket' in sys.modules:
        patch(sys.modules['socket'])
    else:
        sys.meta_path.insert(0, _AfterImport('socket', patch))
