"""The audit log: append-only rows naming who did it and who approved it."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.models import AuditEntry

# Core insert on the table, built once: every command writes one of these.
_ENTRY = insert(cast(Table, AuditEntry.__table__))


async def record(
    session: AsyncSession,
    action: str,
    subject: str,
    *,
    actor_id: int | None,
    approver_id: int | None = None,
    **detail: Any,
) -> None:
    """Write one audit row in the caller's transaction: it commits or vanishes with the act."""
    await session.execute(
        _ENTRY,
        {
            "action": action,
            "subject": subject,
            "actor_id": actor_id,
            "approver_id": approver_id,
            "detail": detail,
        },
    )
