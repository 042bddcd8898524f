"""The one reading of ids, numbers and text (app/core/inputs.py), over any string at all."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import BadInput, NotFound
from app.core.inputs import MAX_ID, clean_text, has_control, is_id, is_whole, parse_id, parse_whole


@given(st.text(max_size=60) | st.sampled_from(["²", "١٢", "9" * 5000, "1\x00", " 7 ", "-0"]))
def test_a_typed_number_is_read_or_refused_with_a_sentence(raw: str) -> None:
    message = ""
    try:
        value = parse_whole(raw, "Guests", low=1, high=99)
    except BadInput as refused:
        message = refused.message
    if message:
        assert message.startswith("Guests ") and message.endswith(".")
    else:
        assert raw.strip().isascii() and 1 <= value <= 99 and int(raw.strip()) == value


@given(st.integers(-(2**80), 2**80))
def test_every_whole_number_within_bigint_reads_back_and_no_other(number: int) -> None:
    inside = abs(number) <= MAX_ID
    assert is_whole(str(number)) is inside
    if inside:
        assert parse_whole(str(number), "Amount") == number
    else:
        with pytest.raises(BadInput, match="too large"):
            parse_whole(str(number), "Amount")


@given(st.text(max_size=30))
def test_an_id_is_ascii_digits_from_one_to_bigint(raw: str) -> None:
    if is_id(raw.strip()):
        assert 1 <= parse_id(raw, "table") <= MAX_ID
    else:
        with pytest.raises(NotFound, match="no table with that number"):
            parse_id(raw, "table")


@pytest.mark.parametrize("raw", ["0", "-1", "²", "١٢", str(MAX_ID + 1), "9" * 5000, "1e3"])
def test_ids_that_name_nothing(raw: str) -> None:
    assert not is_id(raw)


@given(st.text(max_size=50))
def test_text_is_kept_exactly_unless_it_holds_a_control_character(raw: str) -> None:
    message = ""
    try:
        kept = clean_text(raw, "Note", limit=40)
    except BadInput as refused:
        message = refused.message
    if message:
        assert (len(raw) > 40 or has_control(raw)) and "Note" in message
    else:
        assert kept == raw and not has_control(raw)


def test_a_nul_or_escape_is_refused_but_a_line_break_in_a_note_is_not() -> None:
    assert clean_text("no onions\nextra lime", "Note") == "no onions\nextra lime"
    for hostile in ("no\x00onions", "\x1b[2J", "\u0085", "\ud800"):
        with pytest.raises(BadInput, match="control character"):
            clean_text(hostile, "Note")
    with pytest.raises(BadInput):
        clean_text("Table\n5", "Name", lines=False)
