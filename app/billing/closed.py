"""The description of a closed check the back office posts: built from the view the close
already holds (read under the check's lock), plus the payment that closed it, never read
again."""

from __future__ import annotations

from app.orders.service import LockedCheck
from app.orders.views import CheckView
from app.platform.closing import ClosedCheck, ClosedLine, ClosedPayment, ClosedTax


def describe_close(
    view: CheckView,
    check: LockedCheck,
    closed_by: int,
    paid_now: ClosedPayment | None = None,
) -> ClosedCheck:
    totals = view.totals
    # The line charges come in the order the lines were priced: the counted lines by id.
    counted = sorted((ln for ln in view.lines if ln.counts), key=lambda ln: ln.id)
    lines = tuple(
        ClosedLine(
            line_id=ln.id,
            item_id=ln.item_id,
            category_id=ln.category_id,
            name=ln.name,
            quantity=ln.quantity,
            unit_price=ln.unit_price,
            option_ids=ln.option_ids,
            modifiers=ln.modifiers,
            tax_rate_ppm=ln.tax_rate_ppm,
            seat=ln.seat,
            comped=ln.comped,
            charged=charge.charged,
            discount=0 if ln.comped else charge.discount,
            tax=charge.tax,
            share_index=ln.share_index,
            share_count=ln.share_count,
        )
        for ln, charge in zip(counted, totals.line_charges, strict=True)
    )
    return ClosedCheck(
        check_id=view.id,
        number=view.number,
        location_id=check.location_id,
        closed_by=closed_by,
        server_id=view.server_id,
        table_id=view.table_id,
        guest_count=view.guest_count,
        lines=lines,
        subtotal=totals.subtotal,
        comps=totals.comps,
        discounts=totals.discounts,
        service_charge=totals.service_charge,
        tax=totals.tax,
        total=totals.total,
        taxes=tuple(ClosedTax(t.rate_ppm, t.base, t.tax) for t in totals.tax_lines),
        payments=view.payments + ((paid_now,) if paid_now else ()),
        refunds=view.refunds,
        prices_include_tax=view.prices_include_tax,
        discount_names=tuple(d.name for d in view.discounts),
    )
