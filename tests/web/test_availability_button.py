"""The order-screen item button: the same button servers tap today, plus what the kitchen said."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.menu.models import MenuItem
from app.menu.service import item_button_view
from app.platform.templating import make_environment
from tests.conftest import sign_in
from tests.demo_ids import item_id, table_id

Client = AsyncTestClient[Litestar]
CHECK = SimpleNamespace(id=42)


class Buttons(HTMLParser):
    """Each <button class="item ..."> on a page, by the item name it shows: its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, dict[str, str | None]] = {}
        self._button: dict[str, str | None] | None = None
        self._in_name = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "button" and "item" in classes:
            self._button = dict(attrs)
        self._in_name = self._button is not None and "item-name" in classes

    def handle_data(self, data: str) -> None:
        if self._in_name and self._button is not None:
            self.found[data.strip()] = self._button
            self._in_name = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "button":
            self._button = None


def buttons(html: str) -> dict[str, dict[str, str | None]]:
    parser = Buttons()
    parser.feed(html)
    return parser.found


async def button(session: AsyncSession, name: str, oob: bool = False) -> str:
    item, category = await item_button_view(session, await item_id(session, name))
    template = make_environment().get_template("menu/_item_button.html")
    return template.render(item=item, c=category, check=CHECK, oob=oob)


async def set_item(session: AsyncSession, name: str, **values: object) -> None:
    await session.execute(update(MenuItem).where(MenuItem.name == name).values(**values))
    await session.commit()


async def test_button_is_the_one_on_the_order_screen_today(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Maria")
    opened = await client.post(
        f"/floor/tables/{await table_id(session, '5')}/open",
        data={"guests": "2"},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf},
    )
    check = int(opened.headers["hx-redirect"].rsplit("/", 1)[1])
    screen = buttons((await client.get(f"/checks/{check}")).text)
    CHECK.id = check

    for name in ("Calamari", "Ribeye 12oz"):  # one tap-to-add, one that asks for choices
        attrs = buttons(await button(session, name))[name]
        theirs = screen[name]
        assert {k: v for k, v in attrs.items() if k != "id"} == {
            k: v for k, v in theirs.items() if k != "id"
        }
        assert attrs["id"] == f"item-{await item_id(session, name)}"


async def test_86d_item_is_disabled_with_an_86_badge(session: AsyncSession) -> None:
    await set_item(session, "Burrata", available=False)
    html = await button(session, "Burrata")
    assert re.search(r"<button [^>]*\bdisabled\b", html)
    assert 'class="badge item-86">86</span>' in html
    assert 'aria-label="Burrata, 86&#39;d"' in html
    assert "hx-trigger" not in html  # nothing to wait for: it is off until brought back


async def test_timed_86_says_when_it_is_back_and_redraws_itself_then(
    session: AsyncSession,
) -> None:
    await set_item(
        session,
        "Burrata",
        available=False,
        unavailable_until=datetime.now(UTC) + timedelta(minutes=30),
    )
    html = await button(session, "Burrata")
    # Within half an hour of the restaurant's midnight the time is tomorrow's: "back Fri 12:10 AM".
    assert re.search(
        r'class="badge item-86">86 · back (?:[A-Z][a-z]{2} )?\d{1,2}:\d\d [AP]M</span>', html
    )
    delay = re.search(r'hx-trigger="load delay:(\d+)s"', html)
    assert delay and 1790 <= int(delay.group(1)) <= 1801
    burrata = await item_id(session, "Burrata")
    assert f'hx-get="/menu/items/{burrata}/button?check={CHECK.id}"' in html


async def test_counted_item_shows_how_many_are_left(session: AsyncSession) -> None:
    await set_item(session, "Tuna Tartare", countdown=3)
    html = await button(session, "Tuna Tartare")
    assert 'class="badge item-left">3 left</span>' in html
    assert not re.search(r"<button [^>]*\bdisabled\b", html)


async def test_item_without_limits_has_no_badge(session: AsyncSession) -> None:
    html = await button(session, "Calamari")
    assert "badge" not in html and "disabled" not in html and "hx-swap-oob" not in html


async def test_pushed_button_swaps_itself_out_of_band(session: AsyncSession) -> None:
    html = await button(session, "Calamari", oob=True)
    calamari = await item_id(session, "Calamari")
    assert re.search(rf'<button [^>]*id="item-{calamari}"[^>]*hx-swap-oob="outerHTML"', html)


async def test_server_fetches_one_button_but_the_kitchen_does_not(
    client: Client, session: AsyncSession
) -> None:
    calamari = await item_id(session, "Calamari")
    await sign_in(client, "Maria")
    served = await client.get(f"/menu/items/{calamari}/button?check=7")
    assert served.status_code == 200 and f'id="item-{calamari}"' in served.text
    assert 'hx-post="/checks/7/lines"' in served.text
    await sign_in(client, "Ode")
    refused = await client.get(f"/menu/items/{calamari}/button?check=7")
    assert refused.status_code == 403
