"""The ledger's hash chain, verified over JSON (managers and owners), as ``brigade
verify-ledger`` does on the console: for an auditor's or an ERP's monitor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from app.accounting.chain import REASONS, Anchor, Break, verify_chain
from app.api.common import API, Req, errors
from app.core.errors import BadInput
from app.core.inputs import MAX_ID
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork

NotedSeq = Annotated[
    int | None,
    QueryParameter(
        name="anchor_seq",
        ge=1,
        le=MAX_ID,
        required=False,
        description="A link's number noted earlier (with anchor_hash): the chain must still "
        "pass through that hash, or someone rewrote it.",
    ),
]
NotedHash = Annotated[
    str | None,
    QueryParameter(
        name="anchor_hash",
        pattern="^[0-9a-f]{64}$",
        required=False,
        description="The hash noted for that link (64 lowercase hex digits).",
    ),
]


@dataclass
class BrokenLink:
    """The first link of the chain that does not verify."""

    #: The link's number in the chain; null for a record with no link at all.
    seq: int | None
    #: The link's kind: "entry" (a journal entry), "z" (a Z report), "anchor" (the noted
    #: link), or the kind a forged link claims.
    kind: str
    #: What it covers, in words: "journal entry 42 (close, check:17)".
    record: str
    #: One of: unknown, duplicate, prev, gone, check_gone, content, missing (a record with
    #: no link), rewritten, cut (the noted anchor's link differs or is gone).
    reason: str
    #: The reason in words.
    why: str
    #: For a record with no link: the link it belongs right after (null: the chain's start).
    after: int | None
    #: The whole finding, as ``brigade verify-ledger`` prints it.
    sentence: str

    @classmethod
    def of(cls, found: Break) -> BrokenLink:
        return cls(
            found.seq,
            found.kind,
            found.record,
            found.reason,
            found.why,
            found.after,
            found.sentence(),
        )


@dataclass
class LedgerVerification:
    """The chain recomputed link by link. Note ``last_seq`` and ``last_hash`` somewhere
    outside Brigade: a later check with them as the anchor proves the chain was not
    rewritten since."""

    intact: bool
    #: How many links the location's chain has.
    links: int
    #: The last link's hash (64 zeros for an empty chain).
    last_hash: str
    #: The last link's number (0 for an empty chain): note it with last_hash, send both back
    #: as anchor_seq and anchor_hash later.
    last_seq: int
    #: The first break in chain order; null when the chain is intact.
    broken: BrokenLink | None


class LedgerVerifyApiController(Controller):
    path = "/api/v1/ledger"
    opt = {**API, "roles": MANAGERS}
    tags = ["ledger"]

    @get(
        "/verify",
        summary="Verify the books' hash chain (managers)",
        description="Recomputes every link of the location's chain (journal entries, the "
        "closed checks they post, Z reports) in order. A broken chain is still a 200: "
        f"`intact` is false and `broken` names the first break. Reasons: {', '.join(REASONS)}. "
        "Send a link noted earlier (anchor_seq and anchor_hash) to also prove the chain was "
        "not rewritten since.",
        responses=errors(400, 401, 403, 422),
    )
    async def verify(
        self,
        request: Req,
        uow: NamedDependency[UnitOfWork],
        anchor_seq: NotedSeq = None,
        anchor_hash: NotedHash = None,
    ) -> LedgerVerification:
        if (anchor_seq is None) != (anchor_hash is None):
            raise BadInput("Send both anchor_seq and anchor_hash (a noted link), or neither.")
        anchor = Anchor(anchor_seq, anchor_hash) if anchor_seq and anchor_hash else None
        result = await verify_chain(uow.session, request.app.state.location.id, anchor)
        broken = BrokenLink.of(result.broken) if result.broken else None
        return LedgerVerification(
            result.intact, result.links, result.last_hash, result.last_seq, broken
        )
