"""The statements behind ``check_view``, built once at import: the order screen, the payment
and the bill all read a check through them, so they are compiled and cached only once."""

from __future__ import annotations

from sqlalchemy import BindParameter, and_, bindparam, case, exists, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from app.billing.models import CheckDiscount, DrawerSession, Payment, PaymentAttempt, Refund
from app.floor.models import DiningTable
from app.menu.models import Course
from app.orders.models import Check, CheckCourse, CheckLine, LineModifier
from app.platform.models import Location, Staff

_checks, _lines, _discounts = Check.__table__, CheckLine.__table__, CheckDiscount.__table__
_CHECK_ID: BindParameter[int] = bindparam("check_id")
_LOCATION_ID: BindParameter[int] = bindparam("location_id")
_LINE_KEY = case(
    (and_(_lines.c.share_count > 1, _lines.c.share_group.is_not(None)), _lines.c.share_group),
    else_=_lines.c.id,
)
_EMPTY = literal([], JSONB)
_terminal = (
    select(PaymentAttempt.terminal)
    .where(PaymentAttempt.payment_id == Payment.id)
    .limit(1)
    .scalar_subquery()
)
#: Each payment as the books need it (method, amount, tip, drawer, terminal): the close
#: describes its money from the view, with no second read.
_PAYMENTS = (
    select(
        func.coalesce(
            func.jsonb_agg(
                func.jsonb_build_array(
                    Payment.id,
                    Payment.method,
                    Payment.amount,
                    Payment.tip,
                    Payment.drawer_session_id,
                    func.coalesce(DrawerSession.drawer, ""),
                    func.coalesce(_terminal, ""),
                )
            ),
            _EMPTY,
        )
    )
    .select_from(Payment)
    .outerjoin(DrawerSession, DrawerSession.id == Payment.drawer_session_id)
    .where(Payment.check_id == _CHECK_ID)
    .scalar_subquery()
    .label("payments")
)
#: Money given back while the check was open, the same way.
_REFUNDS = (
    select(
        func.coalesce(
            func.jsonb_agg(
                func.jsonb_build_array(
                    Refund.id,
                    Refund.payment_id,
                    Payment.method,
                    Refund.amount,
                    Refund.tip,
                    func.coalesce(DrawerSession.drawer, ""),
                    func.coalesce(_terminal, ""),
                )
            ),
            _EMPTY,
        )
    )
    .select_from(Refund)
    .join(Payment, Payment.id == Refund.payment_id)
    .outerjoin(DrawerSession, DrawerSession.id == Refund.drawer_session_id)
    .where(Refund.check_id == _CHECK_ID)
    .scalar_subquery()
    .label("refunds")
)
#: The check, its table, server and location settings, and the money taken, in one trip.
HEAD = (
    select(
        _checks.c.id,
        _checks.c.number,
        _checks.c.version,
        _checks.c.status,
        _checks.c.table_id,
        _checks.c.guest_count,
        _checks.c.opened_at,
        _checks.c.closed_at,
        _checks.c.notes,
        _checks.c.allergies,
        _checks.c.service_charge_ppm,
        _checks.c.service_charge_reason,
        _checks.c.tax_adjustment,
        _checks.c.service_adjustment,
        _checks.c.location_id,
        _checks.c.split_from_id,
        _checks.c.server_id,
        _PAYMENTS,
        _REFUNDS,
        DiningTable.__table__.c.name.label("table_name"),
        Staff.__table__.c.name.label("server_name"),
        # A closed check keeps the tax mode it closed under; an open one follows the location.
        func.coalesce(_checks.c.prices_include_tax, Location.__table__.c.prices_include_tax).label(
            "prices_include_tax"
        ),
        func.coalesce(_checks.c.tax_rounding, Location.__table__.c.tax_rounding).label(
            "tax_rounding"
        ),
        select(func.coalesce(func.sum(Payment.amount), 0))
        .where(Payment.check_id == _CHECK_ID)
        .scalar_subquery()
        .label("paid"),
        select(func.coalesce(func.sum(Payment.change), 0))
        .where(Payment.check_id == _CHECK_ID)
        .scalar_subquery()
        .label("change"),
        select(func.coalesce(func.sum(Refund.amount), 0))
        .where(Refund.check_id == _CHECK_ID)
        .scalar_subquery()
        .label("refunded"),
        # Exactly when applied_discounts would find something (the same line keys).
        exists()
        .where(
            _discounts.c.removed_at.is_(None),
            or_(
                and_(_discounts.c.line_id.is_(None), _discounts.c.check_id == _CHECK_ID),
                _discounts.c.line_id.in_(
                    select(_LINE_KEY).where(_lines.c.check_id == _CHECK_ID).scalar_subquery()
                ),
            ),
        )
        .label("has_discounts"),
        select(func.count())
        .select_from(PaymentAttempt)
        .where(
            PaymentAttempt.check_id == _CHECK_ID,
            PaymentAttempt.status.in_(("pending", "timed_out")),
        )
        .scalar_subquery()
        .label("cards_waiting"),
    )
    .select_from(_checks)
    .outerjoin(DiningTable.__table__, DiningTable.__table__.c.id == _checks.c.table_id)
    .join(Staff.__table__, Staff.__table__.c.id == _checks.c.server_id)
    .join(Location.__table__, Location.__table__.c.id == _checks.c.location_id)
    .where(_checks.c.id == _CHECK_ID)
)
_ROOT: BindParameter[int] = bindparam("root")
#: The checks of a split, in order (the original first; merged parts are gone): a part is
#: "part 2 of 4". Parts are made after the original, so the scan starts at its id.
SPLIT_FAMILY = (
    select(_checks.c.id)
    .where(
        _checks.c.id >= _ROOT,
        or_(_checks.c.id == _ROOT, _checks.c.split_from_id == _ROOT),
        _checks.c.status != "merged",
    )
    .order_by(_checks.c.id)
)
LINES = (
    select(
        _lines.c.id,
        _lines.c.name,
        _lines.c.quantity,
        _lines.c.unit_price,
        _lines.c.modifiers,
        _lines.c.note,
        _lines.c.seat,
        _lines.c.course,
        _lines.c.status,
        _lines.c.tax_rate_ppm,
        _lines.c.hold,
        _lines.c.comped_at,
        _lines.c.void_reason,
        _lines.c.comp_reason,
        _lines.c.share_index,
        _lines.c.share_count,
        _lines.c.share_group,
        _lines.c.menu_item_id,
        _lines.c.category_id,
        # The options chosen, for the recipes a close depletes (inventory).
        select(func.array_agg(LineModifier.option_id))
        .where(LineModifier.line_id == _lines.c.id)
        .scalar_subquery()
        .label("option_ids"),
    )
    .where(_lines.c.check_id == _CHECK_ID)
    .order_by(_lines.c.id)
)
# The location's courses and this check's fired ones side by side (a fired course may have
# been renamed or deleted since, hence the full join).
_rules = (
    select(Course.__table__).where(Course.__table__.c.location_id == _LOCATION_ID).subquery("rules")
)
_fired = (
    select(CheckCourse.__table__)
    .where(CheckCourse.__table__.c.check_id == _CHECK_ID)
    .subquery("fired")
)
COURSES = (
    select(
        _rules.c.name,
        _rules.c.sort,
        _rules.c.fires_immediately,
        _fired.c.course,
        _fired.c.fired_at,
    )
    .select_from(_rules.join(_fired, _rules.c.name == _fired.c.course, full=True))
    .order_by(_rules.c.sort, _rules.c.id)
)
