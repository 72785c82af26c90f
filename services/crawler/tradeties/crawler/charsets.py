"""Character encodings of fetched documents: HTML pages and XML feeds/sitemaps → text.

HTML pages are decoded in this order, the first that applies winning:
1. a byte-order mark (UTF-8, UTF-16);
2. the HTTP ``charset``, then ``<meta charset>`` in the first 4 KB, each decoded strictly — except
   that a UTF-16/32 label in a page that has no BOM means UTF-8 (HTML standard), and a
   single-byte label (Latin-1, cp1252, ASCII) over bytes that are valid UTF-8 with non-ASCII
   characters means UTF-8 (such bytes are practically never meant as Latin-1: ``ZÃ¼rich``);
3. UTF-8, strictly;
4. ``charset-normalizer``'s best guess (a cp1251 page labelled UTF-8, unlabelled GBK);
5. cp1252 with replacement characters — never an exception.

Labels are read as the WHATWG Encoding Standard does: GB2312 and GBK are decoded as GB18030,
Big5 as Big5-HKSCS, Shift_JIS as cp932, EUC-KR as cp949 and Latin-1/ASCII as cp1252 (their
supersets, which real pages labelled so use).

XML (feeds, sitemaps) declares its encoding in the XML declaration; expat reads only UTF-8,
UTF-16 and single-byte encodings, so a document in any other encoding is transcoded to UTF-8
(and its declaration rewritten) before any XML parser sees it.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from tradeties.common.errors import PermanentError

_HEAD = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9_.:-]+)(["'])""")
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "tis_620": "cp874",
}
_SINGLE_BYTE_LATIN = {"cp1252", "latin_1", "ascii"}
_EXPAT_NATIVE = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "latin_1", "iso8859-1"}


class BadEncoding(PermanentError):
    reason = "bad_encoding"


def codec_name(label: str | bytes | None) -> str | None:
    """Python codec for an encoding label (WHATWG supersets applied); None when unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name
    except LookupError:
        return None
    return _SUPERSETS.get(name.replace("-", "_"), name)


def _bom(body: bytes) -> tuple[str, int] | None:
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0  # the utf-16 codec consumes its BOM
    return None


def _is_utf8_beyond_ascii(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _label_fix(name: str | None, body: bytes) -> str | None:
    if name is None:
        return None
    if name.startswith(("utf_16", "utf_32", "utf-16", "utf-32")):
        return "utf-8"  # no BOM: the label is wrong (an ASCII-compatible page declares it)
    if name in _SINGLE_BYTE_LATIN and _is_utf8_beyond_ascii(body):
        return "utf-8"
    return name


def decode_html(body: bytes, http_charset: str | None) -> str:
    """Text of an HTML page, in the order of the module docstring; never raises."""
    if bom := _bom(body):
        return body[bom[1] :].decode(bom[0], errors="replace")
    meta = _META_CHARSET.search(body[:_HEAD])
    tried: list[str] = []
    for name in (
        _label_fix(codec_name(http_charset), body),
        _label_fix(codec_name(meta.group(1)) if meta else None, body),
        "utf-8",
    ):
        if name and name not in tried:
            tried.append(name)
            try:
                return body.decode(name)
            except (UnicodeDecodeError, LookupError):
                continue
    guess = charset_normalizer.from_bytes(body[:200_000]).best()
    if guess is not None and (name := codec_name(guess.encoding)):
        return body.decode(name, errors="replace")
    return body.decode("cp1252", errors="replace")


def xml_as_utf8(body: bytes) -> bytes:
    """``body`` unchanged when expat can read it, else transcoded to UTF-8 with its XML declaration
    saying so. Raises BadEncoding for an unknown label or bytes that are not in the declared encoding."""
    if _bom(body):
        return body
    m = _XML_DECL.match(body[:512])
    if not m:
        return body
    try:
        if codecs.lookup(m.group(2).decode("ascii")).name in _EXPAT_NATIVE:
            return body
    except LookupError:
        raise BadEncoding(f"XML declares an unknown encoding {m.group(2)[:40]!r}") from None
    name = codec_name(m.group(2)) or "utf-8"
    try:
        text = body.decode(name)
    except UnicodeDecodeError as exc:
        raise BadEncoding(f"XML is not valid {name}: {exc}") from exc
    # The declaration is ASCII in every encoding that reaches here, so its length is the same in text.
    return m.group(1) + b"utf-8" + m.group(3) + text[m.end() :].encode("utf-8")
