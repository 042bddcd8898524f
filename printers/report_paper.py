"""The X and Z reports as ESC/POS bytes, for the manager at the receipt printer.

Printed from the figures as frozen (plain JSON, app/accounting/figures.py): a reprint of a
Z months later prints exactly what was closed, whatever changed since. A Z carries its
number, the grand total and the first characters of its link in the hash chain, so a paper
can be checked against the books.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from printers.receipt_paper import ReceiptSlip
from printers.render import clean

Money = Callable[[int], str]


def _minus(money: Money, amount: int) -> str:
    return f"-{money(amount)}" if amount else money(0)


def _sales(slip: ReceiptSlip, r: Mapping[str, Any], money: Money) -> None:
    slip.line("SALES BY CATEGORY", bold=True)
    for c in r.get("categories", []):
        slip.pair(f"{c['items']} {clean(c['name'])}", money(c["gross"]))
    slip.rule()
    slip.pair("Gross sales", money(r["gross_sales"]))
    slip.pair(f"Comps ({r['comped_lines']})", _minus(money, r["comps"]))
    slip.pair(f"Discounts ({r['discounted_checks']} checks)", _minus(money, r["discounts"]))
    slip.pair("NET SALES", money(r["net_sales"]))
    slip.pair("Service charges", money(r["service_charge"]))
    for t in r.get("taxes", []):
        slip.pair(clean(t["name"]), money(t["amount"]))
    slip.pair("Total taken", money(r["total"]))
    voids = r["voids"]
    slip.pair(f"Voids ({voids['lines']} lines)", money(voids["amount"]))
    slip.pair(f"Refunds ({sum(x['count'] for x in r['refunds'])})", _minus(money, r["refunded"]))
    slip.rule()
    slip.pair("Checks", str(r["checks"]))
    slip.pair("Covers", str(r["covers"]))
    slip.pair("Average check", money(r["average_check"]))
    slip.pair("Average per cover", money(r["average_cover"]))
    slip.rule()


def _money(slip: ReceiptSlip, r: Mapping[str, Any], money: Money) -> None:
    slip.line("PAYMENTS", bold=True)
    for p in r.get("payments", []):
        label = p["method"].capitalize() + (f" {clean(p['brand'])}" if p["brand"] else "")
        slip.pair(f"{label} ({p['count']})", money(p["amount"]))
    for t in r.get("tips", []):
        slip.pair(f"Tips {t['method']}", money(t["amount"]))
    if r["tips_paid_out"]:
        slip.pair("Card tips paid out", money(r["tips_paid_out"]))
    slip.rule()
    for d in r.get("drawers", []):
        slip.line(f"DRAWER {clean(d['name'])}" + (" (OPEN)" if d["open"] else ""), bold=True)
        slip.pair("Float", money(d["float"]))
        slip.pair("Cash sales", money(d["cash_payments"]))
        if d["cash_refunds"]:
            slip.pair("Cash refunds", _minus(money, d["cash_refunds"]))
        slip.pair("Cash in", money(d["cash_in"]))
        slip.pair("Cash out", _minus(money, d["cash_out"]))
        if d["tips_paid_out"]:
            slip.pair("Tips paid out", _minus(money, d["tips_paid_out"]))
        slip.pair("Expected", money(d["expected"]))
        if d["counted"] is None:
            slip.pair("Counted", "NOT COUNTED")
        else:
            slip.pair("Counted", money(d["counted"]))
            diff = d["over_short"]
            word = "Over" if diff > 0 else "Short" if diff < 0 else "Even"
            slip.pair(word, money(abs(diff)))
        slip.rule()


def render_report(
    title: str,
    report: Mapping[str, Any],
    money: Money,
    *,
    location: str,
    printed: str,
    columns: int = 42,
) -> bytes:
    """An X (nothing closed, mid-day) or a Z (the day's close) on receipt paper."""
    slip = ReceiptSlip(columns)
    slip.line(clean(location), big=True, bold=True, center=True)
    slip.line(clean(title), big=True, bold=True, invert=True, center=True)
    slip.pair("Business day", str(report["business_day"]))
    slip.line(f"Printed {printed}")
    if not title.startswith("Z"):
        slip.line("Nothing is closed: figures so far.", center=True)
    slip.rule()
    _sales(slip, report, money)
    _money(slip, report, money)
    if not report["books"]["agree"]:
        slip.line("BOOKS DO NOT AGREE WITH THE CHECKS", bold=True, invert=True, center=True)
    if "grand_total" in report:
        slip.pair("GRAND TOTAL", money(report["grand_total"]))
    if "hash" in report:
        slip.pair("Chain", str(report["hash"])[:16])
    slip.line("")
    return slip.cut()
