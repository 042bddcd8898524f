"""ESC/POS bytes back into lines of text: what a sheet of kitchen paper would show.

The fake printer decodes every job with this, and golden tests compare the lines with what
a cook should read. It is incremental (``Decoder.feed`` takes bytes as they arrive over TCP,
a command split across two reads waits for the rest) and reports status queries in stream
order, because a real printer answers ``DLE EOT n`` / ``GS r n`` as soon as it reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, DLE, FS, LF = 0x1B, 0x1D, 0x10, 0x1C, 0x0A

#: ``ESC t n`` code page numbers (Epson's table) and Python's codec for each.
CODE_PAGES = {0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 16: "cp1252"}
CODE_PAGES |= {17: "cp866", 18: "cp852", 19: "cp858"}

#: Total length of ``ESC x ...`` commands with fixed arguments (command bytes included).
_ESC_LENGTHS = {ord(c): 3 for c in "!EG-at3JMV{RrU =de"} | {ord(c): 4 for c in "B$\\c"}
_ESC_LENGTHS[ord("p")] = 5  # ESC p m t1 t2: kick the cash drawer
_GS_LENGTHS = {ord(c): 3 for c in "!BrhwHfbaI/"} | {ord(c): 4 for c in "LWP$\\"}


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line and how it looked (big = double width or height)."""

    text: str
    big: bool = False
    inverted: bool = False
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Cut:
    """The knife: one ticket ends here."""


@dataclass(frozen=True, slots=True)
class StatusQuery:
    """``DLE EOT n`` (``command="DLE EOT"``) or ``GS r n``: the printer must answer now."""

    command: str
    n: int


Event = Line | Cut | StatusQuery


