"""The chart of accounts' commands, as the back office and the API change it.

The books are never edited (migration 0010), so neither is what they point at: an account
that has postings keeps its id and its kind for ever; it can be renamed, or archived once no
purpose posts to it, never deleted. Remapping a purpose changes where postings go **from
now on**; what was posted stays on the account it was posted to.

Posting stays total by construction: a generic purpose ("sales", "cash" ...) can be pointed
at another account but never removed, an archived account receives nothing (a purpose that
points at it refuses the archive, and nothing can be pointed at it while archived), and an
account only receives purposes of a fitting kind (``chart_rules.FITS``).

Every change writes an audit row. Row locks make the rules hold under two managers at once:
a command on an account takes it FOR UPDATE (which also waits for a posting's foreign-key
lock, so "no postings yet" is read after any posting in flight), a mapping takes its target
FOR SHARE.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.dialects.postgresql import insert

from app.accounting import chart_rules as rules
from app.accounting.chart_views import Chart, chart_of, suggest
from app.accounting.models import Account, AccountPurpose, JournalLine
from app.core.errors import BadInput, Conflict, NotFound
from app.menu.models import Category, TaxRate
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork

__all__ = [
    "AccountDraft",
    "Chart",
    "add_account",
    "add_account_for",
    "archive_account",
    "change_account",
    "chart_of",
    "map_purpose",
    "unmap_purpose",
]


@dataclass(frozen=True, slots=True)
class AccountDraft:
    code: str
    name: str
    kind: str


def draft(code: str, name: str, kind: str) -> AccountDraft:
    return AccountDraft(
        rules.account_code(code), rules.account_name(name), rules.account_kind(kind)
    )


async def _account(
    uow: UnitOfWork, location_id: int, account_id: int, *, share: bool = False
) -> Account:
    found = await uow.session.scalar(
        select(Account)
        .where(Account.id == account_id, Account.location_id == location_id)
        .with_for_update(read=share)
        .execution_options(populate_existing=True)
    )
    if found is None:
        raise NotFound("There is no account with that number in this restaurant's chart.")
    return found


async def _purposes_of(uow: UnitOfWork, location_id: int, account_id: int) -> list[str]:
    found = await uow.session.scalars(
        select(AccountPurpose.purpose)
        .where(AccountPurpose.location_id == location_id, AccountPurpose.account_id == account_id)
        .order_by(AccountPurpose.purpose)
    )
    return list(found)


def _label(account: Account) -> str:
    return f"{account.code} {account.name}"


async def add_account(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    new: AccountDraft,
    key: str | None,
    *,
    purpose: str | None = None,
) -> int:
    """A new account; with ``purpose``, that purpose posts to it from now on."""
    claim = await idempotency.claim(
        uow.session, key, "add_account", {**asdict(new), "purpose": purpose}
    )
    if claim.replay is not None:
        return int(claim.replay["account_id"])
    if purpose is not None:
        rules.check_fits(rules.parse_purpose(purpose), new.kind, f"{new.code} {new.name}")
    # ON CONFLICT, not a read first: two managers adding one code at once get one account.
    account_id = await uow.session.scalar(
        insert(Account)
        .values(location_id=location_id, **asdict(new))
        .on_conflict_do_nothing(index_elements=["location_id", "code"])
        .returning(Account.id)
    )
    if account_id is None:
        raise Conflict(f"The code {new.code} is already used by another account; pick another.")
    await audit.record(
        uow.session, "add_account", f"account:{account_id}", actor_id=actor_id, **asdict(new)
    )
    if purpose is not None:
        await map_purpose(uow, location_id, actor_id, purpose, account_id)
    await idempotency.remember(uow.session, claim, {"account_id": account_id})
    return int(account_id)


async def add_account_for(
    uow: UnitOfWork, location_id: int, actor_id: int, purpose: str, key: str | None
) -> int:
    """The unmapped warning's one click: an account named and numbered for ``purpose``."""
    parsed = rules.parse_purpose(purpose)
    if parsed.generic:
        raise BadInput(f"{parsed.text} already has its account; point it elsewhere instead.")
    claim = await idempotency.claim(uow.session, key, "add_account_for", {"purpose": parsed.text})
    if claim.replay is not None:
        return int(claim.replay["account_id"])
    taken = set(
        await uow.session.scalars(select(Account.code).where(Account.location_id == location_id))
    )
    code, name = await suggest(uow.session, location_id, parsed, taken)
    if not code:
        raise Conflict("Every code this account would get is taken: add it with a code of yours.")
    made = await add_account(
        uow, location_id, actor_id, AccountDraft(code, name, parsed.kinds[0]), None,
        purpose=parsed.text,
    )  # fmt: skip
    await idempotency.remember(uow.session, claim, {"account_id": made})
    return made


