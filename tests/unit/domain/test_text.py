"""Terminal safety: no control characters but tab and newline, no bidi overrides, never an exception."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boardtui.domain.text import BIDI_CONTROLS, cell_width, one_line, quoted, terminal_safe

BIDI_OVERRIDES = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _is_safe(text: str) -> bool:
    return all(
        (unicodedata.category(ch) != "Cc" or ch in "\t\n") and ch not in BIDI_OVERRIDES for ch in text
    )


@pytest.mark.parametrize(
    "raw, safe",
    [
        ("plain", "plain"),
        ("a\r\nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("tab\there\nnext", "tab\there\nnext"),
        ("\x1b]52;c;ZXZpbA==\x07", "]52;c;ZXZpbA=="),  # OSC 52 clipboard write
        ("\x1b]0;title\x07x", "]0;titlex"),
        ("\x1b[31mred\x1b[0m", "[31mred[0m"),
        ("nul\x00byte", "nulbyte"),
        ("vt\x0bff\x0c", "vtff"),
        ("del\x7f c1\x9b", "del c1"),
        ("next\x85line", "nextline"),
        ("\u202eevil\u202c", "evil"),
        ("\u2066isolate\u2069", "isolate"),
        ("keep \u200f marks \u200e", "keep \u200f marks \u200e"),
        ("e\u0301 👩‍⚕️ 外来 [RED] [/]", "e\u0301 👩‍⚕️ 外来 [RED] [/]"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("", ""),
    ],
)
def test_terminal_safe(raw, safe):
    assert terminal_safe(raw) == safe


def test_terminal_safe_never_raises_on_odd_input():
    class Hostile:
        def __str__(self):
            raise RuntimeError("no")

    assert terminal_safe(None) == ""
    assert terminal_safe(42) == "42"
    assert terminal_safe(Hostile()) == ""


def test_bidi_controls_constant():
    assert BIDI_CONTROLS == BIDI_OVERRIDES


@given(st.text())
def test_terminal_safe_leaves_nothing_a_terminal_acts_on(text):
    out = terminal_safe(text)
    assert _is_safe(out)
    assert "\r" not in out


@given(st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "L", "Zs"])))
def test_terminal_safe_on_control_heavy_text(text):
    out = terminal_safe(text)
    assert _is_safe(out)
    assert terminal_safe(out) == out  # idempotent


@given(st.text())
def test_terminal_safe_keeps_safe_text_unchanged(text):
    if _is_safe(text) and "\r" not in text:
        assert terminal_safe(text) == text


def test_one_line_collapses_breaks_and_tabs():
    assert one_line("first\r\n\n  second\tthird ") == "first second third"
    assert one_line("a  b") == "a  b"  # spaces inside a line are the author's


def test_one_line_truncates_by_terminal_cells():
    assert one_line("Integrated Urgent & Emergency Care", 12) == "Integrated…"
    assert cell_width(one_line("Integrated Urgent & Emergency Care", 12)) <= 12
    assert one_line("short", 12) == "short"
    assert one_line("外来外来外来", 5) == "外来…"
    assert one_line("abc", 0) == ""
    assert one_line("abc", 1) == "…"


@given(st.text(), st.integers(1, 40))
def test_one_line_fits_its_width(text, width):
    out = one_line(text, width)
    assert "\n" not in out and "\t" not in out
    assert cell_width(out) <= width
    assert _is_safe(out)


def test_quoted_is_short_and_safe():
    q = quoted("\x1b[2J" + "x" * 100)
    assert q.startswith("'[2J") and q.endswith("…'")
    assert len(q) <= 42
