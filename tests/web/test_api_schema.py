"""The OpenAPI document says what the API does: only /api/v1, real fields, real errors."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import api_bearer

Client = AsyncTestClient[Litestar]
ERROR = {"$ref": "#/components/schemas/ErrorBody"}
#: The operations of app.api: each answers a typed body (the others belong to other areas).
LISTS = ("/api/v1/floor", "/api/v1/menu", "/api/v1/staff", "/api/v1/discounts")


def ours(path: str) -> bool:
    return path.startswith("/api/v1/checks") or path in LISTS


async def _document(client: Client) -> dict[str, Any]:
    answer = await client.get("/api/v1/schema/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


async def test_integrator_reads_only_the_api_in_the_document(client: Client) -> None:
    document = await _document(client)
    paths = sorted(document["paths"])
    assert all(p.startswith("/api/v1/") and not p.startswith("/api/v1/schema") for p in paths)
    assert "/checks/{check_id}/pay" not in paths and "/floor" not in paths  # pages
    operations = {f"{m} {p}" for m, p, _ in _operations(document)}
    for wanted in (
        "POST /api/v1/checks/{check_id}/courses/{course}/fire",
        "POST /api/v1/checks/{check_id}/fire-all",
        "POST /api/v1/checks/{check_id}/lines/{line_id}/hold",
        "POST /api/v1/checks/{check_id}/payments/card",
        "POST /api/v1/checks/{check_id}/split/seat",
        "POST /api/v1/checks/{check_id}/split/even",
        "POST /api/v1/checks/{check_id}/split/items",
        "POST /api/v1/checks/{check_id}/split/undo",
        "POST /api/v1/checks/{check_id}/lines/{line_id}/void",
        "POST /api/v1/checks/{check_id}/lines/{line_id}/comp",
        "POST /api/v1/checks/{check_id}/discounts",
        "GET /api/v1/menu",
        "GET /api/v1/staff",
    ):
        assert wanted in operations


async def test_every_error_in_the_document_is_the_body_the_api_sends(client: Client) -> None:
    document = await _document(client)
    assert "status_code" not in str(document)  # Litestar's own error body, never sent
    assert document["components"]["schemas"]["ErrorBody"]["required"] == ["error", "status"]
    for method, path, operation in _operations(document):
        codes = {int(c) for c in operation["responses"]}
        errors = {c for c in codes if c >= 400}
        assert errors, f"{method} {path} documents no error"
        for code in errors:
            schema = operation["responses"][str(code)]["content"]["application/json"]["schema"]
            assert schema == ERROR, f"{method} {path} {code}"
        if ours(path):
            assert 401 in codes and 403 in codes, f"{method} {path}"
            if "{" in path:
                assert {400, 404} <= codes, f"{method} {path}"
            if method == "POST":
                assert 409 in codes and 422 in codes, f"{method} {path}"
            if path.endswith(("/void", "/comp")):
                assert 429 in codes, f"{method} {path}"


async def test_request_and_answer_bodies_show_their_fields(client: Client) -> None:
    document = await _document(client)
    schemas = document["components"]["schemas"]
    assert set(schemas["CardIn"]["required"]) == {"amount", "version"}
    assert schemas["CardIn"]["properties"]["amount"]["minimum"] == 0
    assert {"approver_id", "pin", "reason"} <= set(schemas["VoidIn"]["required"])
    assert {"balance", "version", "courses", "held"} <= set(schemas["CheckOut"]["properties"])
    assert "pin" not in str(schemas["StaffOut"]).lower()
    for method, path, operation in _operations(document):
        if not ours(path):
            continue
        ok = next(r for c, r in operation["responses"].items() if c.startswith("2"))
        schema = ok["content"]["application/json"]["schema"]
        assert "$ref" in schema or "$ref" in schema.get("items", {}), f"{method} {path}"


async def test_a_malformed_body_gets_the_documented_error_body(client: Client) -> None:
    maria = await api_bearer(client, "Maria")
    json_header = {**maria, "Content-Type": "application/json"}
    for body in (b"{not json", b"\x83\xff", b'{"table_id": "five", "guests": 2}'):
        answer = await client.post("/api/v1/checks", content=body, headers=json_header)
        assert answer.status_code == 400, (body, answer.text)
        assert set(answer.json()) == {"error", "status"} and answer.json()["status"] == 400