async def change_account(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    account_id: int,
    *,
    name: str | None = None,
    kind: str | None = None,
) -> list[str]:
    """Rename an account and/or change its kind (only while nothing was posted to it, and
    only to a kind every purpose pointing at it fits). Setting what it already is does
    nothing. Returns what changed."""
    account = await _account(uow, location_id, account_id)
    changed: list[str] = []
    if kind is not None and kind != account.kind:
        posted = await uow.session.scalar(
            select(exists().where(JournalLine.account_id == account_id))
        )
        if posted:
            raise BadInput(
                f"{_label(account)} has postings as {rules.a_kind(account.kind)} account, "
                "and posted books are never edited: its kind stays. Add a new account of the "
                "kind you want and point its purposes there."
            )
        for purpose in await _purposes_of(uow, location_id, account_id):
            rules.check_fits(rules.parse_purpose(purpose), kind, _label(account))
        await audit.record(
            uow.session, "change_account_kind", f"account:{account_id}", actor_id=actor_id,
            account=_label(account), before=account.kind, after=kind,
        )  # fmt: skip
        account.kind = kind
        changed.append("kind")
    if name is not None and name != account.name:
        await audit.record(
            uow.session, "rename_account", f"account:{account_id}", actor_id=actor_id,
            code=account.code, before=account.name, after=name,
        )  # fmt: skip
        account.name = name
        changed.append("name")
    return changed


async def archive_account(
    uow: UnitOfWork, location_id: int, actor_id: int, account_id: int, *, archived: bool
) -> None:
    """Off the lists of accounts to pick (or back on). Its postings stay where they are."""
    account = await _account(uow, location_id, account_id)
    if (account.archived_at is not None) == archived:
        return
    if archived:
        still = await _purposes_of(uow, location_id, account_id)
        if still:
            raise BadInput(
                f"{_label(account)} still receives {', '.join(still)}: point "
                f"{'them' if len(still) > 1 else 'it'} at another account first."
            )
    account.archived_at = datetime.now(UTC) if archived else None
    await audit.record(
        uow.session, "archive_account" if archived else "restore_account",
        f"account:{account_id}", actor_id=actor_id, account=_label(account),
    )  # fmt: skip


async def _check_subject(uow: UnitOfWork, location_id: int, purpose: rules.Purpose) -> None:
    """A category's or a rate's purpose names one of this restaurant's (a typo would map
    nothing and look done); a drawer's or terminal's may come before its first use."""
    if purpose.names == "category":
        known = await uow.session.scalar(
            select(Category.id).where(
                Category.id == int(purpose.detail), Category.location_id == location_id
            )
        )
        if known is None:
            raise NotFound(f"There is no menu category number {purpose.detail} here.")
    elif purpose.names == "rate":
        known = await uow.session.scalar(
            select(TaxRate.id)
            .where(TaxRate.rate_ppm == int(purpose.detail), TaxRate.location_id == location_id)
            .limit(1)
        )
        if known is None:
            raise NotFound(f"No tax rate here is {int(purpose.detail) / 10_000:g} %.")


async def map_purpose(
    uow: UnitOfWork, location_id: int, actor_id: int, purpose: str, account_id: int
) -> bool:
    """Postings of ``purpose`` go to ``account_id`` from now on. Returns whether it moved."""
    parsed = rules.parse_purpose(purpose)
    await _check_subject(uow, location_id, parsed)
    account = await _account(uow, location_id, account_id, share=True)
    if account.archived_at is not None:
        raise BadInput(f"{_label(account)} is archived: restore it or pick another account.")
    rules.check_fits(parsed, account.kind, _label(account))
    before = await uow.session.scalar(
        select(AccountPurpose.account_id)
        .where(AccountPurpose.location_id == location_id, AccountPurpose.purpose == parsed.text)
        .with_for_update()
    )
    if before == account_id:
        return False
    await uow.session.execute(
        insert(AccountPurpose)
        .values(location_id=location_id, purpose=parsed.text, account_id=account_id)
        .on_conflict_do_update(
            index_elements=["location_id", "purpose"], set_={"account_id": account_id}
        )
    )
    await audit.record(
        uow.session, "map_account_purpose", f"account:{account_id}", actor_id=actor_id,
        purpose=parsed.text, before=before, after=account_id, account=_label(account),
    )  # fmt: skip
    return True


async def unmap_purpose(uow: UnitOfWork, location_id: int, actor_id: int, purpose: str) -> bool:
    """A specific purpose posts to its generic one's account again. Returns whether it did."""
    parsed = rules.parse_purpose(purpose)
    if parsed.generic:
        raise BadInput(
            f"{parsed.text} is where everything of its kind posts when nothing more specific "
            "is mapped: point it at another account, it cannot be removed."
        )
    gone = await uow.session.scalar(
        delete(AccountPurpose)
        .where(AccountPurpose.location_id == location_id, AccountPurpose.purpose == parsed.text)
        .returning(AccountPurpose.account_id)
        .execution_options(synchronize_session=False)
    )
    if gone is None:
        return False
    await audit.record(
        uow.session, "unmap_account_purpose", f"account:{gone}", actor_id=actor_id,
        purpose=parsed.text, falls_back_to=parsed.head,
    )  # fmt: skip
    return True
