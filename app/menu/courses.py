"""The courses of a meal, in serving order, and which of them go out on Send."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.menu.models import Category, Course, MenuItem


@dataclass(frozen=True, slots=True)
class CourseRule:
    name: str
    sort: int
    #: Drinks go to the bar on Send, whatever course the table is on.
    fires_immediately: bool


async def courses(session: AsyncSession, location_id: int) -> dict[str, CourseRule]:
    """The location's courses in serving order (drinks, starters, mains, desserts...)."""
    rows = await session.scalars(
        select(Course).where(Course.location_id == location_id).order_by(Course.sort, Course.id)
    )
    return {c.name: CourseRule(c.name, c.sort, c.fires_immediately) for c in rows.all()}


def course_sort(rules: dict[str, CourseRule], name: str) -> int:
    """Unknown course names (a category renamed since) sort after the known ones."""
    rule = rules.get(name)
    return rule.sort if rule else 99


async def default_course(session: AsyncSession, item_id: int) -> str:
    """The course an item goes out with unless the server picks another: its own (a starter
    served as a main), else its category's."""
    course = await session.scalar(
        select(func.coalesce(MenuItem.course, Category.course))
        .join(Category, Category.id == MenuItem.category_id)
        .where(MenuItem.id == item_id)
    )
    return course or "mains"
