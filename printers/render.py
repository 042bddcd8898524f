"""Kitchen tickets as ESC/POS bytes, rendered once per job so a retry prints the same paper.

Printed with python-escpos's ``Dummy`` printer and magic encoding switched off: the bytes
depend only on the ticket, never on what code page the library guessed last, so golden tests
can compare them and a backup printer gets exactly what the primary would have.

Paper is read at arm's length over a hot pass: the station, table, check, server and time
are big, each item is big, details are indented under it, allergies are white on black.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from escpos.printer import Dummy

#: CP858 is CP850 with the euro sign: "Crème Brûlée" prints as the menu spells it.
CODE_PAGE = "CP858"
INDENT = "   "


@dataclass(frozen=True, slots=True)
class PrintItem:
    name: str
    quantity: int
    modifiers: str = ""
    note: str = ""
    seat: int | None = None
    course: str = ""
    #: Voided after this ticket was fired: a reprint must not send it back to the grill.
    voided: bool = False


@dataclass(frozen=True, slots=True)
class PrintTicket:
    """What goes on paper: a kitchen ticket with its times already in local time."""

    station: str
    table: str
    check_number: int
    server: str
    #: Fire time as the kitchen's clock shows it ("19:42").
    fired: str
    seq: int
    items: tuple[PrintItem, ...]
    allergies: str = ""
    #: A void ticket tells the station to stop making these items.
    void: bool = False


#: Control characters (C0 and DEL) become spaces; one table, applied in C by str.translate.
_CONTROLS = {c: " " for c in [*range(0x20), 0x7F]}


def clean(text: str) -> str:
    """Typed text must never become printer commands: a note holding ``ESC`` or ``GS V``
    would otherwise restyle the ticket or cut it in two."""
    return text.translate(_CONTROLS).strip()


class _Slip:
    """A Dummy printer plus the few text styles a kitchen ticket uses."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.out = Dummy()
        self.out.hw("INIT")
        # Selects the code page on the printer (ESC t) and turns magic encoding off.
        self.out.charcode(CODE_PAGE)

    def line(
        self,
        text: str,
        *,
        big: bool = False,
        tall: bool = False,
        bold: bool = False,
        invert: bool = False,
        center: bool = False,
        indent: str = "",
    ) -> None:
        width = self.columns // 2 if big else self.columns
        parts = textwrap.wrap(
            clean(text), width, initial_indent=indent, subsequent_indent=indent + "  "
        )
        for part in parts or [""]:
            self.out.set(
                align="center" if center else "left",
                bold=bold,
                invert=invert,
                normal_textsize=not (big or tall),
                double_width=big,
                double_height=big or tall,
            )
            self.out.textln(part)

    def pair(self, left: str, right: str, *, big: bool = False) -> None:
        """Two things on one line (left and right) when they fit, else one under the other."""
        width = self.columns // 2 if big else self.columns
        left, right = clean(left), clean(right)
        if len(left) + len(right) + 1 <= width:
            self.line(left + right.rjust(width - len(left)), big=big)
        else:
            self.line(left, big=big)
            self.line(right, big=big)

    def rule(self) -> None:
        self.line("-" * self.columns)

    def cut(self) -> bytes:
        self.out.set(align="left", bold=False, invert=False, normal_textsize=True)
        self.out.cut()
        return bytes(self.out.output)


def render_ticket(
    ticket: PrintTicket,
    *,
    columns: int = 42,
    reprint: bool = False,
    backup_from: str | None = None,
) -> bytes:
    """The ESC/POS bytes of one kitchen ticket (or void ticket), cut at the end."""
    slip = _Slip(columns)
    if backup_from:
        # The cook at the backup must know whose ticket this is, and walk it over.
        slip.line(f"BACKUP FROM {backup_from}", tall=True, bold=True, invert=True, center=True)
    if reprint:
        # A reprint is not new food: nobody should fire it a second time.
        slip.line("REPRINT", big=True, bold=True, center=True)
    if ticket.void:
        slip.line("*** VOID ***", big=True, bold=True, invert=True, center=True)
    slip.line(ticket.station.upper(), big=True, bold=True, center=True)
    slip.pair(f"Table {ticket.table}", f"#{ticket.check_number}", big=True)
    slip.pair(ticket.server, ticket.fired, big=True)
    slip.line(f"{ticket.station} ticket {ticket.seq}")
    slip.rule()
    if ticket.allergies:
        slip.line(f"ALLERGY: {ticket.allergies}", tall=True, bold=True, invert=True)
        slip.rule()
    for item in ticket.items:
        verb = "VOID " if ticket.void or item.voided else ""
        slip.line(f"{verb}{item.quantity}x {item.name}", big=True, bold=True)
        where = [f"Seat {item.seat}" if item.seat else "", item.course.title()]
        if any(where):
            slip.line("  ".join(w for w in where if w), indent=INDENT)
        for modifier in (m for m in item.modifiers.split(", ") if m.strip()):
            slip.line(f"+ {modifier}", bold=True, indent=INDENT)
        if item.note:
            slip.line(f"NOTE: {item.note}", bold=True, indent=INDENT)
    slip.rule()
    if ticket.void:
        slip.line("*** VOID ***", big=True, bold=True, invert=True, center=True)
    return slip.cut()
