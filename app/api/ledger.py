"""The ledger's hash chain, verified over JSON (managers and owners), as ``brigade
verify-ledger`` does on the console: for an auditor's or an ERP's monitor."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, get
from litestar.di import NamedDependency

from app.accounting.chain import REASONS, Break, verify_chain
from app.api.common import API, LISTING, Req, errors
from app.platform.auth import MANAGERS
from app.platform.db import UnitOfWork


@dataclass
class BrokenLink:
    """The first link of the chain that does not verify."""

    #: The link's number in the chain; null for a record with no link at all.
    seq: int | None
    #: The link's kind: "entry" (a journal entry) or "z" (a Z report), or what was forged.
    kind: str
    #: What it covers, in words: "journal entry 42 (close, check:17)".
    record: str
    #: One of: unknown, duplicate, prev, gone, check_gone, content, missing.
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
    """The chain recomputed link by link. Record ``last_hash`` somewhere outside Brigade
    (it is also on each Z): a later check that ends on it proves nothing was rewritten."""

    intact: bool
    #: How many links the location's chain has.
    links: int
    #: The last link's hash (64 zeros for an empty chain).
    last_hash: str
    #: The first break in chain order; null when the chain is intact.
    broken: BrokenLink | None


class LedgerApiController(Controller):
    path = "/api/v1/ledger"
    opt = {**API, "roles": MANAGERS}
    tags = ["ledger"]

    @get(
        "/verify",
        summary="Verify the books' hash chain (managers)",
        description="Recomputes every link of the location's chain (journal entries, the "
        "closed checks they post, Z reports) in order. A broken chain is still a 200: "
        f"`intact` is false and `broken` names the first break. Reasons: {', '.join(REASONS)}.",
        responses=errors(*LISTING),
    )
    async def verify(self, request: Req, uow: NamedDependency[UnitOfWork]) -> LedgerVerification:
        result = await verify_chain(uow.session, request.app.state.location.id)
        broken = BrokenLink.of(result.broken) if result.broken else None
        return LedgerVerification(result.intact, result.links, result.last_hash, broken)
