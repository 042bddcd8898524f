"""Every POST is safe to retry (issue 11; RELIABILITY.md ORD-1): a second tap after a lost
answer, or an integration's retry, applies nothing twice.

This walks the app's route table. Every route that changes something (POST, and any PUT,
PATCH or DELETE one day) must either take an idempotency key or be listed below in
NATURALLY_IDEMPOTENT with the reason a second identical request changes nothing.

How a route takes a key (docs/idempotency.md):

- A screen's handler reads its form's ``key`` field, passes it to its command (which claims it
  with ``app.platform.idempotency.claim`` in its own transaction) and says so::

      from app.platform.idempotency import KEYED

      @post("/checks/{check_id:int}/discounts", opt=KEYED)      # with roles:
      @post("/office/menu/items", opt={**KEYED, "roles": MANAGERS})

  and its templates send a fresh key with every form (``<input type="hidden" name="key"
  value="{{ new_key() }}">``) or button (``hx-vals='{"key": "{{ new_key() }}"}'``):
  ``test_every_keyed_screen_sends_its_key`` below reads the templates for it.
- An ``/api/v1`` handler takes the ``Idempotency-Key`` header as a parameter and passes it
  to its command: ``idempotency_key: IdempotencyKey = None`` (``app.api.common``). Under
  ``/api/v1`` only this counts, because it is what the OpenAPI document shows integrators.

A route that is idempotent by nature (sign-out, a PIN pad, setting a value to an absolute
state) goes in NATURALLY_IDEMPOTENT with its reason instead. A new POST with neither fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from app.main import create_app
from app.platform.idempotency import KEYED
from app.platform.settings import Settings
from app.platform.templating import TEMPLATES
from tests.web.retry_safe_routes import NATURALLY_IDEMPOTENT

API = "/api/v1/"
CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Command:
    method: str
    path: str
    handler: HTTPRouteHandler

    @property
    def takes_header(self) -> bool:
        return "idempotency_key" in self.handler.parsed_fn_signature.parameters

    @property
    def takes_form_key(self) -> bool:
        return self.handler.opt.get("retry_safe") == KEYED["retry_safe"]

    @property
    def where(self) -> str:
        fn = self.handler.fn
        return f"{self.method} {self.path} ({fn.__module__}.{fn.__qualname__})"


@cache
def commands() -> tuple[Command, ...]:
    # The route table only: no database is reached while the app is built.
    app = create_app(
        Settings(database_url="postgresql+asyncpg://routes@127.0.0.1:1/none", print_worker=False)
    )
    found = tuple(
        Command(method, route.path, handler)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for method in sorted(handler.http_methods & CHANGES)
    )
    assert len(found) > 50, "the route table looks empty: this test would prove nothing"
    return found


def test_every_post_takes_a_key_or_says_why_it_need_not() -> None:
    missing = [
        c.where
        for c in commands()
        if c.path not in NATURALLY_IDEMPOTENT
        and not (c.takes_header if c.path.startswith(API) else c.takes_form_key)
    ]
    assert not missing, (
        "These routes change something but take no idempotency key. Pass the key to the "
        "command and mark the handler (opt=KEYED for a screen's form key; the "
        "idempotency_key: IdempotencyKey = None parameter under /api/v1), or list the path "
        "in NATURALLY_IDEMPOTENT with the reason (see this file's docstring):\n"
        + "\n".join(missing)
    )


def test_the_api_documents_the_key_on_every_keyed_post() -> None:
    """Integrators read the key off the OpenAPI document: a form marker there is no use."""
    wrong = [c.where for c in commands() if c.path.startswith(API) and c.takes_form_key]
    assert not wrong, "API handlers take the Idempotency-Key header, not opt=KEYED:\n" + (
        "\n".join(wrong)
    )


def test_the_naturally_idempotent_list_names_only_real_unkeyed_routes() -> None:
    by_path: dict[str, list[Command]] = {}
    for c in commands():
        by_path.setdefault(c.path, []).append(c)
    stale = [path for path in NATURALLY_IDEMPOTENT if path not in by_path]
    assert not stale, f"no such route any more; drop it from NATURALLY_IDEMPOTENT: {stale}"
    keyed = [
        path
        for path in NATURALLY_IDEMPOTENT
        if any(c.takes_header or c.takes_form_key for c in by_path[path])
    ]
    assert not keyed, f"these take a key now; drop them from NATURALLY_IDEMPOTENT: {keyed}"
    vague = [path for path, why in NATURALLY_IDEMPOTENT.items() if len(why) < 20]
    assert not vague, f"say why in a sentence: {vague}"


# --- the screens send the key: every form or button posting to a keyed route carries one ---

_INCLUDE = re.compile(r"""{%-?\s*include\s+["']([^"']+)["'][^%]*-?%}""")
_JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
_VOID = frozenset({"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"})


def _inlined(name: str, depth: int = 0) -> str:
    """A template with its includes pasted in (a key may come from a shared partial)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if depth > 4:
        return text
    return _INCLUDE.sub(lambda m: _inlined(m.group(1), depth + 1), text)


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    parent: _Node | None
    children: list[_Node]

    def sends_key(self) -> bool:
        return "key" in _vals(self.attrs) or (
            self.tag == "input" and self.attrs.get("name") == "key"
        )

    def holds_key(self) -> bool:
        return self.sends_key() or any(child.holds_key() for child in self.children)