@dataclass
class Decoder:
    """Feed it bytes, get back lines, cuts and status queries in the order they were sent."""

    _buffer: bytearray = field(default_factory=bytearray)
    _text: list[str] = field(default_factory=list)
    _big: bool = False
    _inverted: bool = False
    _bold: bool = False
    _line_big: bool = False
    _line_inverted: bool = False
    _line_bold: bool = False
    _codec: str = "cp437"

    def feed(self, data: bytes) -> list[Event]:
        self._buffer += data
        events: list[Event] = []
        i = 0
        while i < len(self._buffer):
            used = self._step(i, events)
            if used == 0:  # an incomplete command: wait for the rest of it
                break
            i += used
        del self._buffer[:i]
        return events

    def flush(self) -> list[Event]:
        """The connection closed: a half-written last line still counts as printed."""
        return [self._end_line()] if self._text else []

    # --- one command or character at position i; returns bytes used (0 = need more) ---

    def _step(self, i: int, events: list[Event]) -> int:
        buf = self._buffer
        byte = buf[i]
        if byte == LF or byte == 0x0C:
            events.append(self._end_line())
            return 1
        if byte == ESC:
            return self._esc(i, events)
        if byte == GS:
            return self._gs(i, events)
        if byte == DLE:
            if i + 1 >= len(buf):
                return 0
            if buf[i + 1] in (0x04, 0x05):  # DLE EOT n / DLE ENQ n
                if i + 2 >= len(buf):
                    return 0
                if buf[i + 1] == 0x04:
                    events.append(StatusQuery("DLE EOT", buf[i + 2]))
                return 3
            return 5 if buf[i + 1] == 0x14 else 2  # DLE DC4 fn m t (pulse, power off)
        if byte == FS:  # kanji modes; FS p n m prints a stored logo
            if i + 1 >= len(buf):
                return 0
            return self._need(i, 4 if buf[i + 1] == ord("p") else 2)
        if byte == 0x09:
            self._add(" ")
            return 1
        if byte < 0x20 or byte == 0x7F:
            return 1  # other control bytes print nothing
        end = i
        while end < len(buf) and buf[end] >= 0x20 and buf[end] != 0x7F:
            end += 1
        self._add(bytes(buf[i:end]).decode(self._codec, errors="replace"))
        return end - i

    def _need(self, i: int, length: int) -> int:
        return length if i + length <= len(self._buffer) else 0

    def _esc(self, i: int, events: list[Event]) -> int:
        buf = self._buffer
        if i + 1 >= len(buf):
            return 0
        cmd = buf[i + 1]
        if cmd == ord("D"):  # tab stops: up to a NUL
            end = buf.find(0, i + 2)
            return 0 if end < 0 else end - i + 1
        length = _ESC_LENGTHS.get(cmd, 2)
        if not self._need(i, length):
            return 0
        arg = buf[i + 2] if length > 2 else 0
        if cmd == ord("@"):
            self._big = self._inverted = self._bold = False
            self._codec = "cp437"
        elif cmd == ord("!"):
            self._big, self._bold = bool(arg & 0x30), bool(arg & 0x08)
        elif cmd == ord("E"):
            self._bold = bool(arg & 1)
        elif cmd == ord("t"):
            self._codec = CODE_PAGES.get(arg, "cp437")
        elif cmd == ord("d"):  # print and feed n lines
            events.extend(self._end_line() for _ in range(max(arg, 1)))
        elif cmd in (ord("i"), ord("m")):  # old partial cut commands
            events.append(Cut())
        return length

    def _gs(self, i: int, events: list[Event]) -> int:
        buf = self._buffer
        if i + 2 >= len(buf):
            return 0
        cmd, arg = buf[i + 1], buf[i + 2]
        if cmd == ord("V"):  # cut: GS V m, or GS V m n for "feed then cut"
            length = 4 if arg in (65, 66, 97, 98, 103, 104) else 3
            if not self._need(i, length):
                return 0
            events.append(Cut())
            return length
        if cmd == ord("("):  # GS ( fn pL pH data
            return self._need(i, 5 + buf[i + 3] + 256 * buf[i + 4]) if i + 4 < len(buf) else 0
        if cmd == ord("v") and arg == ord("0"):  # raster image: GS v 0 m xL xH yL yH data
            if i + 7 >= len(buf):
                return 0
            width, height = buf[i + 4] + 256 * buf[i + 5], buf[i + 6] + 256 * buf[i + 7]
            return self._need(i, 8 + width * height)
        if cmd == ord("k"):  # barcode: NUL-terminated (m < 65) or length-prefixed
            if arg < 65:
                end = buf.find(0, i + 3)
                return 0 if end < 0 else end - i + 1
            return self._need(i, 4 + buf[i + 3]) if i + 3 < len(buf) else 0
        if cmd == ord("!"):
            self._big = arg != 0
        elif cmd == ord("B"):
            self._inverted = bool(arg & 1)
        elif cmd == ord("r"):
            events.append(StatusQuery("GS r", arg))
        return _GS_LENGTHS.get(cmd, 2)

    # --- text ---

    def _add(self, text: str) -> None:
        if not text:
            return
        if text.strip():
            self._line_big |= self._big
            self._line_inverted |= self._inverted
            self._line_bold |= self._bold
        self._text.append(text)

    def _end_line(self) -> Line:
        text = "".join(self._text).rstrip()
        line = Line(text, self._line_big, self._line_inverted, self._line_bold)
        self._text = []
        self._line_big = self._line_inverted = self._line_bold = False
        return line


def decode(data: bytes) -> list[Line | Cut]:
    """Every line and cut of a complete job (status queries left out)."""
    decoder = Decoder()
    events = decoder.feed(data) + decoder.flush()
    return [e for e in events if not isinstance(e, StatusQuery)]


def text_lines(data: bytes) -> list[str]:
    """Plain text as a cook reads it: trailing blank feed lines dropped, ``[cut]`` for cuts."""
    out: list[str] = []
    for event in decode(data):
        if isinstance(event, Cut):
            while out and out[-1] == "":
                out.pop()
            out.append("[cut]")
        else:
            out.append(event.text)
    while out and out[-1] == "":
        out.pop()
    return out
