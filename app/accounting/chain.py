"""Verifying the tamper-evident chain: every link recomputed, in order, the first break named.

The chain (``ledger_chain``) is one line of links per location, in commit order: a journal
entry's link is written by the posting gateway in SQL (``posting._POST``), a Z report's by
``z_chain.link_z``. Each link's hash covers the previous link's hash and its record's
content, so an edit anywhere (a line's amount, an entry's business day, a closed check's
frozen totals, a Z's figures), a deleted or reordered link, or a record written behind the
gateway's back shows at the first link it touches.

Speed: a big ledger is checked in the database. One statement recomputes every entry link
with the gateway's own formula (the same ``concat_ws`` over the same columns, so the
database's text forms of ids, days and amounts are the ones the hash was made of) and the
previous-hash continuity with a window, and returns only the first bad link and the
totals; nothing per entry crosses the wire. Z links (one per business day) are recomputed
here with ``z_chain``'s formulas. Records with no link are found with anti-joins.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounting.z_chain import GENESIS, z_content, z_hash
from app.core.errors import BadInput

#: Why a link is broken, in the words the owner reads.
REASONS = {
    "unknown": "the link is of an unknown kind",
    "duplicate": "the record has a second link",
    "prev": "its previous hash does not match the link before it",
    "gone": "its record no longer exists",
    "check_gone": "the closed check it covers no longer exists",
    "content": "its content changed since it was written",
    "missing": "it has no link in the chain",
    "rewritten": "its hash is not the one noted: the chain was rewritten at or before it",
    "cut": "the link noted is not in the chain any more: the chain was cut or rewritten",
}

#: A closed check's fingerprint, as ``entries.check_fingerprint`` makes it (ints are the
#: same decimal text in Python and PostgreSQL).
_FINGERPRINT = """encode(sha256(convert_to('check:' || g.id || ':' || g.number || ':' ||
    g.subtotal || ':' || g.comps || ':' || g.discounts || ':' || g.service_charge || ':' ||
    g.tax || ':' || g.total, 'UTF8')), 'hex')"""

_LINKS = text(
    f"""
    WITH links AS (
        SELECT c.seq, c.kind, c.ref_id, c.prev_hash, c.hash,
               lag(c.hash, 1, '{GENESIS}') OVER (ORDER BY c.seq) AS before,
               row_number() OVER (PARTITION BY c.kind, c.ref_id ORDER BY c.seq) AS nth
        FROM ledger_chain c WHERE c.location_id = :location_id
    ),
    lines AS (
        SELECT l.entry_id,
               string_agg(l.account_id || ':' || l.amount, ',' ORDER BY l.account_id, l.amount)
                   AS legs
        FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
        WHERE e.location_id = :location_id GROUP BY l.entry_id
    ),
    checked AS (
        SELECT k.seq, k.kind, k.ref_id, k.hash, e.kind AS entry_kind, e.source,
            CASE
                WHEN k.kind NOT IN ('entry', 'z') THEN 'unknown'
                WHEN k.nth > 1 THEN 'duplicate'
                WHEN k.prev_hash <> k.before THEN 'prev'
                WHEN k.kind = 'z' THEN NULL  -- its content is checked in Python
                WHEN e.id IS NULL THEN 'gone'
                WHEN e.kind = 'close' AND g.id IS NULL THEN 'check_gone'
                WHEN k.hash <> encode(sha256(convert_to(concat_ws('|', k.prev_hash, e.kind,
                    e.id, e.business_day, ln.legs,
                    CASE WHEN e.kind = 'close' THEN {_FINGERPRINT} ELSE '' END), 'UTF8')),
                    'hex') THEN 'content'
            END AS broken
        FROM links k
        LEFT JOIN journal_entry e
            ON k.kind = 'entry' AND e.id = k.ref_id AND e.location_id = :location_id
        LEFT JOIN lines ln ON ln.entry_id = e.id
        LEFT JOIN guest_check g
            ON e.kind = 'close' AND e.source = 'check:' || g.id
            AND g.location_id = :location_id
    )
    SELECT total.links, total.last_seq, total.last_hash, bad.seq, bad.kind, bad.ref_id,
           bad.entry_kind, bad.source, bad.broken
    FROM (SELECT count(*) AS links, max(seq) AS last_seq,
                 (SELECT hash FROM checked ORDER BY seq DESC LIMIT 1) AS last_hash
          FROM checked) AS total
    LEFT JOIN (SELECT * FROM checked WHERE broken IS NOT NULL ORDER BY seq LIMIT 1) AS bad
        ON true
    """  # noqa: S608 (constants above, never input)
)

_Z_LINKS = text(
    """
    SELECT c.seq, c.ref_id, c.prev_hash, c.hash, d.id, d.business_day, d.z_number,
           d.grand_total, d.report
    FROM ledger_chain c
    LEFT JOIN day_close d ON d.id = c.ref_id AND d.location_id = c.location_id
    WHERE c.location_id = :location_id AND c.kind = 'z' ORDER BY c.seq
    """
)

#: The first entry with no link, and the link it belongs after (the entry before it's:
#: ids are drawn under the chain's lock, so entry ids grow in chain order).
_UNLINKED_ENTRY = text(
    """
    SELECT e.id, e.kind, e.source,
           (SELECT max(c.seq) FROM ledger_chain c WHERE c.location_id = :location_id
            AND c.kind = 'entry' AND c.ref_id < e.id) AS after
    FROM journal_entry e
    WHERE e.location_id = :location_id AND NOT EXISTS (
        SELECT 1 FROM ledger_chain c
        WHERE c.location_id = :location_id AND c.kind = 'entry' AND c.ref_id = e.id)
    ORDER BY e.id LIMIT 1
    """
)

#: The first Z with no link, and the link it belongs after: the last one of its day or
#: before (nothing posts into a closed day, so everything later is of a later day).
_UNLINKED_Z = text(
    """
    SELECT d.id, d.business_day, d.z_number,
           (SELECT max(c.seq) FROM ledger_chain c
            LEFT JOIN journal_entry e ON c.kind = 'entry' AND e.id = c.ref_id
            LEFT JOIN day_close z ON c.kind = 'z' AND z.id = c.ref_id
            WHERE c.location_id = :location_id
            AND (e.business_day <= d.business_day OR z.z_number < d.z_number)) AS after
    FROM day_close d
    WHERE d.location_id = :location_id AND NOT EXISTS (
        SELECT 1 FROM ledger_chain c
        WHERE c.location_id = :location_id AND c.kind = 'z' AND c.ref_id = d.id)
    ORDER BY d.z_number LIMIT 1
    """
)


_LINK_HASH = text("SELECT hash FROM ledger_chain WHERE location_id = :location_id AND seq = :seq")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A link's hash noted outside Brigade (at a day close, by the accountant). The chain
    has no secret: whoever holds the database could edit a record and recompute every later
    hash. A chain that no longer passes through a noted hash shows that rewrite."""

    seq: int
    hash: str

    @classmethod
    def parse(cls, written: str) -> Anchor:
        seq, _, digest = written.strip().partition(":")
        digest = digest.lower()
        if not (seq.isdigit() and len(digest) == 64 and set(digest) <= set("0123456789abcdef")):
            raise BadInput(
                "A noted link is its number and its hash: 1042:76e59ece… (64 hex digits)."
            )
        return cls(int(seq), digest)


