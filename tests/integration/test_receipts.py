"""The guest check, receipts and the drawer kick on the receipt printer: real PostgreSQL,
the real print queue, and a fake ESC/POS printer reading the paper back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing import service as billing
from app.billing.models import DrawerSession, Payment
from app.billing.present import present_check, receipt_copy
from app.billing.presentation import bill_view
from app.orders import firing
from app.orders import service as orders
from app.orders.models import Check
from app.platform.kitchen import KitchenBus
from app.platform.models import AuditEntry
from app.platform.receipts import ReceiptBus
from printers.decode import text_lines
from printers.fake import FakePrinter
from printers.models import Printer, PrintJob
from printers.receipts import receipt_jobs
from printers.worker import PrintWorker
from tests.conftest import STAFF_IDS
from tests.demo_ids import item_id, table_id
from tests.integration.test_print_queue import FAST, Announced

MARIA = STAFF_IDS["Maria"]


def bus() -> ReceiptBus:
    """Billing -> receipt jobs, wired as app/main.py wires them."""
    receipts = ReceiptBus()
    receipts.subscribe(receipt_jobs)
    return receipts


async def dinner(uow_factory: Any, session: AsyncSession) -> int:
    """Table 5: a roast chicken and two lemonades."""
    check = await uow_factory(orders.open_table, await table_id(session, "5"), 2, MARIA, 1)
    for name, qty in (("Roast Chicken", 1), ("Lemonade", 2)):
        new = orders.NewLine(await item_id(session, name), seat=1, quantity=qty)
        await uow_factory(orders.add_line, check, new, MARIA)
    return int(check)


async def take(
    session: AsyncSession, check: int, method: str, amount: int, tendered: int, tip: int = 0
) -> int:
    drawer = await session.scalar(select(DrawerSession.id).where(DrawerSession.drawer == "Main"))
    payment = await session.scalar(
        insert(Payment)
        .values(
            check_id=check,
            method=method,
            amount=amount,
            tendered=tendered,
            change=tendered - amount,
            tip=tip,
            taken_by=MARIA,
            drawer_session_id=drawer,
            card_brand="visa" if method == "card" else None,
            card_last4="4242" if method == "card" else None,
        )
        .returning(Payment.id)
    )
    await session.commit()
    return int(payment or 0)


async def jobs(session: AsyncSession) -> list[tuple[str, int, bytes]]:
    session.expire_all()
    rows = await session.execute(
        select(PrintJob.kind, PrintJob.printer_id, PrintJob.payload).order_by(PrintJob.id)
    )
    found = [(r.kind, r.printer_id, r.payload) for r in rows.all()]
    await session.rollback()
    return found


async def front(session: AsyncSession) -> int:
    found = await session.scalar(select(Printer.id).where(Printer.prints_receipts.is_(True)))
    assert found is not None
    return int(found)


async def test_printing_the_check_queues_the_guest_check_with_tips_and_stamps_it(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await dinner(uow_factory, session)

    done = await uow_factory(present_check, check, MARIA, bus(), print_it=True)

    assert (done.reprint, done.printed) == (False, 1)
    ((kind, printer, payload),) = await jobs(session)
    assert (kind, printer) == ("check", await front(session))
    lines = text_lines(payload)
    assert "GUEST CHECK" in lines
    assert any(line.startswith("1 Roast Chicken") for line in lines)
    assert any(line.startswith("2 Lemonade") for line in lines)
    assert any(line.startswith("Suggested tip") for line in lines)
    assert sum(line.startswith(("15%", "18%", "20%")) for line in lines) == 3
    assert await session.scalar(select(Check.presented_at).where(Check.id == check)) is not None


async def test_printing_the_check_again_says_reprint_but_showing_it_does_not_print(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await dinner(uow_factory, session)
    shown = await uow_factory(present_check, check, MARIA, bus(), print_it=False)
    first = await uow_factory(present_check, check, MARIA, bus(), print_it=True)
    second = await uow_factory(present_check, check, MARIA, bus(), print_it=True)
    replay = await uow_factory(present_check, check, MARIA, bus(), print_it=True, key="k")
    again = await uow_factory(present_check, check, MARIA, bus(), print_it=True, key="k")

    assert (shown.printed, first.reprint, second.reprint) == (0, False, True)
    assert again == replay  # a double tap prints once
    printed = await jobs(session)
    assert [text_lines(p)[1] for _, _, p in printed] == [
        "GUEST CHECK",
        "REPRINT",
        "REPRINT",
    ]
    actions = (
        await session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.subject == f"check:{check}")
            .order_by(AuditEntry.id)
        )
    ).all()
    assert [a for a in actions if a.endswith("_check") and a != "open_check"][-4:] == [
        "show_check",
        "print_check",
        "reprint_check",
        "reprint_check",
    ]


async def test_cash_payment_pops_the_drawer_then_prints_the_receipt_with_change(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await dinner(uow_factory, session)
    cash = await take(session, check, "cash", 1500, 2000)

    queued = await uow_factory(bus().payment_taken, cash, True)

    assert queued == 2
    (kick, receipt) = await jobs(session)
    assert kick[0] == "kick" and kick[2].startswith(b"\x1bp\x00")
    assert receipt[0] == "receipt" and kick[1] == receipt[1] == await front(session)
    lines = text_lines(receipt[2])
    assert "Cash tendered                       $20.00" in lines
    assert "Change                               $5.00" in lines


async def test_card_payment_never_opens_the_drawer_and_prints_the_slip_to_sign(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await dinner(uow_factory, session)
    card = await take(session, check, "card", 1500, 1500)

    await uow_factory(bus().payment_taken, card, True)  # asked to open: refused for a card

    ((kind, _, payload),) = await jobs(session)
    assert kind == "receipt"
    assert b"\x1bp" not in payload
    text = "\n".join(text_lines(payload))
    assert "VISA ****4242" in text
    assert "MERCHANT COPY" in text and "CUSTOMER COPY" in text
    assert "Tip                         ______________" in text


async def test_receipt_copy_of_a_paid_check_says_copy(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await dinner(uow_factory, session)
    await take(session, check, "card", 1500, 1500, tip=300)

    assert await uow_factory(receipt_copy, check, MARIA, bus()) == 1

    ((kind, _, payload),) = await jobs(session)
    lines = text_lines(payload)
    assert (kind, lines[1]) == ("receipt", "COPY")
    assert "Tip                                  $3.00" in lines


async def test_without_a_receipt_printer_the_check_is_still_presented(
    uow_factory: Any, session: AsyncSession
) -> None:
    await session.execute(update(Printer).values(prints_receipts=False))
    await session.commit()
    check = await dinner(uow_factory, session)

    done = await uow_factory(present_check, check, MARIA, bus(), print_it=True)

    assert done.printed == 0
    assert await jobs(session) == []
    assert await session.scalar(select(Check.presented_at).where(Check.id == check)) is not None


async def test_the_receipt_prints_on_the_front_printer_through_the_worker(
    uow_factory: Any, session: AsyncSession, sessionmaker_: Any
) -> None:
    fake = FakePrinter("Front")
    await fake.start()
    try:
        await session.execute(
            update(Printer).where(Printer.id == await front(session)).values(address=fake.address)
        )
        await session.commit()
        check = await dinner(uow_factory, session)
        total = (await bill_view(session, check)).total
        await session.rollback()
        cash = await take(session, check, "cash", total, total)
        await uow_factory(bus().payment_taken, cash, True)

        await PrintWorker(sessionmaker_, Announced(), policy=FAST, timeout_s=0.5).drain()
    finally:
        await fake.stop()

    ((paper),) = fake.printed  # the kick prints nothing; the receipt is one paper
    assert paper[1] == "RECEIPT"
    assert "PAID" in paper
    # The drawer opened first (around each job, the worker's status queries: DLE EOT).
    assert 0 <= fake.received.find(b"\x1bp\x00") < fake.received.find(b"RECEIPT")


async def test_taking_cash_on_the_pay_screen_pops_the_drawer_and_prints_the_receipt(
    uow_factory: Any, session: AsyncSession
) -> None:
    check = await dinner(uow_factory, session)
    await uow_factory(firing.send_order, check, MARIA, KitchenBus())
    version = await session.scalar(select(Check.version).where(Check.id == check))
    await session.rollback()

    result = await uow_factory(billing.pay_cash, check, 100_000, version, MARIA, receipts=bus())

    assert result.closed
    kinds = [(kind, text_lines(payload)[:2]) for kind, _, payload in await jobs(session)]
    assert kinds == [("kick", []), ("receipt", ["Brigade Bistro", "RECEIPT"])]
