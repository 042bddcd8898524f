"""The chart of accounts page and its API: a manager maps the books from the back office, an
integration from /api/v1; bad input is a 4xx with a sentence, never a 500."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.models import Account, AccountPurpose
from app.platform.models import AuditEntry
from tests.conftest import api_bearer, sign_in
from tests.web.test_menu_editor import HX, category_id, post
from tests.web.test_pay_routes import Client, count


async def account_of(session: AsyncSession, **where: Any) -> Account:
    session.expire_all()
    found = (await session.scalars(select(Account).filter_by(**where))).one()
    session.expunge(found)
    await session.rollback()
    return found


async def mapped_to(session: AsyncSession, purpose: str) -> int | None:
    found = await session.scalar(
        select(AccountPurpose.account_id).where(AccountPurpose.purpose == purpose)
    )
    await session.rollback()
    return found


async def test_a_manager_sees_the_chart_with_its_purposes_and_the_nav_link(
    client: Client,
) -> None:
    await sign_in(client, "Mia")
    page = await client.get("/office/accounts")
    fragment = await client.get("/office/accounts", headers=HX)
    moved = await client.get("/backoffice/accounts", follow_redirects=False)

    assert page.status_code == 200
    assert '<a href="/office/accounts" aria-current="page">Chart of accounts</a>' in page.text
    assert "4000" in page.text and "Sales - Starters" in page.text
    assert "Category Starters" in page.text  # a purpose as staff name it
    assert "Not mapped yet" not in page.text  # the demo maps everything it has
    assert fragment.text.lstrip().startswith('<section class="office-page" id="accounts-chart"')
    assert moved.status_code == 301 and moved.headers["location"] == "/office/accounts"


async def test_servers_are_kept_out_of_the_books(client: Client) -> None:
    await sign_in(client, "Maria")
    assert (await client.get("/office/accounts")).status_code == 403


async def test_a_new_category_is_flagged_and_one_click_gives_it_an_account(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    made = await post(
        client, csrf, "/office/menu/categories", name="Wine", color="#7b1f3a", course="drinks",
        sort="9", key="wine",
    )  # fmt: skip
    assert made.status_code == 204, made.text[:300]
    wine = await category_id(session, "Wine")
    flagged = await client.get("/office/accounts")
    assert "Not mapped yet" in flagged.text and "Category Wine" in flagged.text

    clicked = await post(
        client, csrf, "/office/accounts/for-purpose", purpose=f"sales:category:{wine}", key="k"
    )
    twice = await post(
        client, csrf, "/office/accounts/for-purpose", purpose=f"sales:category:{wine}", key="k"
    )

    assert clicked.status_code == twice.status_code == 204
    account = await account_of(session, name="Sales - Wine")
    assert account.kind == "revenue"
    assert await mapped_to(session, f"sales:category:{wine}") == account.id
    assert "Not mapped yet" not in (await client.get("/office/accounts")).text


async def test_forms_rename_remap_archive_and_restore(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Olivia")
    added = await post(
        client, csrf, "/office/accounts", code="4150", name="Sales - Wine", kind="revenue",
        key="add-1",
    )  # fmt: skip
    wine = await account_of(session, code="4150")
    renamed = await post(client, csrf, f"/office/accounts/{wine.id}", name="Wine", kind="revenue")
    remapped = await post(
        client, csrf, "/office/accounts/purposes", purpose="service_charge", account_id=str(wine.id)
    )
    old = await account_of(session, code="4800")
    archived = await post(client, csrf, f"/office/accounts/{old.id}/archive")
    restored = await post(client, csrf, f"/office/accounts/{old.id}/restore")

    assert [r.status_code for r in (added, renamed, remapped, archived, restored)] == [204] * 5
    assert (await account_of(session, id=wine.id)).name == "Wine"
    assert await mapped_to(session, "service_charge") == wine.id
    assert (await account_of(session, id=old.id)).archived_at is None
    actions = list(
        await session.scalars(select(AuditEntry.action).where(AuditEntry.subject.like("account:%")))
    )
    assert actions == [
        "add_account",
        "rename_account",
        "map_account_purpose",
        "archive_account",
        "restore_account",
    ]


async def test_bad_forms_are_refused_with_a_sentence_and_change_nothing(
    client: Client, session: AsyncSession
) -> None:
    csrf = await sign_in(client, "Mia")
    before = await count(session, Account)
    sales = await account_of(session, code="4000")
    main = await account_of(session, name="Cash - Main drawer")
    cases = [
        ("/office/accounts", {"code": "4150", "name": "", "kind": "revenue"}, 422, "a name"),
        ("/office/accounts", {"code": "4150", "name": "W" * 81, "kind": "revenue"}, 422, "long"),
        ("/office/accounts", {"code": "4150", "name": "W\x00", "kind": "revenue"}, 422, "NUL"),
        ("/office/accounts", {"code": "4000", "name": "Wine", "kind": "revenue"}, 409, "used"),
        ("/office/accounts", {"code": "4-1", "name": "Wine", "kind": "revenue"}, 422, "A-Z"),
        ("/office/accounts", {"code": "4150", "name": "Wine", "kind": "income"}, 422, "kind"),
        (f"/office/accounts/{sales.id}", {"name": "Sales", "kind": "bogus"}, 422, "kind"),
        ("/office/accounts/999999", {"name": "Sales"}, 404, "no account"),
        (f"/office/accounts/{main.id}", {"name": "Cash", "kind": "expense"}, 422, "postings"),
        (f"/office/accounts/{main.id}/archive", {}, 422, "still receives cash:drawer:Main"),
        ("/office/accounts/purposes", {"purpose": "tax", "account_id": str(sales.id)}, 422,
         "liability"),
        ("/office/accounts/purposes", {"purpose": "sales", "account_id": "9" * 25}, 404,
         "no account"),
        ("/office/accounts/purposes", {"purpose": "sales", "account_id": str(2**63)}, 404,
         "no account"),
        ("/office/accounts/purposes", {"purpose": "nope", "account_id": str(sales.id)}, 422,
         "no purpose"),
        ("/office/accounts/purposes/unmap", {"purpose": "cash"}, 422, "cannot be removed"),
        ("/office/accounts/for-purpose", {"purpose": "sales"}, 422, "already has"),
    ]  # fmt: skip
    for path, data, status, says in cases:
        answer = await post(client, csrf, path, **data)
        assert answer.status_code == status, (path, data, answer.text[:300])
        assert says in answer.text, (path, data)
        assert 'role="alert"' in answer.text
    overflowing = await post(client, csrf, f"/office/accounts/{2**64}", name="Sales")
    taken = await post(client, csrf, "/office/accounts", code="4000", name="Wine", kind="expense")

    assert 400 <= overflowing.status_code < 500
    # A refused add keeps what was typed, so the manager fixes the code and sends it again.
    assert 'name="name" maxlength="80" placeholder="Sales - Wine" value="Wine"' in taken.text
    add_form = taken.text.split('id="add-account"')[1].split("</form>")[0]
    assert "<option selected>expense</option>" in add_form
    assert await count(session, Account) == before
    assert (await account_of(session, id=sales.id)).kind == "revenue"
    assert await mapped_to(session, "tax") != sales.id


async def test_the_api_lists_adds_changes_and_maps_with_its_documented_statuses(
    client: Client, session: AsyncSession
) -> None:
    owner = await api_bearer(client, "Olivia")
    listed = await client.get("/api/v1/accounts", headers=owner)
    body = {"code": "4150", "name": "Sales - Wine", "kind": "revenue"}
    key = {**owner, "Idempotency-Key": "wine-1"}
    made = await client.post("/api/v1/accounts", json=body, headers=key)
    again = await client.post("/api/v1/accounts", json=body, headers=key)
    other = await client.post("/api/v1/accounts", json={**body, "code": "4160"}, headers=key)
    wine = made.json()["id"]
    patched = await client.patch(f"/api/v1/accounts/{wine}", json={"name": "Wine"}, headers=owner)
    mapped = await client.put(
        "/api/v1/accounts/purposes", json={"purpose": "service_charge", "account_id": wine},
        headers=owner,
    )  # fmt: skip
    unmapped = await client.put(
        "/api/v1/accounts/purposes", json={"purpose": "cash:drawer:Main", "account_id": None},
        headers=owner,
    )  # fmt: skip

    assert listed.status_code == 200
    sales = next(a for a in listed.json()["accounts"] if a["code"] == "4000")
    assert sales["purposes"] == ["sales"] and sales["kind"] == "revenue"
    assert made.status_code == 201 and again.json() == made.json()
    assert other.status_code == 409
    assert patched.status_code == 200 and patched.json()["name"] == "Wine"
    assert mapped.status_code == 204 and unmapped.status_code == 204
    assert await mapped_to(session, "service_charge") == wine
    assert await mapped_to(session, "cash:drawer:Main") is None


async def test_the_api_refuses_bad_bodies_with_its_error_body(
    client: Client, session: AsyncSession
) -> None:
    owner = await api_bearer(client, "Olivia")
    server = await api_bearer(client, "Maria")
    main = await account_of(session, name="Cash - Main drawer")
    answers = {
        "server": await client.get("/api/v1/accounts", headers=server),
        "kind": await client.post(
            "/api/v1/accounts", json={"code": "1", "name": "x", "kind": "income"}, headers=owner
        ),
        "nul": await client.post(
            "/api/v1/accounts", json={"code": "1", "name": "x\x00", "kind": "asset"},
            headers=owner,
        ),
        "huge id": await client.patch(
            f"/api/v1/accounts/{2**64}", json={"name": "x"}, headers=owner
        ),
        "unknown id": await client.patch(
            "/api/v1/accounts/999999", json={"name": "x"}, headers=owner
        ),
        "posted kind": await client.patch(
            f"/api/v1/accounts/{main.id}", json={"kind": "expense"}, headers=owner
        ),
        "archive mapped": await client.patch(
            f"/api/v1/accounts/{main.id}", json={"archived": True}, headers=owner
        ),
        "unfit": await client.put(
            "/api/v1/accounts/purposes", json={"purpose": "tax", "account_id": main.id},
            headers=owner,
        ),
        "no generic": await client.put(
            "/api/v1/accounts/purposes", json={"purpose": "cash", "account_id": None},
            headers=owner,
        ),
    }  # fmt: skip
    statuses = {what: a.status_code for what, a in answers.items()}

    assert statuses == {
        "server": 403,
        "kind": 400,
        "nul": 422,  # InputGuard: a control character is refused before the handler
        "huge id": 404,  # an id past BIGINT names nothing: not found, as everywhere
        "unknown id": 404,
        "posted kind": 422,
        "archive mapped": 422,
        "unfit": 422,
        "no generic": 422,
    }
    for answer in answers.values():
        assert set(answer.json()) == {"error", "status"}, answer.text


async def test_the_openapi_document_tells_the_chart_as_it_is(client: Client) -> None:
    document = (await client.get("/api/v1/schema/openapi.json")).json()
    paths = document["paths"]

    assert set(paths["/api/v1/accounts"]) == {"get", "post"}
    assert set(paths["/api/v1/accounts/{account_id}"]) == {"patch"}
    assert set(paths["/api/v1/accounts/purposes"]) == {"put"}
    add = paths["/api/v1/accounts"]["post"]
    assert "409" in add["responses"] and "201" in add["responses"]
    assert any(p["name"] == "Idempotency-Key" for p in add["parameters"])
    assert "200" in paths["/api/v1/accounts/{account_id}"]["patch"]["responses"]
