"""Reading the order screen's forms, and answering with the check panel."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect, Template

from app.core.errors import BadInput
from app.core.inputs import is_id
from app.orders.views import check_view
from app.platform import inputs
from app.platform.approvals import Approval, approve
from app.platform.auth import PinGate
from app.platform.db import UnitOfWork
from app.platform.web import current, is_htmx
from app.platform.web import pin_gate as web_pin_gate


def ids(form: FormMultiDict, name: str) -> list[int]:
    """Several ids under one name (ASCII digits only: "²" is a digit to Python, not to us)."""
    values = [inputs.raw_value(v) for v in form.getall(name, [])]
    if not all(is_id(v) for v in values):
        raise BadInput("Something chosen is not valid; reload and choose again.")
    return [int(v) for v in values]


def int_field(form: FormMultiDict, name: str, label: str, default: int | None = None) -> int | None:
    """A whole number from a form; "" and "shared" mean the default."""
    return inputs.form_whole(form, name, label, default=default, blank=("", "shared"))


def options(form: FormMultiDict) -> list[int]:
    """Checkboxes post ``option``; a choose-one group posts ``option-<group>`` (radios)."""
    picked = [
        inputs.raw_value(v)
        for k, v in form.multi_items()
        if k == "option" or k.startswith("option-")
    ]
    if not all(is_id(v) for v in picked):
        raise BadInput("A chosen option is not valid; reopen the item and choose again.")
    return [int(v) for v in picked]


def idem_key(form: FormMultiDict) -> str | None:
    return inputs.form_key(form)


def text(form: FormMultiDict, name: str) -> str:
    return inputs.form_text(form, name)


def pin_gate(request: Request[Any, Any, Any]) -> PinGate:
    """Where an approval PIN is being typed, with the sign-in limits."""
    return web_pin_gate(request)


async def check_panel(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    check_id: int,
    message: str | None = None,
    added: int | None = None,
) -> Response[Any]:
    """The check as it is now: the answer to every command on the order screen (a plain
    form post is redirected to the order screen, so a reload never re-posts)."""
    if not is_htmx(request):
        return Redirect(f"/checks/{check_id}", status_code=303)
    check = await check_view(uow.session, check_id)
    return Template(
        "orders/_check.html", context={"check": check, "message": message, "added": added}
    )


def staff_id(request: Request[Any, Any, Any]) -> int:
    """The staff member at this tablet (floor roles are people, never devices)."""
    person = current(request).staff_id
    assert person is not None
    return person


async def manager_approval(
    request: Request[Any, Any, Any], uow: UnitOfWork, form: FormMultiDict
) -> Approval:
    """The manager tapped on the approval pad, checked with their PIN."""
    return await approve(
        uow,
        int_field(form, "manager", "Manager") or 0,
        text(form, "pin"),
        staff_id(request),
        pin_gate(request),
    )
