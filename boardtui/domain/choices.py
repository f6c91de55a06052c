"""Parsing a word from a fixed list (an enum) the way people type it: any case, spare spaces, aliases."""

from __future__ import annotations

from enum import Enum
from typing import Mapping, TypeVar

from boardtui.domain.errors import ParseError
from boardtui.domain.text import quoted

E = TypeVar("E", bound=Enum)


def normalise_word(text: str) -> str:
    """Lower-case `text` and collapse its inner whitespace, so "Minutes  Approved " matches "minutes approved"."""
    return " ".join(text.split()).lower()


def parse_choice(
    enum_cls: type[E],
    text: object,
    *,
    what: str,
    aliases: Mapping[str, E] | None = None,
) -> E:
    """Return the member of `enum_cls` whose value (or name, or alias) matches `text`, ignoring case.

    An existing member is returned as is. Anything else raises `ParseError` naming `what` was expected and
    listing the accepted values.
    """
    if isinstance(text, enum_cls):
        return text
    if isinstance(text, str):
        key = normalise_word(text)
        for member in enum_cls:
            if key in (normalise_word(str(member.value)), member.name.lower()):
                return member
        if aliases:
            for alias, member in aliases.items():
                if key == normalise_word(alias):
                    return member
    choices = ", ".join(str(m.value) for m in enum_cls)
    article = "an" if what[:1].lower() in "aeiou" else "a"
    raise ParseError(f"{quoted(text)} is not {article} {what}: use one of {choices}")


class TextEnum(str, Enum):
    """Base for the domain's enums: members are their text values, and `str()` / f-strings give the value.

    (A plain `str, Enum` prints "Rag.R" in an f-string on Python 3.11, which is never what a screen wants.)
    """

    def __str__(self) -> str:
        return str(self.value)
