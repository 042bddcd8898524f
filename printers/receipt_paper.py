"""A fast stand-in for python-escpos's ``Dummy`` on receipts, giving exactly its bytes.

A receipt is rendered inside the payment's transaction, so its cost is paid on every close.
``Dummy`` re-derives each style command and encodes text one character at a time through its
magic encoder; a receipt uses a handful of styles and one code page. So each style's bytes
are asked of a real ``Dummy`` once and kept, and text is encoded with the same CP858 map the
library uses (magic encoding off, as in ``printers.render``): same paper, a fraction of the
CPU. ``tests/unit/test_receipt_render.py`` compares the bytes.
"""

from __future__ import annotations

from typing import Any

from escpos.printer import Dummy

from printers.render import CODE_PAGE, _Slip


def _dummy_bytes(**style: Any) -> bytes:
    out = Dummy()
    out.set(**style)
    return bytes(out.output)


def _start() -> bytes:
    out = Dummy()
    out.hw("INIT")
    out.charcode(CODE_PAGE)
    return bytes(out.output)


def _cut() -> bytes:
    out = Dummy()
    out.cut()
    return bytes(out.output)


_START = _start()
_CUT = _cut()
_CHARMAP: dict[str, int] = Dummy().magic.encoder._get_codepage_char_map(CODE_PAGE)
_UNKNOWN = ord("?")  # what the library prints for a character the code page lacks
_STYLES: dict[tuple[tuple[str, Any], ...], bytes] = {}


def _encode(text: str) -> bytes:
    if text.isascii():
        return text.encode("ascii")
    return bytes(ord(c) if ord(c) < 128 else _CHARMAP.get(c, _UNKNOWN) for c in text)


class _Paper:
    """The part of ``Dummy``'s interface a slip uses: ``set``, ``textln``, ``cut``."""

    def __init__(self) -> None:
        self._chunks = [_START]

    def set(self, **style: Any) -> None:
        key = tuple(sorted(style.items()))
        made = _STYLES.get(key)
        if made is None:
            made = _STYLES[key] = _dummy_bytes(**style)
        self._chunks.append(made)

    def textln(self, text: str = "") -> None:
        self._chunks.append(_encode(f"{text}\n"))

    def cut(self) -> None:
        self._chunks.append(_CUT)

    @property
    def output(self) -> bytes:
        return b"".join(self._chunks)


class ReceiptSlip(_Slip):
    """``printers.render._Slip`` writing to a ``_Paper``: the same lines, pairs and rules."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.out = _Paper()
