"""Schemathesis fuzzes every /api/v1 operation of the OpenAPI document against the running
app, signed in as a manager (who may call all of them): no answer is a server error, and
every status code, content type and body is one the document says.

Bounded and repeatable: a fixed number of examples per operation, derandomized Hypothesis,
no example database; the whole run takes well under a minute on two cores.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from litestar import Litestar
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import API_KEY, api_sign_in_body

SCHEMA = "/api/v1/schema/openapi.json"
#: Examples per operation and mode: about 30 operations x 2 modes x this, a few ms each.
EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def bearer_for(app: Litestar, name: str) -> dict[str, str]:
    """A bearer token as an integration gets one (the one place to change if sign-in does)."""
    made = asgi.get_client(app).post(
        "/api/v1/sessions", json=api_sign_in_body(name), headers=API_KEY
    )
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json()['token']}"}


def _open_check(app: Litestar, auth: dict[str, str]) -> dict[str, int]:
    """A real check with a line, so part of the fuzz reaches past "no such check"."""
    client = asgi.get_client(app)
    table = client.get("/api/v1/floor", headers=auth).json()[0]["tables"][0]["id"]
    check = client.post("/api/v1/checks", json={"table_id": table, "guests": 2}, headers=auth)
    assert check.status_code == 201, check.text
    check_id = int(check.json()["check_id"])
    item = client.get("/api/v1/menu", headers=auth).json()[0]["items"][0]["id"]
    line = client.post(f"/api/v1/checks/{check_id}/lines", json={"item_id": item}, headers=auth)
    assert line.status_code == 201, line.text
    return {"check_id": check_id, "line_id": int(line.json()["line_id"])}


def _fuzz(operation: Any, mode: GenerationMode, seen: Counter[int], **fixed: Any) -> list[str]:
    failures: list[str] = []
    checks = [*CHECKS, negative_data_rejection] if mode == GenerationMode.NEGATIVE else CHECKS

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    def run(case: Any) -> None:
        response = case.call()
        seen[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks)
        except (Exception, BaseExceptionGroup) as failed:
            if not failures:  # the first is enough: one report line per operation and mode
                failures.append(f"{operation.label} [{mode.value}]: {failed}"[:1500])

    try:
        run()
    except Unsatisfiable:
        # Nothing to break in it (no parameter, no body: GET /floor): no negative case.
        assert mode == GenerationMode.NEGATIVE, operation.label
    return failures


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_every_api_operation_answers_as_its_document_says(app: Litestar) -> None:
    schema = schemathesis.openapi.from_asgi(SCHEMA, app)
    try:
        auth = bearer_for(app, "Mia")
        real = _open_check(app, auth)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 25, [op.label for op in operations]
        failures: list[str] = []
        seen: Counter[int] = Counter()
        for operation in operations:
            params = {p.name for p in operation.path_parameters}
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                failures += _fuzz(operation, mode, seen, headers=auth)
                if "check_id" in params and mode == GenerationMode.POSITIVE:
                    fixed = {name: real[name] for name in params if name in real}
                    failures += _fuzz(operation, mode, seen, headers=auth, path_parameters=fixed)
        assert not failures, "\n\n".join(failures[:20])
        # It got past the refusals too: commands on the real check were carried out.
        assert sum(n for code, n in seen.items() if code < 300) >= 15, seen
    finally:
        asgi.shutdown_lifespans()
