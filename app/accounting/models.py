"""The books: accounts, insert-only journal entries and lines, closed days, the hash chain and
the outbox.

Posted rows are never edited: the database refuses UPDATE and DELETE on them (triggers in
migration 0010), an entry's lines must sum to zero (a trigger checks every insert), and no
entry is dated into a closed business day. A correction is a new entry pointing at what it
corrects.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from app.accounting.chart_rules import ACCOUNT_KINDS
from app.platform.db import Base, created_at_column


class Account(Base):
    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint(f"kind IN {ACCOUNT_KINDS!r}", name="kind"),
        Index("uq_account_code", "location_id", "code", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))
    archived_at: Mapped[datetime | None]


class AccountPurpose(Base):
    """What an account is for: "sales" (the fallback), "sales:category:12", "tax:rate:88750",
    "cash:drawer:Bar" ... A posting names purposes; the chart says which account each is."""

    __tablename__ = "account_purpose"
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(80), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)


class JournalEntry(Base):
    __tablename__ = "journal_entry"
    __table_args__ = (
        # LED-2: a check's close is posted once, whatever retries or crashes happened.
        Index(
            "uq_journal_entry_close",
            "source",
            unique=True,
            postgresql_where=text("kind = 'close'"),
        ),
        Index("ix_journal_entry_day", "location_id", "business_day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    business_day: Mapped[date]
    #: close, refund, tip_adjust, tip_payout, drawer_open, cash_in, cash_out, drawer_close,
    #: adjustment, reversal
    kind: Mapped[str] = mapped_column(String(20))
    #: What it posts: "check:12", "refund:3", "movement:9", "drawer:2" ...
    source: Mapped[str] = mapped_column(String(60))
    memo: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The entry this one corrects (a reversal or an adjusting entry).
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("journal_entry.id"))
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    posted_at: Mapped[datetime] = created_at_column()


class JournalLine(Base):
    __tablename__ = "journal_line"
    __table_args__ = (CheckConstraint("amount <> 0", name="amount"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("journal_entry.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    #: Signed minor units: debit positive, credit negative; an entry's lines sum to zero.
    amount: Mapped[int]


class DayClose(Base):
    """A closed business day and its Z report: nothing is dated into it afterwards."""

    __tablename__ = "day_close"
    __table_args__ = (
        Index("uq_day_close_day", "location_id", "business_day", unique=True),
        Index("uq_day_close_z", "location_id", "z_number", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    business_day: Mapped[date]
    z_number: Mapped[int]
    #: Every net sale since the first Z: it only grows (refunds are counted apart).
    grand_total: Mapped[int]
    #: The Z report's figures, frozen as they were printed.
    report: Mapped[dict[str, Any]] = mapped_column(JSONB)
    closed_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime] = created_at_column()


class LedgerLink(Base):
    """One link of the tamper-evident chain: a close (its check and entry), an entry, a Z.
    ``hash`` = SHA-256 of the previous link's hash and the record's content."""

    __tablename__ = "ledger_chain"
    __table_args__ = (Index("ix_ledger_chain_location", "location_id", "seq"),)
    seq: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    kind: Mapped[str] = mapped_column(String(10))  # "entry" or "z"
    ref_id: Mapped[int]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxEvent(Base):
    """For outside consumers (an ERP, webhooks, the head office): written with the posting,
    delivered at least once; consumers deduplicate by ``id``."""

    __tablename__ = "outbox_event"
    __table_args__ = (Index("ix_outbox_event_position", "location_id", "position"),)
    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    #: The order events were written in, for "everything after N".
    position: Mapped[int] = mapped_column(server_default=text("nextval('outbox_position_seq')"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = created_at_column()
