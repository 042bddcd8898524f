"""The audit log: append-only rows naming who did it and who approved it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.models import AuditEntry


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
        insert(AuditEntry).values(
            action=action,
            subject=subject,
            actor_id=actor_id,
            approver_id=approver_id,
            detail=detail,
        )
    )
