"""RAG ratings (Red, Amber, Green, Blue for complete, or Unrated) and the override rule.

A rating is always shown with its letter or word, never colour alone. Where a rule derives a rating it comes
with a one-sentence reason (`Derived`); a person may override it, with commentary, and the override is kept
beside the derived value rather than replacing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from boardtui.domain.choices import TextEnum
from boardtui.domain.errors import ParseError
from boardtui.domain.text import quoted


class Rag(TextEnum):
    """A BRAG rating; U is unrated (shown grey)."""

    R = "R"
    A = "A"
    G = "G"
    B = "B"
    U = "U"

    @property
    def word(self) -> str:
        """The rating as a word: "Red", "Amber", "Green", "Blue" or "Unrated"."""
        return _WORDS[self]

    @property
    def severity(self) -> int:
        """How bad the rating is, for "worst of": Red 4, Amber 3, Green 2, Blue 1, Unrated 0."""
        return _SEVERITY[self]

    @classmethod
    def parse(cls, text: "str | Rag | None") -> "Rag":
        """Return the rating in `text`: a letter or word in any case ("a", "Amber", "grey"); blank or None is U.

        Raises ParseError for anything else.
        """
        if isinstance(text, Rag):
            return text
        if text is None:
            return cls.U
        if isinstance(text, str):
            key = text.strip().lower()
            if key in _PARSE:
                return _PARSE[key]
        raise ParseError(f"{quoted(text)} is not a RAG rating: use R, A, G, B or leave it blank")


_WORDS = {Rag.R: "Red", Rag.A: "Amber", Rag.G: "Green", Rag.B: "Blue", Rag.U: "Unrated"}
_SEVERITY = {Rag.R: 4, Rag.A: 3, Rag.G: 2, Rag.B: 1, Rag.U: 0}
_PARSE = {
    **{r.value.lower(): r for r in Rag},
    **{w.lower(): r for r, w in _WORDS.items()},
    "": Rag.U, "grey": Rag.U, "gray": Rag.U, "none": Rag.U, "not rated": Rag.U,
    "complete": Rag.B, "completed": Rag.B, "delivered": Rag.B,
}


@dataclass(frozen=True)
class Derived:
    """A rating worked out by a rule, with the one-sentence reason a board member can read."""

    rag: Rag
    reason: str


def effective(derived: Rag, override: Rag | None) -> Rag:
    """Return the rating to show: the override when one is set, else the derived rating."""
    return derived if override is None else override


def override_needs_commentary(derived: Rag, new: Rag) -> bool:
    """Return True when setting `new` must come with commentary.

    Overriding the rule (any rating that differs from the derived one) needs a reason, and so does any Red,
    because a board asks "why" of every red whether or not the rule agrees.
    """
    return new != derived or new is Rag.R