@dataclass(frozen=True, slots=True)
class Break:
    """The first broken link: ``seq`` is the link's (None for a record with no link: it
    belongs right after link ``after``), ``record`` says what it covers."""

    seq: int | None
    kind: str
    record: str
    reason: str
    why: str
    after: int | None = None

    def sentence(self) -> str:
        if self.seq is None:
            where = f"after link {self.after}" if self.after else "at the start of the chain"
            return f"The ledger's chain is broken: {self.record} {self.why} (it belongs {where})."
        return f"The ledger's chain is broken at link {self.seq}, {self.record}: {self.why}."


@dataclass(frozen=True, slots=True)
class ChainResult:
    location_id: int
    links: int
    last_hash: str
    broken: Break | None
    #: The last link's number (0: no link yet): with ``last_hash``, the anchor to note.
    last_seq: int = 0

    @property
    def intact(self) -> bool:
        return self.broken is None

    def sentence(self) -> str:
        if self.broken is not None:
            return self.broken.sentence()
        last = f" (link {self.last_seq})" if self.last_seq else ""
        return (
            f"The ledger's chain is intact: {self.links} links, last hash {self.last_hash}{last}."
        )


def entry_record(entry_id: int, kind: str | None, source: str | None) -> str:
    return f"journal entry {entry_id}" + (f" ({kind}, {source})" if kind else "")


