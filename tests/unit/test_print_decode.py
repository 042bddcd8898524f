"""The decoder the fake printer listens with: text, styles, cuts and status queries in order."""

from __future__ import annotations

from escpos.printer import Dummy

from printers.decode import Cut, Decoder, Line, StatusQuery, decode, text_lines
from printers.fake import status_answer
from printers.render import PrintItem, PrintTicket, render_ticket

TICKET = render_ticket(
    PrintTicket("Bar", "Bar 1", 40, "Lee", "17:30", 3, (PrintItem("Negroni", 2, note="orange"),))
)


def test_status_queries_come_out_in_stream_order_between_the_lines() -> None:
    events = Decoder().feed(b"\x10\x04\x04\x10\x04\x01" + b"hello\n" + b"\x1dr\x01")
    assert events == [
        StatusQuery("DLE EOT", 4),
        StatusQuery("DLE EOT", 1),
        Line("hello"),
        StatusQuery("GS r", 1),
    ]


def test_bytes_split_anywhere_decode_the_same_as_in_one_piece() -> None:
    whole = Decoder().feed(TICKET)
    for size in (1, 2, 3, 7, 64):
        decoder = Decoder()
        pieces = []
        for i in range(0, len(TICKET), size):
            pieces += decoder.feed(TICKET[i : i + size])
        assert pieces == whole, size


def test_a_command_cut_in_half_waits_for_its_other_half() -> None:
    decoder = Decoder()
    assert decoder.feed(b"\x1d") == []
    assert decoder.feed(b"V") == []
    assert decoder.feed(b"\x00") == [Cut()]


def test_python_escpos_styles_images_and_barcodes_do_not_leak_into_the_text() -> None:
    printer = Dummy()
    printer.set(bold=True, double_width=True, double_height=True, invert=True, align="center")
    printer.textln("TABLE 7")
    printer.set(normal_textsize=True, bold=False, invert=False)
    printer.barcode("1234567890128", "EAN13", function_type="A")
    printer.textln("after")
    printer.cut()
    events = decode(printer.output)
    assert Line("TABLE 7", big=True, inverted=True, bold=True) in events
    assert [e.text for e in events if isinstance(e, Line) and e.text] == ["TABLE 7", "after"]
    assert events[-1] == Cut()


def test_text_lines_end_each_ticket_with_a_cut_and_no_blank_feed() -> None:
    lines = text_lines(TICKET + TICKET)
    assert lines.count("[cut]") == 2
    assert lines[lines.index("[cut]") - 1] == "-" * 42


def test_fake_printer_answers_like_an_epson_online_or_out_of_paper() -> None:
    assert status_answer(StatusQuery("DLE EOT", 1), paper_out=False) == b"\x12"
    assert status_answer(StatusQuery("DLE EOT", 4), paper_out=False) == b"\x12"
    assert status_answer(StatusQuery("DLE EOT", 4), paper_out=True) == b"\x7e"
    assert status_answer(StatusQuery("DLE EOT", 1), paper_out=True) == b"\x1a"
    assert status_answer(StatusQuery("GS r", 1), paper_out=True) == b"\x0f"
    assert status_answer(StatusQuery("GS r", 1), paper_out=False) == b"\x00"
