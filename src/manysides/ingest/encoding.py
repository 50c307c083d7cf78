"""Bytes -> str: UTF-8 first, then the BOM or charset the bytes declare, then charset-normalizer."""

from __future__ import annotations

import codecs
import re

from manysides.errors import IngestError

# Checked longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Controls other than tab/newline/carriage return/form feed; a text with many is binary in disguise.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def looks_binary(head: bytes) -> bool:
    """NUL bytes in the first few KB mean binary, unless a UTF-16/32 BOM explains them."""
    if bom_encoding(head) not in (None, "utf-8"):
        return False
    return b"\x00" in head[:_SNIFF_BYTES]


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its first KB, if Python knows it."""
    head = data[:2048]
    match = _META_CHARSET.search(head) or re.search(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9._-]+)""", head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, *, source: str, declared: str | None = None) -> str:
    """Decode one input's bytes or raise ``IngestError`` saying why it is not text.

    Order: a BOM (exact), UTF-8 (most inputs; cheap and unambiguous when it
    succeeds), the charset the transport or document declares, then
    charset-normalizer's best guess.
    """
    if looks_binary(data):
        raise IngestError(source, "binary file, not text", code="E012")
    bom = bom_encoding(data)
    if bom:
        try:
            return data[len(_bom_bytes(bom)) :].decode(bom)
        except UnicodeDecodeError:
            raise IngestError(source, f"starts with a {bom} byte-order mark but is not {bom}") from None
    try:
        return _reject_controls(data.decode("utf-8"), source=source)
    except UnicodeDecodeError:
        pass
    for candidate in (declared, declared_charset(data)):
        if not candidate:
            continue
        try:
            if codecs.lookup(candidate).name != "utf-8":
                return _reject_controls(data.decode(candidate), source=source)
        except (UnicodeDecodeError, LookupError):
            continue
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise IngestError(source, "not UTF-8 and no charset could be detected")
    return _reject_controls(str(best), source=source)


def decode_line(line: bytes, *, source: str) -> str:
    """One line of a streamed file (JSONL): UTF-8, else a per-line guess."""
    if line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8) :]
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(line, source=source)


def _bom_bytes(encoding: str) -> bytes:
    return next(bom for bom, name in _BOMS if name == encoding)


def _reject_controls(text: str, *, source: str) -> str:
    sample = text[:_SNIFF_BYTES]
    if sample and len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise IngestError(source, "binary file, not text", code="E012")
    return text
