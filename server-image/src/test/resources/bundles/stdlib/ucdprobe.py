"""Digests of unicodedata's answers over ranges of code points; run by GraalPy in the bundle and by
CPython in the test, which compares the two."""
import hashlib
import unicodedata

UCD_3_2_0_PROPERTIES = ('category', 'bidirectional', 'east_asian_width', 'mirrored', 'combining',
                        'decimal', 'digit', 'numeric', 'decomposition', 'name', 'nfd', 'nfkc')
CURRENT_PROPERTIES = ('combining', 'east_asian_width', 'mirrored', 'decomposition', 'decimal', 'digit', 'numeric')
IDNA_NAMES = ('bücher.example', 'straße.de', 'ÉCOLE.fr', 'xn--mller-kva.example', 'пример.испытание', '例え.テスト',
              'ex\u00adample.com', 'a\u200bb.com', 'ﬁnance.com', 'ｆｕｌｌｗｉｄｔｈ.jp', 'münchen\u3002de')


def _value(db, prop, ch):
    try:
        if prop == 'nfd':
            return db.normalize('NFD', ch)
        if prop == 'nfkc':
            return db.normalize('NFKC', ch)
        function = getattr(db, prop)
        if prop in ('decimal', 'digit', 'numeric', 'name'):
            return function(ch, None)
        return function(ch)
    except Exception as e:
        return 'error:' + type(e).__name__


def values(db, prop, start, end, keep=None):
    return [(code, _value(db, prop, chr(code))) for code in range(start, end) if keep is None or keep(code)]


def digest(db, prop, start, end, keep=None):
    h = hashlib.sha256()
    for code, value in values(db, prop, start, end, keep):
        # ascii(), not repr(): repr leaves printable characters as they are, and which characters are
        # printable depends on the Unicode version of the interpreter.
        h.update(('%x=%s;' % (code, ascii(value))).encode('ascii'))
    return h.hexdigest()


def _sampled(code):
    # Every code point where Unicode 3.2.0's properties vary most (alphabets, symbols, Yi, compatibility
    # forms, musical and mathematical symbols, CJK compatibility, tags), every 61st elsewhere.
    return (code < 0x3400 or 0xA000 <= code < 0xA4D0 or 0xF900 <= code < 0x10000 or 0x1D000 <= code < 0x1D800
            or 0x2F800 <= code < 0x2FA20 or 0xE0000 <= code < 0xE0080 or code % 61 == 0)


def ucd_3_2_0_digests(props=UCD_3_2_0_PROPERTIES):
    """Per property, a digest per block of 4096 code points, so a difference says where it is."""
    return {prop: {'%x' % block: digest(unicodedata.ucd_3_2_0, prop, block, block + 0x1000, _sampled)
                   for block in range(0, 0x110000, 0x1000)} for prop in props}


def idna():
    out = {}
    for name in IDNA_NAMES:
        try:
            encoded = name.encode('idna')
            out[name] = [encoded.decode('ascii'), encoded.decode('idna')]
        except Exception as e:
            out[name] = 'error:' + type(e).__name__ + ': ' + str(e)
    return out


