"""Reading what a manager typed into inventory's forms (and the API's bodies): names, base
units, and recipe lines of amount and unit. Each wrong field is a sentence, never a 500."""

from __future__ import annotations

from decimal import Decimal

from app.core.errors import BadInput
from app.core.inputs import clean_text, parse_id
from app.inventory.editor import MAX_LINES, Amount, IngredientDraft
from app.inventory.models import BASE_UNITS
from app.inventory.units import quantity


def shelf_name(raw: str, what: str = "ingredient") -> str:
    name = clean_text(
        raw, f"The {what}'s name", limit=80 if what == "ingredient" else 60, lines=False
    )
    if not name.strip():
        raise BadInput(f"Give the {what} a name.")
    return name.strip()


def base_unit(raw: str) -> str:
    unit = raw.strip()
    if unit not in BASE_UNITS:
        raise BadInput(f"{unit[:20]!r} is not a base unit: count it in g, ml or each.")
    return unit


def area_id(raw: str) -> int | None:
    """A storage area picked from the list; empty: none."""
    text = raw.strip()
    return parse_id(text, "storage area") if text else None


def signed_amount(raw: str) -> Decimal:
    """An amount typed for a recipe line; a leading minus takes off (options only)."""
    text = (raw or "").strip()
    if text.startswith("-"):
        return -quantity(text[1:])
    return quantity(text)


def unit_text(raw: str) -> str:
    return clean_text(raw, "The unit", limit=20, lines=False).strip()


def ingredient_draft(typed: dict[str, str]) -> IngredientDraft:
    return IngredientDraft(
        name=shelf_name(typed.get("name", "")),
        base_unit=base_unit(typed.get("base_unit", "")),
        storage_area_id=area_id(typed.get("storage_area_id", "")),
        # An unticked box is not sent at all: the form ticks "counted" for a new ingredient.
        tracked=typed.get("tracked", "") == "on",
    )


def recipe_lines(typed: dict[str, str], *, signed: bool) -> list[Amount]:
    """The form's rows ``ingredient_N``, ``amount_N``, ``unit_N`` (and ``off_N``, the "takes
    off" box of an option's row); a row with no ingredient picked is a blank row."""
    lines: list[Amount] = []
    for n in range(MAX_LINES):
        picked = typed.get(f"ingredient_{n}", "").strip()
        if not picked:
            continue
        ingredient = parse_id(picked, "ingredient")
        raw = typed.get(f"amount_{n}", "")
        if not raw.strip():
            raise BadInput("Give an amount on every line that names an ingredient.")
        amount = signed_amount(raw) if signed else quantity(raw)
        if signed and typed.get(f"off_{n}") == "on":
            amount = -abs(amount)
        lines.append(Amount(ingredient, amount, unit_text(typed.get(f"unit_{n}", ""))))
    return lines