def z_record(z_id: int, z_number: int | None = None, day: object = None) -> str:
    if z_number is None:
        return f"Z report (day close {z_id})"
    return f"Z report {z_number} (day close {z_id}, business day {day})"


def _break(seq: int | None, kind: str, record: str, reason: str, after: int | None = None) -> Break:
    return Break(seq, kind, record, reason, REASONS[reason], after)


async def verify_chain(
    session: AsyncSession, location_id: int, anchor: Anchor | None = None
) -> ChainResult:
    """Recompute the location's chain; the first break in chain order, if any. With an
    ``anchor``, the chain must also still pass through that noted hash."""
    params = {"location_id": location_id}
    row = (await session.execute(_LINKS, params)).one()
    # Each candidate is keyed by where it sits: (link seq, 0) for a link, (seq of the link
    # it belongs after, 1) for a record with no link: a deleted link then shows as the
    # record it covered, not as the next link's mismatched previous hash.
    found: list[tuple[tuple[int, int], Break]] = []
    if row.broken is not None:
        if row.kind == "entry":
            record = entry_record(row.ref_id, row.entry_kind, row.source)
        elif row.kind == "z":
            record = z_record(row.ref_id)
        else:
            record = f"a link of kind {row.kind!r} to record {row.ref_id}"
        found.append(((row.seq, 0), _break(row.seq, row.kind, record, row.broken)))
    z_break = await _first_bad_z(session, params)
    if z_break is not None:
        found.append(((z_break.seq or 0, 0), z_break))
    entry = (await session.execute(_UNLINKED_ENTRY, params)).first()
    if entry is not None:
        record = entry_record(entry.id, entry.kind, entry.source)
        found.append(((entry.after or 0, 1), _break(None, "entry", record, "missing", entry.after)))
    z = (await session.execute(_UNLINKED_Z, params)).first()
    if z is not None:
        record = z_record(z.id, z.z_number, z.business_day)
        found.append(((z.after or 0, 1), _break(None, "z", record, "missing", z.after)))
    if anchor is not None:
        now = await session.scalar(_LINK_HASH, {**params, "seq": anchor.seq})
        if now != anchor.hash:
            record = f"the link noted with hash {anchor.hash}"
            reason = "cut" if now is None else "rewritten"
            found.append(((anchor.seq, 0), _break(anchor.seq, "anchor", record, reason)))
    first = min(found, key=lambda pair: pair[0])[1] if found else None
    return ChainResult(
        location_id, int(row.links), row.last_hash or GENESIS, first, int(row.last_seq or 0)
    )


async def _first_bad_z(session: AsyncSession, params: dict[str, int]) -> Break | None:
    """A Z's content, with z_chain's formulas (the statement above checked its order)."""
    for z in await session.execute(_Z_LINKS, params):
        if z.id is None:
            return _break(z.seq, "z", z_record(z.ref_id), "gone")
        content = z_content(z.id, z.business_day, z.z_number, z.grand_total, z.report)
        if z_hash(z.prev_hash, content) != z.hash:
            return _break(z.seq, "z", z_record(z.id, z.z_number, z.business_day), "content")
    return None
