"""Golden tickets: the ESC/POS bytes decoded back to what a cook reads (KDS-5's paper side)."""

from __future__ import annotations

from printers.decode import Cut, Line, decode, text_lines
from printers.render import PrintItem, PrintTicket, render_ticket

RIBEYE = PrintItem("Ribeye 12oz", 1, "Medium rare, Mash", "no salt", seat=2, course="mains")
SALMON = PrintItem("Salmon", 2, "Greens", "", seat=None, course="mains")
TABLE_5 = PrintTicket(
    station="Grill",
    table="5",
    check_number=12,
    server="Maria",
    fired="19:42",
    seq=7,
    items=(RIBEYE, SALMON),
    allergies="sesame, shellfish",
)
RULE = "-" * 42
BODY = [
    "GRILL",
    "Table 5           #12",
    "Maria           19:42",
    "Grill ticket 7",
    RULE,
    "ALLERGY: sesame, shellfish",
    RULE,
    "1x Ribeye 12oz",
    "   Seat 2  Mains",
    "   + Medium rare",
    "   + Mash",
    "   NOTE: no salt",
    "2x Salmon",
    "   Mains",
    "   + Greens",
    RULE,
    "[cut]",
]


def test_kitchen_ticket_reads_station_table_check_server_time_items_and_is_cut() -> None:
    assert text_lines(render_ticket(TABLE_5)) == BODY


def test_ticket_bytes_are_exact_and_start_with_init_and_code_page() -> None:
    payload = render_ticket(TABLE_5)
    assert payload.startswith(b"\x1b@\x1bt\x13")  # ESC @, then ESC t 19 (CP858)
    assert payload.endswith(b"\x1bd\x06\x1dV\x00")  # feed past the knife, full cut
    assert payload == render_ticket(TABLE_5)  # rendered once = printed the same every time


def test_big_text_for_what_the_pass_reads_and_allergies_white_on_black() -> None:
    lines = {e.text: e for e in decode(render_ticket(TABLE_5)) if isinstance(e, Line)}
    for big in ("GRILL", "Table 5           #12", "Maria           19:42", "1x Ribeye 12oz"):
        assert lines[big].big, big
    assert lines["ALLERGY: sesame, shellfish"].inverted
    assert lines["ALLERGY: sesame, shellfish"].bold
    assert not lines["1x Ribeye 12oz"].inverted
    assert not lines["   + Mash"].big  # details stay small, indented under their item


def test_void_ticket_says_void_above_and_below_and_on_each_item() -> None:
    void = PrintTicket("Cold", "2", 3, "Maria", "20:05", 4, (PrintItem("Burrata", 1),), void=True)
    assert text_lines(render_ticket(void)) == [
        "*** VOID ***",
        "COLD",
        "Table 2            #3",
        "Maria           20:05",
        "Cold ticket 4",
        RULE,
        "VOID 1x Burrata",
        RULE,
        "*** VOID ***",
        "[cut]",
    ]
    header = next(e for e in decode(render_ticket(void)) if isinstance(e, Line))
    assert header.inverted and header.big


def test_reprint_says_reprint_before_anything_else() -> None:
    assert text_lines(render_ticket(TABLE_5, reprint=True)) == ["REPRINT", *BODY]


def test_backup_ticket_names_the_printer_it_was_meant_for() -> None:
    lines = text_lines(render_ticket(TABLE_5, backup_from="Grill"))
    assert lines == ["BACKUP FROM Grill", *BODY]
    first = decode(render_ticket(TABLE_5, backup_from="Grill"))[0]
    assert isinstance(first, Line) and first.inverted


def test_backup_of_a_reprint_keeps_both_marks() -> None:
    lines = text_lines(render_ticket(TABLE_5, reprint=True, backup_from="Grill"))
    assert lines[:3] == ["BACKUP FROM Grill", "REPRINT", "GRILL"]


def test_an_item_voided_since_the_ticket_fired_reprints_as_void() -> None:
    burrata = PrintItem("Burrata", 1, voided=True)
    ticket = PrintTicket("Cold", "2", 3, "Maria", "20:05", 4, (burrata,))
    assert "VOID 1x Burrata" in text_lines(render_ticket(ticket, reprint=True))


def test_long_names_wrap_at_half_width_for_big_text_and_58mm_paper() -> None:
    item = PrintItem("Half Lobster with Garlic Butter and Fries", 1)
    ticket = PrintTicket("Grill", "P8", 101, "Sam", "21:10", 1, (item,))
    lines = text_lines(render_ticket(ticket, columns=32))
    # Double width on 32 columns leaves 16: the name wraps under itself, indented.
    start = lines.index("1x Half Lobster")
    assert lines[start : start + 4] == [
        "1x Half Lobster",
        "  with Garlic",
        "  Butter and",
        "  Fries",
    ]
    assert all(len(line) <= 32 for line in lines)


def test_accents_print_in_the_code_page_not_as_question_marks() -> None:
    ticket = PrintTicket("Pastry", "9", 5, "Zoë", "22:00", 2, (PrintItem("Crème Brûlée", 2),))
    lines = text_lines(render_ticket(ticket))
    assert "2x Crème Brûlée" in lines
    assert any(line.startswith("Zoë") for line in lines)


def test_typed_control_bytes_cannot_cut_or_restyle_the_ticket() -> None:
    """A note holding GS V (cut) or ESC ! (size) prints as text, never as a command."""
    sneaky = PrintItem("Soup of the Day", 1, note="extra hot\x1dV\x00\x1b!\x30 please\n")
    ticket = PrintTicket("Cold", "1", 2, "Maria", "18:00", 1, (sneaky,))
    events = decode(render_ticket(ticket))
    assert [e for e in events if isinstance(e, Cut)] == [Cut()]
    assert "   NOTE: extra hot V  !0 please" in text_lines(render_ticket(ticket))
