"""Pairing codes as a manager reads them off a kitchen screen and types them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import BadInput
from app.devices import codes


def test_a_new_code_is_eight_unambiguous_characters_shown_in_two_groups() -> None:
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 8 and set(code) <= set(codes.ALPHABET)
        assert codes.shown(code) == f"{code[:4]}-{code[4:]}"
    assert not set("01OIL") & set(codes.ALPHABET)
    assert len(codes.ALPHABET) == 31


@given(st.text(alphabet=codes.ALPHABET, min_size=8, max_size=8))
def test_the_code_as_shown_in_any_case_with_dashes_or_spaces_reads_back(code: str) -> None:
    for typed in (code, codes.shown(code), codes.shown(code).lower(), f"  {code[:4]} {code[4:]} "):
        assert codes.read_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Type the pairing code"),
        ("   ", "Type the pairing code"),
        ("7KQ4\x00XM2P", "control character"),
        ("7KQ4\n-XM2P", "control character"),
        ("٧٨٩٢-٣٤٥٦", "Only the letters A to Z and the digits 2 to 9"),  # Arabic-Indic digits
        ("７ＫＱ４-ＸＭ２Ｐ", "Only the letters A to Z"),  # full-width letters and digits
        ("7KQ4-XM2PÉ", "Only the letters A to Z"),
        ("7KQ4-XM2", "8 letters and digits"),
        ("7KQ4-XM2PP", "8 letters and digits"),
        ("7" * 33, "8 letters and digits"),
        ("7" * 5000, "8 letters and digits"),
        ("70Q4-XM2P", "no 0, O, 1, I or L"),
        ("7KQ4-XL2P", "no 0, O, 1, I or L"),
        ("7KQ4_XM2P", "8 letters and digits"),
    ],
)
def test_a_code_that_cannot_be_one_is_refused_with_a_sentence(typed: str, says: str) -> None:
    with pytest.raises(BadInput, match=says):
        codes.read_code(typed)


def test_only_a_digest_of_a_code_is_kept() -> None:
    code = codes.new_code()
    assert len(codes.digest(code)) == 64 and code not in codes.digest(code)
