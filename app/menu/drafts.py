"""Drafts of menu changes read from typed fields: one reading for the editor's forms, the
CSV import and the API, so each refuses a bad value with the same sentence."""

from __future__ import annotations

from collections.abc import Mapping

from app.core import menu_rules
from app.core.errors import BadInput
from app.core.inputs import clean_text, parse_id
from app.core.restaurant import tax_rate_ppm
from app.menu.editor import CategoryDraft, ItemDraft
from app.menu.modifiers import GroupDraft, OptionDraft
from app.menu.taxes import RateDraft

Fields = Mapping[str, str]


def _course(raw: str) -> str:
    return clean_text(raw, "The course", limit=30, lines=False).strip()


def category_draft(form: Fields) -> CategoryDraft:
    course = _course(form.get("course", ""))
    if not course:
        raise BadInput("Pick the course this category's items go out with.")
    return CategoryDraft(
        name=menu_rules.menu_name(form.get("name", ""), "category"),
        color=menu_rules.colour(form.get("color", "")),
        course=course,
        sort=menu_rules.sort_order(form.get("sort", "")),
    )


def item_draft(form: Fields, exponent: int) -> ItemDraft:
    return ItemDraft(
        category_id=parse_id(form.get("category_id", ""), "category"),
        name=menu_rules.menu_name(form.get("name", ""), "item", limit=80),
        price=menu_rules.price(form.get("price", ""), exponent),
        tax_rate_id=parse_id(form.get("tax_rate_id", ""), "tax rate"),
        course=_course(form.get("course", "")) or None,
        kitchen_name=menu_rules.kitchen_name(form.get("kitchen_name", "")),
        description=menu_rules.description(form.get("description", "")),
        sort=menu_rules.sort_order(form.get("sort", "")),
    )


def group_draft(form: Fields) -> GroupDraft:
    low, high = menu_rules.choices(form.get("min_choices", ""), form.get("max_choices", ""))
    return GroupDraft(
        name=menu_rules.menu_name(form.get("name", ""), "modifier group"),
        min_choices=low,
        max_choices=high,
    )


def option_draft(form: Fields, exponent: int) -> OptionDraft:
    return OptionDraft(
        name=menu_rules.menu_name(form.get("name", ""), "option"),
        price_delta=menu_rules.price(form.get("price_delta", "") or "0", exponent, "The extra"),
        sort=menu_rules.sort_order(form.get("sort", "")),
    )


def rate_draft(form: Fields) -> RateDraft:
    return RateDraft(
        name=menu_rules.menu_name(form.get("name", ""), "tax rate"),
        rate_ppm=tax_rate_ppm(form.get("percent", "")),
    )
