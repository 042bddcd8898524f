"""Modifier groups and their priced options, shared across items ("Temperature?" on every
steak), as the menu editor changes them.

A group is asked on every item it is attached to. Archived groups and options leave the
order screen but stay on the lines that chose them (a check line keeps its options' names
and prices). A group whose fewest choices is more than its options could never be answered,
so the editor refuses to make one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import BadInput, NotFound
from app.menu.availability import announce_item
from app.menu.editor import ItemDraft, add_item, item_of
from app.menu.models import ItemModifierGroup, ModifierGroup, ModifierOption
from app.platform import audit, idempotency
from app.platform.db import UnitOfWork


@dataclass(frozen=True, slots=True)
class GroupDraft:
    name: str
    min_choices: int
    max_choices: int


@dataclass(frozen=True, slots=True)
class OptionDraft:
    name: str
    price_delta: int
    sort: int


async def group_of(session: AsyncSession, location_id: int, group_id: int) -> ModifierGroup:
    found = await session.scalar(
        select(ModifierGroup)
        .where(ModifierGroup.id == group_id, ModifierGroup.location_id == location_id)
        .with_for_update()
    )
    if found is None:
        raise NotFound("That modifier group is not on this menu.")
    return found


async def _options_on(session: AsyncSession, group_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(
                ModifierOption.group_id == group_id, ModifierOption.archived_at.is_(None)
            )
        )
        or 0
    )


async def _answerable(session: AsyncSession, group: ModifierGroup, options: int) -> None:
    if options and group.min_choices > options:
        raise BadInput(
            f"{group.name} asks for at least {group.min_choices} but offers {options}: "
            "add options or lower the fewest choices."
        )


async def _announce_users(uow: UnitOfWork, group_id: int) -> None:
    for item_id in await uow.session.scalars(
        select(ItemModifierGroup.item_id).where(ItemModifierGroup.group_id == group_id)
    ):
        announce_item(uow, item_id)


async def add_group(
    uow: UnitOfWork, location_id: int, actor_id: int, draft: GroupDraft, key: str | None
) -> int:
    claim = await idempotency.claim(uow.session, key, "add_modifier_group", asdict(draft))
    if claim.replay is not None:
        return int(claim.replay["group_id"])
    group = ModifierGroup(location_id=location_id, **asdict(draft))
    uow.session.add(group)
    await uow.session.flush()
    await audit.record(
        uow.session, "add_modifier_group", f"modifier_group:{group.id}", actor_id=actor_id,
        **asdict(draft),
    )  # fmt: skip
    await idempotency.remember(uow.session, claim, {"group_id": group.id})
    return group.id


async def change_group(
    uow: UnitOfWork, location_id: int, actor_id: int, group_id: int, draft: GroupDraft
) -> None:
    group = await group_of(uow.session, location_id, group_id)
    before = {name: getattr(group, name) for name in asdict(draft)}
    for name, value in asdict(draft).items():
        setattr(group, name, value)
    await _answerable(uow.session, group, await _options_on(uow.session, group_id))
    if before != asdict(draft):
        await audit.record(
            uow.session, "change_modifier_group", f"modifier_group:{group_id}",
            actor_id=actor_id, before=before, after=asdict(draft),
        )  # fmt: skip
        await _announce_users(uow, group_id)


async def archive_group(
    uow: UnitOfWork, location_id: int, actor_id: int, group_id: int, *, archived: bool
) -> None:
    group = await group_of(uow.session, location_id, group_id)
    if (group.archived_at is not None) == archived:
        return
    group.archived_at = datetime.now(UTC) if archived else None
    action = "archive_modifier_group" if archived else "restore_modifier_group"
    await audit.record(
        uow.session, action, f"modifier_group:{group_id}", actor_id=actor_id, group=group.name
    )
    await _announce_users(uow, group_id)


async def add_option(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    group_id: int,
    draft: OptionDraft,
    key: str | None,
) -> int:
    payload = {"group": group_id, **asdict(draft)}
    claim = await idempotency.claim(uow.session, key, "add_modifier_option", payload)
    if claim.replay is not None:
        return int(claim.replay["option_id"])
    await group_of(uow.session, location_id, group_id)
    option = ModifierOption(group_id=group_id, **asdict(draft))
    uow.session.add(option)
    await uow.session.flush()
    await audit.record(
        uow.session, "add_modifier_option", f"modifier_option:{option.id}", actor_id=actor_id,
        **payload,
    )  # fmt: skip
    await idempotency.remember(uow.session, claim, {"option_id": option.id})
    await _announce_users(uow, group_id)
    return option.id


async def _option_of(
    session: AsyncSession, location_id: int, option_id: int
) -> tuple[ModifierOption, ModifierGroup]:
    row = (
        await session.execute(
            select(ModifierOption, ModifierGroup)
            .join(ModifierGroup, ModifierGroup.id == ModifierOption.group_id)
            .where(ModifierOption.id == option_id, ModifierGroup.location_id == location_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("That option is not on this menu.")
    return row[0], row[1]


async def change_option(
    uow: UnitOfWork, location_id: int, actor_id: int, option_id: int, draft: OptionDraft
) -> None:
    """New price for the option from now on; lines that chose it keep what they were charged."""
    option, group = await _option_of(uow.session, location_id, option_id)
    before = {name: getattr(option, name) for name in asdict(draft)}
    for name, value in asdict(draft).items():
        setattr(option, name, value)
    if before != asdict(draft):
        await audit.record(
            uow.session, "change_modifier_option", f"modifier_option:{option_id}",
            actor_id=actor_id, before=before, after=asdict(draft),
        )  # fmt: skip
        await _announce_users(uow, group.id)


async def archive_option(
    uow: UnitOfWork, location_id: int, actor_id: int, option_id: int, *, archived: bool
) -> None:
    option, group = await _option_of(uow.session, location_id, option_id)
    if (option.archived_at is not None) == archived:
        return
    option.archived_at = datetime.now(UTC) if archived else None
    await uow.session.flush()  # the count below must see this option archived
    left = await _options_on(uow.session, group.id)
    if archived and left and group.min_choices > left:
        raise BadInput(
            f"{group.name} needs at least {group.min_choices} options to choose from; "
            "lower its fewest choices first."
        )
    action = "archive_modifier_option" if archived else "restore_modifier_option"
    await audit.record(
        uow.session, action, f"modifier_option:{option_id}", actor_id=actor_id,
        option=option.name, group=group.name,
    )  # fmt: skip
    await _announce_users(uow, group.id)


async def ask_on_item(
    uow: UnitOfWork, location_id: int, actor_id: int, item_id: int, group_ids: list[int]
) -> None:
    """Which groups an item asks, in this order: the set is replaced, so sending the same
    form twice leaves the same answer."""
    item = await item_of(uow.session, location_id, item_id)
    wanted = list(dict.fromkeys(group_ids))
    found = set(
        await uow.session.scalars(
            select(ModifierGroup.id).where(
                ModifierGroup.id.in_(wanted), ModifierGroup.location_id == location_id
            )
        )
    )
    if set(wanted) - found:
        raise NotFound("One of the ticked modifier groups is not on this menu.")
    await uow.session.flush()  # an earlier set for this item (a repeated CSV row) goes first
    await uow.session.execute(delete(ItemModifierGroup).where(ItemModifierGroup.item_id == item_id))
    uow.session.add_all(
        ItemModifierGroup(item_id=item_id, group_id=g, sort=i) for i, g in enumerate(wanted)
    )
    await audit.record(
        uow.session, "ask_modifiers", f"menu_item:{item_id}", actor_id=actor_id,
        item=item.name, groups=wanted,
    )  # fmt: skip
    announce_item(uow, item_id)


async def add_item_asking(
    uow: UnitOfWork,
    location_id: int,
    actor_id: int,
    draft: ItemDraft,
    group_ids: list[int],
    key: str | None,
) -> int:
    """Add an item with the groups it asks, as one command: the key covers both, so a retry
    with other groups is refused (409) and a replay changes nothing."""
    payload = {**asdict(draft), "groups": group_ids}
    claim = await idempotency.claim(uow.session, key, "add_item_asking", payload)
    if claim.replay is not None:
        return int(claim.replay["item_id"])
    made = await add_item(uow, location_id, actor_id, draft, None)
    await ask_on_item(uow, location_id, actor_id, made, group_ids)
    await idempotency.remember(uow.session, claim, {"item_id": made})
    return made
