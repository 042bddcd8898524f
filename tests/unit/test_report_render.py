"""The X and Z on receipt paper: the ESC/POS bytes decoded back to what the manager reads."""

from __future__ import annotations

from typing import Any

from app.core.money import format_money
from printers.decode import text_lines
from printers.report_paper import render_report


def money(minor: int) -> str:
    return format_money(minor, "USD")


def a_day(**changes: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "business_day": "2026-12-04",
        "checks": 2,
        "covers": 5,
        "gross_sales": 5000,
        "comps": 350,
        "comped_lines": 1,
        "discounts": 465,
        "discounted_checks": 1,
        "service_charge": 0,
        "tax": 372,
        "total": 4557,
        "net_sales": 4185,
        "average_check": 2092,
        "average_cover": 837,
        "categories": [{"name": "Starters", "items": 3, "gross": 5000, "comps": 350}],
        "voids": {"lines": 1, "amount": 1500, "wasted": 1},
        "taxes": [{"name": "Sales tax payable - NY", "rate_ppm": 88750, "amount": 372}],
        "payments": [
            {"method": "cash", "brand": "", "count": 1, "amount": 2000, "tip": 300},
            {"method": "card", "brand": "Visa", "count": 1, "amount": 2557, "tip": 250},
        ],
        "tips": [{"method": "card", "amount": 250}, {"method": "cash", "amount": 300}],
        "tips_paid_out": 0,
        "refunds": [],
        "refunded": 0,
        "drawers": [
            {
                "session_id": 1,
                "name": "Main",
                "open": False,
                "float": 20000,
                "cash_payments": 2000,
                "cash_refunds": 0,
                "cash_in": 0,
                "cash_out": 0,
                "tips_paid_out": 0,
                "expected": 22000,
                "counted": 21700,
                "over_short": -300,
            }
        ],
        "books": {"revenue": 4185, "agree": True},
    }
    report.update(changes)
    return report


def test_z_paper_shows_net_sales_drawers_grand_total_and_its_chain_link() -> None:
    paper = render_report(
        "Z REPORT #7",
        a_day(grand_total=123_456, hash="ab" * 32),
        money,
        location="Chez Brigade",
        printed="2026-12-05 00:30",
    )
    lines = text_lines(paper)
    assert lines[-1] == "[cut]"
    text = "\n".join(lines)
    for wanted in (
        "Z REPORT #7",
        "Business day" + " " * 20 + "2026-12-04",
        "NET SALES" + " " * 27 + "$41.85",
        "Card Visa (1)",
        "DRAWER Main",
        "Short" + " " * 32 + "$3.00",
        "GRAND TOTAL" + " " * 22 + "$1,234.56",
        "Chain" + " " * 21 + "abababababababab",
    ):
        assert wanted in text, wanted
    assert "Nothing is closed" not in text


def test_x_paper_says_nothing_is_closed_and_an_open_drawer_is_not_counted() -> None:
    drawer = {**a_day()["drawers"][0], "open": True, "counted": None, "over_short": None}
    lines = text_lines(
        render_report("X REPORT", a_day(drawers=[drawer]), money, location="Chez", printed="12:00")
    )
    text = "\n".join(lines)
    assert "Nothing is closed: figures so far." in text
    assert "DRAWER Main (OPEN)" in text and "NOT COUNTED" in text
    assert "GRAND TOTAL" not in text


def test_a_category_name_cannot_send_printer_commands() -> None:
    """A name typed in the menu editor holding ESC or GS V must not cut or restyle the Z."""
    hostile = a_day(categories=[{"name": "Wine\x1dV\x00\x1b@", "items": 1, "gross": 900}])
    lines = text_lines(render_report("X REPORT", hostile, money, location="C", printed="1"))
    assert lines.count("[cut]") == 1
    assert any(line.startswith("1 Wine V") for line in lines)


def test_books_that_disagree_are_said_on_paper() -> None:
    lines = text_lines(
        render_report(
            "X REPORT",
            a_day(books={"revenue": 1, "agree": False}),
            money,
            location="C",
            printed="1",
        )
    )
    assert "BOOKS DO NOT AGREE WITH THE CHECKS" in "\n".join(lines)