def _vals(attrs: dict[str, str]) -> str:
    raw = attrs.get("hx-vals", "")
    return "key" if re.search(r"""["']key["']\s*:""", raw) else ""


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {}, None, [])
        self.at = self.root
        self.posts: list[_Node] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs}, self.at, [])
        self.at.children.append(node)
        posting = "hx-post" in node.attrs or (
            tag == "form" and node.attrs.get("method", "").lower() == "post"
        )
        if posting:
            self.posts.append(node)
        if tag not in _VOID:
            self.at = node

    def handle_endtag(self, tag: str) -> None:
        node: _Node | None = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.at = node.parent


def _key_sent(node: _Node) -> bool:
    """htmx sends the element's hx-vals and its ancestors', and for a POST the fields of the
    form it is in (or is)."""
    at: _Node | None = node
    while at is not None:
        if at.sends_key() or (at.tag == "form" and at.holds_key()):
            return True
        at = at.parent
    return False


def _posts_to(url: str, path: str) -> bool:
    """Whether a url as a template writes it ("X" where Jinja fills in an id, or a whole
    prefix such as ``{{ base }}/86``) can be this route."""
    written = re.compile("^" + ".+".join(re.escape(p) for p in url.split("X")) + "/?$")
    return bool(written.match(re.sub(r"{[^}]+}", "1", path)))


def _targets() -> list[tuple[str, str, bool]]:
    """(template, url as written with Jinja made a placeholder, key sent) per posting element."""
    found = []
    for file in sorted(TEMPLATES.rglob("*.html")):
        name = file.relative_to(TEMPLATES).as_posix()
        tree = _Tree()
        tree.feed(_JINJA.sub(lambda m: "X" if m.group(0).startswith("{{") else "", _inlined(name)))
        for node in tree.posts:
            url = node.attrs.get("hx-post") or node.attrs.get("action") or ""
            found.append((name, url.split("?")[0], _key_sent(node)))
    assert len(found) > 30, "no posting forms found: the template reader is broken"
    return found


def test_every_keyed_screen_sends_its_key() -> None:
    posts = [c for c in commands() if c.method == "POST"]
    unknown: list[str] = []
    keyless: list[str] = []
    for template, url, sent in _targets():
        matched = [c for c in posts if _posts_to(url, c.path)]
        if not matched:
            unknown.append(f"{template}: {url}")
        elif any(c.takes_form_key for c in matched) and not sent:
            keyless.append(f"{template}: {url}")
    assert not unknown, "these templates post where no POST route is:\n" + "\n".join(unknown)
    assert not keyless, (
        "these forms post to a keyed route without a key (add <input type=hidden name=key "
        'value="{{ new_key() }}"> or hx-vals \'{"key": "{{ new_key() }}"}\'):\n'
        + "\n".join(keyless)
    )
