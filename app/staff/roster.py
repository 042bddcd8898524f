"""Who works here: hire, rename, change a role, set a PIN, let someone go, take them back.

The rules a restaurant expects: a manager runs the floor staff but only an owner makes or
changes an owner (or another manager); nobody lets themselves go or demotes themselves; the
last owner stays an owner. PINs are hashed, so "already in use" is found by trying the new
PIN against every active colleague's hash (a few dozen argon2 checks, on a rare command):
two people with one PIN would sign each other in as soon as one tile is mis-tapped.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.errors import BadInput, BrigadeError, Conflict, NotFound, Refused
from app.core.inputs import clean_text
from app.platform import audit
from app.platform.auth import hash_pin, pin_matches, revoke_staff_sessions, verify_pin
from app.platform.db import UnitOfWork
from app.platform.models import ROLES, Staff
from app.platform.pin_throttle import PinGate

#: Who may give which roles (and change the PIN of who holds them).
MAY_MANAGE = {
    "owner": frozenset(ROLES),
    "manager": frozenset({"server", "bartender", "host", "kitchen"}),
}


def staff_name(raw: str) -> str:
    name = clean_text(raw, "The name", limit=80, lines=False).strip()
    if not name:
        raise BadInput("Type the person's name, as the sign-in screen should show it.")
    return name


def staff_role(raw: str) -> str:
    if raw not in ROLES:
        raise BadInput(f"Choose a role: {', '.join(ROLES)}.")
    return raw


def new_pin(pin: str, again: str) -> str:
    if pin != again:
        raise BadInput("The two PINs differ: type the same PIN twice.")
    if len(set(pin)) == 1:
        raise BadInput("A PIN of one digit repeated is the first thing a stranger tries.")
    return pin


async def _actor(uow: UnitOfWork, actor_id: int) -> Staff:
    actor = await uow.session.get(Staff, actor_id)
    if actor is None or not actor.active:
        raise Refused("Sign in again: your own record is no longer active.")
    return actor


def _may(actor: Staff, role: str) -> None:
    if role not in MAY_MANAGE.get(actor.role, frozenset()):
        raise Refused(f"A {actor.role} cannot give or change the role {role}: ask an owner.")


async def _person(uow: UnitOfWork, location_id: int, staff_id: int) -> Staff:
    person = await uow.session.scalar(
        select(Staff)
        .where(Staff.id == staff_id, Staff.location_id == location_id)
        .with_for_update()
    )
    if person is None:
        raise NotFound("There is no staff member with that number.")
    return person


async def _refuse_shared_pin(uow: UnitOfWork, location_id: int, pin: str, but: int) -> None:
    others = await uow.session.scalars(
        select(Staff.pin_hash).where(
            Staff.location_id == location_id, Staff.active, Staff.id != but
        )
    )
    if any(pin_matches(h, pin) for h in others):
        raise Conflict("Someone here already has that PIN: choose another.")


async def _refuse_duplicate_name(uow: UnitOfWork, location_id: int, name: str, but: int) -> None:
    taken = await uow.session.scalar(
        select(Staff.id).where(
            Staff.location_id == location_id,
            Staff.active,
            Staff.id != but,
            func.lower(Staff.name) == name.lower(),
        )
    )
    if taken is not None:
        raise Conflict(f"{name} is already on the staff: add a surname or initial.")


async def hire_staff(
    uow: UnitOfWork, location_id: int, actor_id: int, name: str, role: str, pin: str
) -> Staff:
    _may(await _actor(uow, actor_id), role)
    await _refuse_duplicate_name(uow, location_id, name, 0)
    await _refuse_shared_pin(uow, location_id, pin, 0)
    person = Staff(location_id=location_id, name=name, role=role, pin_hash=hash_pin(pin))
    uow.session.add(person)
    await uow.session.flush()
    await audit.record(
        uow.session, "hire_staff", f"staff:{person.id}", actor_id=actor_id, name=name, role=role
    )
    return person


async def edit_staff(
    uow: UnitOfWork, location_id: int, actor_id: int, staff_id: int, name: str, role: str
) -> Staff:
    actor = await _actor(uow, actor_id)
    person = await _person(uow, location_id, staff_id)
    if person.id == actor.id and role != person.role:
        raise Refused("Nobody changes their own role: ask an owner.")
    _may(actor, person.role)
    _may(actor, role)
    await _refuse_duplicate_name(uow, location_id, name, person.id)
    if person.role == "owner" and role != "owner":
        await _refuse_last_owner(uow, location_id, person.id)
    before = (person.name, person.role)
    person.name, person.role = name, role
    await audit.record(
        uow.session,
        "edit_staff",
        f"staff:{person.id}",
        actor_id=actor_id,
        before=list(before),
        after=[name, role],
    )
    return person


async def set_pin(
    uow: UnitOfWork, location_id: int, actor_id: int, staff_id: int, pin: str
) -> None:
    """A manager sets (or resets) a PIN for someone they manage; anyone sets their own."""
    actor = await _actor(uow, actor_id)
    person = await _person(uow, location_id, staff_id)
    if person.id != actor.id:
        _may(actor, person.role)
    await _refuse_shared_pin(uow, location_id, pin, person.id)
    person.pin_hash = hash_pin(pin)
    person.pins_reset_at = func.clock_timestamp()  # old wrong tries no longer slow them
    # The PIN itself is never logged, only that it changed and by whom.
    await audit.record(uow.session, "set_pin", f"staff:{person.id}", actor_id=actor_id)


async def change_own_pin(
    uow: UnitOfWork, location_id: int, staff_id: int, current: str, pin: str, gate: PinGate
) -> None:
    """Anyone changes their own PIN by typing the one they have: a tablet left signed in is
    not enough. A wrong current PIN counts against the throttle (committed before refusal)."""
    try:
        await verify_pin(uow.session, staff_id, current, gate)
    except BrigadeError:
        await uow.commit()
        raise
    await set_pin(uow, location_id, staff_id, staff_id, pin)


async def deactivate_staff(uow: UnitOfWork, location_id: int, actor_id: int, staff_id: int) -> None:
    """Let someone go: their tile disappears, their sessions end; their history stays."""
    actor = await _actor(uow, actor_id)
    person = await _person(uow, location_id, staff_id)
    if person.id == actor.id:
        raise Refused("Nobody deactivates themselves: ask another manager or an owner.")
    _may(actor, person.role)
    if not person.active:
        return  # already gone: a second tap changes nothing
    if person.role == "owner":
        await _refuse_last_owner(uow, location_id, person.id)
    person.active = False
    await revoke_staff_sessions(uow.session, person.id, actor_id)
    await audit.record(uow.session, "deactivate_staff", f"staff:{person.id}", actor_id=actor_id)


async def reactivate_staff(uow: UnitOfWork, location_id: int, actor_id: int, staff_id: int) -> None:
    actor = await _actor(uow, actor_id)
    person = await _person(uow, location_id, staff_id)
    _may(actor, person.role)
    if person.active:
        return
    await _refuse_duplicate_name(uow, location_id, person.name, person.id)
    person.active = True
    await audit.record(uow.session, "reactivate_staff", f"staff:{person.id}", actor_id=actor_id)


async def _refuse_last_owner(uow: UnitOfWork, location_id: int, but: int) -> None:
    others = await uow.session.scalar(
        select(func.count())
        .select_from(Staff)
        .where(
            Staff.location_id == location_id, Staff.active, Staff.role == "owner", Staff.id != but
        )
    )
    if not others:
        raise Refused("The restaurant needs an owner: make someone else owner first.")


async def whole_roster(uow: UnitOfWork, location_id: int) -> list[Staff]:
    """Everyone, active first, for the Staff screen (deactivated people can come back)."""
    rows = await uow.session.scalars(
        select(Staff)
        .where(Staff.location_id == location_id)
        .order_by(Staff.active.desc(), Staff.name)
    )
    return list(rows.all())


async def member(uow: UnitOfWork, location_id: int, staff_id: int) -> Staff:
    """One person, as the command just run in this transaction left them (for the API)."""
    return await _person(uow, location_id, staff_id)
