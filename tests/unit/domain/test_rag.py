"""RAG ratings: parsing, words, effective rating and when an override needs commentary."""

import pytest

from boardtui.domain.errors import ParseError
from boardtui.domain.rag import Derived, Rag, effective, override_needs_commentary


def test_words_and_letters():
    assert [r.value for r in Rag] == ["R", "A", "G", "B", "U"]
    assert [r.word for r in Rag] == ["Red", "Amber", "Green", "Blue", "Unrated"]
    assert f"{Rag.A}" == "A"
    assert Rag.R == "R"


@pytest.mark.parametrize(
    "text, rag",
    [
        ("R", Rag.R), ("r", Rag.R), ("Red", Rag.R), (" RED ", Rag.R),
        ("a", Rag.A), ("amber", Rag.A), ("G", Rag.G), ("green", Rag.G),
        ("B", Rag.B), ("blue", Rag.B), ("complete", Rag.B),
        ("", Rag.U), ("  ", Rag.U), (None, Rag.U), ("U", Rag.U), ("grey", Rag.U), ("Unrated", Rag.U),
        (Rag.G, Rag.G),
    ],
)
def test_parse(text, rag):
    assert Rag.parse(text) is rag


@pytest.mark.parametrize("text", ["X", "orange", "RA", "[RED]", 1])
def test_parse_rejects(text):
    with pytest.raises(ParseError, match="is not a RAG rating"):
        Rag.parse(text)


def test_severity_orders_red_worst():
    assert sorted(Rag, key=lambda r: r.severity, reverse=True) == [Rag.R, Rag.A, Rag.G, Rag.B, Rag.U]


def test_effective_prefers_the_override():
    assert effective(Rag.G, None) is Rag.G
    assert effective(Rag.G, Rag.A) is Rag.A


@pytest.mark.parametrize(
    "derived, new, needed",
    [
        (Rag.G, Rag.G, False),
        (Rag.G, Rag.A, True),
        (Rag.A, Rag.A, False),
        (Rag.R, Rag.R, True),  # every red needs a reason, even when the rule agrees
        (Rag.U, Rag.B, True),
        (Rag.A, Rag.R, True),
    ],
)
def test_override_needs_commentary(derived, new, needed):
    assert override_needs_commentary(derived, new) is needed


def test_derived_is_a_value():
    assert Derived(Rag.A, "x") == Derived(Rag.A, "x")
    with pytest.raises(AttributeError):
        Derived(Rag.A, "x").rag = Rag.R
