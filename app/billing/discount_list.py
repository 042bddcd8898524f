"""The named discounts staff pick from ("Staff meal 50 %", "Birthday dessert"), as the back
office keeps them.

A discount already given stays on its check as it was given (the check's row holds the
amount it took off); changing or retiring a named discount changes only what is offered from
now on. Retired ones leave the pay screen's list; nothing is ever deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.billing.models import Discount
from app.core import menu_rules
from app.core.errors import BadInput, NotFound
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork

SCOPES = {"any": "a line or the whole check", "line": "one line", "check": "the whole check"}


@dataclass(frozen=True, slots=True)
class DiscountDraft:
    name: str
    #: "percent" (value in ppm) or "amount" (value in minor units)
    kind: str
    value: int
    scope: str
    needs_approval: bool


def discount_draft(form: Mapping[str, str], exponent: int) -> DiscountDraft:
    """A discount as typed: "10" for 10 % or "5.00" off, whichever the kind says."""
    kind = form.get("kind", "")
    if kind not in ("percent", "amount"):
        raise BadInput("Choose whether the discount takes a percent or an amount off.")
    scope = form.get("scope", "any")
    if scope not in SCOPES:
        raise BadInput("Choose whether it applies to a line, the check, or either.")
    raw = form.get("value", "")
    if kind == "percent":
        value = menu_rules.percent_off(raw)
    else:
        value = menu_rules.price(raw, exponent, "The amount off")
        if value <= 0:
            raise BadInput("The amount off must be more than zero.")
    return DiscountDraft(
        name=menu_rules.menu_name(form.get("name", ""), "discount"),
        kind=kind,
        value=value,
        scope=scope,
        needs_approval=form.get("needs_approval") == "1",
    )


@dataclass(frozen=True, slots=True)
class ListedDiscount:
    id: int
    name: str
    kind: str
    value: int
    scope: str
    needs_approval: bool
    active: bool

    @property
    def percent(self) -> str:
        return f"{(Decimal(self.value) / 10_000).normalize():f}"


async def discount_list(session: AsyncSession, location_id: int) -> list[ListedDiscount]:
    rows = await session.scalars(
        select(Discount)
        .where(Discount.location_id == location_id)
        .order_by(Discount.active.desc(), Discount.name, Discount.id)
    )
    return [
        ListedDiscount(d.id, d.name, d.kind, d.value, d.scope, d.needs_approval, d.active)
        for d in rows
    ]


async def _discount_of(session: AsyncSession, location_id: int, discount_id: int) -> Discount:
    found = await session.scalar(
        select(Discount)
        .where(Discount.id == discount_id, Discount.location_id == location_id)
        .with_for_update()
    )
    if found is None:
        raise NotFound("That discount is not on this restaurant's list.")
    return found


async def add_discount(
    uow: UnitOfWork, location_id: int, actor_id: int, draft: DiscountDraft, key: str | None
) -> int:
    claim = await idempotency.claim(uow.session, key, "add_discount", asdict(draft))
    if claim.replay is not None:
        return int(claim.replay["discount_id"])
    discount = Discount(location_id=location_id, **asdict(draft))
    uow.session.add(discount)
    await uow.session.flush()
    await audit.record(
        uow.session, "add_discount", f"discount:{discount.id}", actor_id=actor_id,
        **asdict(draft),
    )  # fmt: skip
    await idempotency.remember(uow.session, claim, {"discount_id": discount.id})
    return discount.id


async def change_discount(
    uow: UnitOfWork, location_id: int, actor_id: int, discount_id: int, draft: DiscountDraft
) -> None:
    discount = await _discount_of(uow.session, location_id, discount_id)
    before = {name: getattr(discount, name) for name in asdict(draft)}
    if before == asdict(draft):
        return
    for name, value in asdict(draft).items():
        setattr(discount, name, value)
    await audit.record(
        uow.session, "change_discount", f"discount:{discount_id}", actor_id=actor_id,
        before=before, after=asdict(draft),
    )  # fmt: skip


async def offer_discount(
    uow: UnitOfWork, location_id: int, actor_id: int, discount_id: int, *, offered: bool
) -> None:
    """Retire a discount from the pay screen's list (or offer it again)."""
    discount = await _discount_of(uow.session, location_id, discount_id)
    if discount.active == offered:
        return
    discount.active = offered
    await audit.record(
        uow.session, "offer_discount" if offered else "retire_discount",
        f"discount:{discount_id}", actor_id=actor_id, discount=discount.name,
    )  # fmt: skip
