"""What the chart of accounts accepts: account codes, names, kinds, and which kind of account
each purpose may post to. Pure: no I/O.

A purpose is what a posting names ("sales:category:12"); its head, the part before the first
":", is the generic purpose it falls back to ("sales"). The head decides which kinds of
account fit: revenue lands on a revenue account, tax owed on a liability, cash in an asset.
Pointing tax at a revenue account would make the P&L show the state's money as the
restaurant's, so the chart refuses it rather than leave the accountant to find it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.errors import BadInput
from app.core.inputs import clean_text, is_id, parse_whole

ACCOUNT_KINDS = ("asset", "liability", "equity", "revenue", "expense")

#: Generic purpose -> the kinds of account it may post to (the first is what a new account
#: made for it gets). Contra-revenue (discounts, refunds) may be kept as revenue accounts
#: with a debit balance, as most bookkeepers do, or as expenses; over/short and rounding go
#: either way, so either side of the P&L fits. Later modules add their purposes here
#: (inventory, cost of goods, waste, loyalty, deposits).
FITS: dict[str, tuple[str, ...]] = {
    "sales": ("revenue",),
    "service_charge": ("revenue",),
    "discounts": ("revenue", "expense"),
    "refunds": ("revenue", "expense"),
    "comps": ("expense",),
    "tax": ("liability",),
    "tips_payable": ("liability",),
    "cash": ("asset",),
    "card": ("asset",),
    "safe": ("asset",),
    "over_short": ("expense", "revenue"),
    "rounding": ("expense", "revenue"),
    "paid_outs": ("expense",),
    # Stock at average cost (app/inventory/costing.py): what is on the shelves is an asset;
    # what was sold, thrown away or went missing is an expense.
    "inventory": ("asset",),
    "payables": ("liability",),
    "cogs": ("expense",),
    "waste": ("expense",),
    "shrinkage": ("expense",),
}

#: The generic purposes that have specific ones, and what the part after it names.
SPECIFIC = {"sales": "category", "tax": "rate", "cash": "drawer", "card": "terminal"}

#: What a person reads for each generic purpose.
MEANS = {
    "sales": "sales (net of tax)",
    "service_charge": "service charges",
    "discounts": "discounts given",
    "refunds": "refunds not tied to a line",
    "comps": "comped items",
    "tax": "sales tax collected",
    "tips_payable": "card tips owed to staff",
    "cash": "cash in the drawers",
    "card": "card payments to be settled",
    "safe": "cash in the safe",
    "over_short": "cash over and short",
    "rounding": "rounding",
    "paid_outs": "cash paid out of a drawer",
    "inventory": "stock on the shelves, at average cost",
    "payables": "deliveries owed to suppliers",
    "cogs": "cost of goods sold",
    "waste": "stock thrown away",
    "shrinkage": "stock a count found missing (or over)",
}

_CODE = re.compile(r"[A-Za-z0-9]{1,20}")
#: The names the POS gives drawers and terminals are at most 40 characters (their columns).
_NAME_LIMIT = 40


@dataclass(frozen=True, slots=True)
class Purpose:
    """A purpose as the chart stores it: ``text`` is canonical ("tax:rate:88750")."""

    text: str
    head: str
    #: "category", "rate", "drawer", "terminal"; "" for a generic purpose.
    names: str = ""
    #: The category id, the rate in ppm, the drawer's or the terminal's name.
    detail: str = ""

    @property
    def generic(self) -> bool:
        return not self.names

    @property
    def kinds(self) -> tuple[str, ...]:
        return FITS[self.head]


def parse_purpose(raw: str) -> Purpose:
    """A purpose typed or sent, read strictly: a typo here would post nowhere special and
    nobody would notice, so anything the postings never name is refused."""
    text = clean_text(raw, "The purpose", limit=80, lines=False).strip()
    head, _, rest = text.partition(":")
    if head not in FITS:
        known = ", ".join(sorted(FITS))
        raise BadInput(f"There is no purpose {text[:40]!r}: it starts with one of {known}.")
    if not rest:
        return Purpose(head, head)
    names, _, detail = rest.partition(":")
    if SPECIFIC.get(head) != names or not detail:
        expected = f"{head}:{SPECIFIC[head]}:..." if head in SPECIFIC else head
        raise BadInput(f"The purpose {text[:40]!r} is not one the postings use: write {expected}.")
    if names == "category":
        if not is_id(detail):
            raise BadInput("A category's purpose is sales:category: and the category's number.")
        detail = str(int(detail))
    elif names == "rate":
        ppm = parse_whole(detail, "A tax rate in a purpose (parts per million)", low=0)
        detail = str(ppm)
    elif len(detail) > _NAME_LIMIT:
        raise BadInput(f"A {names}'s name is at most {_NAME_LIMIT} characters.")
    return Purpose(f"{head}:{names}:{detail}", head, names, detail)


def a_kind(kind: str) -> str:
    """ "an asset", "a liability" ... as a sentence says it."""
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def check_fits(purpose: Purpose, kind: str, account: str) -> None:
    if kind not in purpose.kinds:
        wanted = a_kind(" or ".join(purpose.kinds))
        raise BadInput(
            f"{account} is {a_kind(kind)} account; {purpose.text} ({MEANS[purpose.head]}) "
            f"posts to {wanted} account."
        )


def account_code(raw: str) -> str:
    code = raw.strip()
    if not code:
        raise BadInput("Give the account a code (such as 4100).")
    if not _CODE.fullmatch(code):
        raise BadInput(
            "An account code is 1 to 20 letters A-Z and digits 0-9, nothing else (such as 4100)."
        )
    return code


def account_name(raw: str) -> str:
    name = clean_text(raw, "The account's name", limit=80, lines=False).strip()
    if not name:
        raise BadInput("Give the account a name (such as Sales - Wine).")
    return name


def account_kind(raw: str) -> str:
    kind = raw.strip().lower()
    if kind not in ACCOUNT_KINDS:
        raise BadInput(f"An account's kind is one of {', '.join(ACCOUNT_KINDS)}.")
    return kind


def natural_balance(kind: str, balance: int) -> int:
    """A balance as an accountant reads it: debits positive for assets and expenses,
    credits positive for liabilities, equity and revenue (a contra account reads negative)."""
    return balance if kind in ("asset", "expense") else -balance
