"""A table split three ways, one part at a time over HTTP: the paid screen says which part was
paid, what the table still owes and offers the next part; each part's screens say "part 2 of
3"; the parts still open go back together after the original is paid; By amount on a part
speaks of the part."""

from __future__ import annotations

import html
import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.orders.models import Check
from tests.web.test_split_routes import _seated, _versions

Client = AsyncTestClient[Litestar]


def _text(page: str) -> str:
    """The page's words, tags and runs of spaces gone (what the server reads)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _money(minor: int) -> str:
    return f"${minor // 100}.{minor % 100:02d}"


async def _split_three_ways(client: Client, session: AsyncSession):  # type: ignore[no-untyped-def]
    check, check_id, headers = await _seated(
        client, session, ("Negroni", 1), ("Prosecco", 2), ("IPA Draft", 3)
    )
    page = (await client.get(f"{check}/split")).text
    split = await client.post(
        f"{check}/split/even",
        data={"parts": "3", "key": "even-3", **_versions(page)},
        headers=headers,
    )
    assert split.status_code == 200, split.text
    parts = (
        await session.scalars(
            select(Check.id).where(Check.split_from_id == check_id).order_by(Check.id)
        )
    ).all()
    numbers = dict((await session.execute(select(Check.id, Check.number))).all())
    await session.rollback()
    return [check_id, *parts], numbers, headers


async def _balance(client: Client, check_id: int) -> tuple[int, str]:
    """The part's balance in minor units and the version its pay screen shows."""
    page = (await client.get(f"/checks/{check_id}/pay")).text
    balance = re.search(r'id="balance">\$([0-9.,]+)<', page)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert balance and version, page
    return int(balance.group(1).replace(".", "").replace(",", "")), version.group(1)


async def _pay_cash(client: Client, headers: dict[str, str], check_id: int) -> str:
    balance, version = await _balance(client, check_id)
    paid = await client.post(
        f"/checks/{check_id}/pay/cash",
        data={"key": f"cash-{check_id}", "version": version, "tendered": _money(balance)[1:]},
        headers=headers,
    )
    assert paid.status_code == 200, paid.text
    return paid.text


async def test_paying_one_part_says_what_the_table_still_owes_and_offers_the_next_part(
    client: Client, session: AsyncSession
) -> None:
    parts, numbers, headers = await _split_three_ways(client, session)
    first, second, third = parts
    # Every part's screens say which part it is.
    assert "part 2 of 3" in _text((await client.get(f"/checks/{second}")).text)
    assert "part 2 of 3" in _text((await client.get(f"/checks/{second}/pay")).text)
    assert "part 1 of 3" in _text((await client.get(f"/checks/{first}/pay")).text)
    owed = [(await _balance(client, p))[0] for p in (second, third)]

    paid = await _pay_cash(client, headers, first)
    words = _text(paid)
    assert "free again" not in words
    assert f"Check {numbers[first]} (part 1 of 3) is paid" in words
    assert f"Table 9 still owes {_money(sum(owed))} on 2 checks" in words
    assert f"{numbers[second]} (part 2 of 3, {_money(owed[0])})" in words
    nxt = re.search(r'<a class="btn primary big" id="next-part" href="([^"]+)">([^<]+)</a>', paid)
    assert nxt, paid
    assert nxt.group(1) == f"/checks/{second}/pay"
    assert html.unescape(nxt.group(2)) == f"Next: check {numbers[second]} · Pay {_money(owed[0])}"
    assert 'href="/floor"' in paid  # the floor is still a tap away

    # The third part next (the last one paid goes round to any still open), then the end.
    paid = await _pay_cash(client, headers, third)
    assert f"Table 9 still owes {_money(owed[0])} on check" in _text(paid)
    assert f'id="next-part" href="/checks/{second}/pay"' in paid
    last = _text(await _pay_cash(client, headers, second))
    assert f"Check {numbers[second]} is closed" in last
    assert "Every part is paid: table 9 is free again." in last


async def test_open_parts_go_back_together_after_the_original_is_paid(
    client: Client, session: AsyncSession
) -> None:
    parts, numbers, headers = await _split_three_ways(client, session)
    first, second, third = parts
    await _pay_cash(client, headers, first)

    screen = (await client.get(f"/checks/{third}/split")).text
    assert "Undo split" in screen
    assert f"Put back on check {numbers[second]}" in screen
    assert f"Put back on check {numbers[first]}" not in screen
    undone = await client.post(
        f"/checks/{second}/split/undo",
        data={"key": "undo-after-paid", "root": str(second), **_versions(screen)},
        headers=headers,
    )
    assert undone.status_code == 200, undone.text
    assert "one check again" in undone.text
    session.expire_all()
    states = dict((await session.execute(select(Check.id, Check.status))).all())
    assert (states[first], states[second], states[third]) == ("closed", "open", "merged")
    await session.rollback()
    # With one part left open there is nothing to put together: no Undo split, no Put back.
    assert "Undo split" not in undone.text and "Put back on" not in undone.text


async def test_one_part_goes_back_onto_the_lowest_open_part_after_the_original_is_paid(
    client: Client, session: AsyncSession
) -> None:
    parts, numbers, headers = await _split_three_ways(client, session)
    first, second, third = parts
    await _pay_cash(client, headers, first)
    screen = (await client.get(f"/checks/{first}/split")).text
    assert f"Check {numbers[first]} is paid: the open parts go back on check {numbers[second]}" in (
        _text(screen)
    )
    merged = await client.post(
        f"/checks/{third}/split/merge",
        data={"key": "merge-3", "into": str(second), "part": str(third), **_versions(screen)},
        headers=headers,
    )
    assert merged.status_code == 200, merged.text
    session.expire_all()
    assert await session.scalar(select(Check.merged_into_id).where(Check.id == third)) == second
    await session.rollback()


async def test_by_amount_on_a_part_left_after_the_original_is_paid_speaks_of_the_part(
    client: Client, session: AsyncSession
) -> None:
    parts, numbers, headers = await _split_three_ways(client, session)
    first, second, _ = parts
    await _pay_cash(client, headers, first)
    for asked in (
        await client.get(f"/checks/{second}/split/amounts?amount=1", headers=headers),
        await client.get(f"/checks/{second}/split/amounts?amount=1"),
    ):
        words = _text(asked.text)
        assert asked.status_code == 422
        assert "is closed" not in words and "nothing is owed" not in words
        assert (
            f"Check {numbers[second]} is part 2 of 3 of split check {numbers[first]}: "
            "its own Pay takes any amount." in words
        )
