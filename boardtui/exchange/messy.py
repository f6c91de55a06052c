"""Turning a table as people keep it into the canonical rows canonical.validate() reads.

What a PMO spreadsheet has that a canonical CSV does not:

- **Summary rows** — `Total`, `Sub-total`, `Savings requirement`, `Savings target for 2017/18`, `Variance` —
  are recognised by their label (with nothing else in the row but money) and never imported as data. A target
  row sets the year's requirement; a total row is checked against the sum of what was imported, and a
  mismatch is reported.
- **Merged cells and continuation rows**: a blank grouping column (the programme) is filled from the row above;
  money is never filled. A row holding only a bulleted line (`- LTC NIS development`) continues the row above.
- **Multi-line cells with bullets**: a scheme cell "CAMHS Transformation:\\n- Crisis response\\n- …" is the title
  with its components.
- Units from the header (`£`, `£m`) are converted to the canonical £000s text here, exactly, via pence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from boardtui.domain.errors import ParseError
from boardtui.domain.money import ValueStatus, parse_money
from boardtui.domain.periods import fy_label, parse_fy, parse_partial_date
from boardtui.exchange.canonical import KINDS, Problem
from boardtui.exchange.headers import GROUP_COLUMNS, HeaderMap, Mapped
from boardtui.exchange.spreadsheet import XCell, cell_text, uninert

SUMMARY_KINDS = ("schemes", "programmes", "savings")
REQUIREMENT_KINDS = ("schemes", "programmes")
BULLETS = ("-", "•", "*", "–", "·", "▪", "◦", "o ")

_SAVINGS_WORD = r"(?:annual\s+|the\s+|total\s+)?(?:system\s+)?(?:savings?|qipp|cip|efficiency|efficiencies)"
_FY_WORDS = r"(?:\s+(?:for|in))?(?:\s+(?:fy\s*)?[0-9]{4}\s*[/\-–]\s*[0-9]{2,4})?"
_REQUIREMENT = re.compile(
    rf"^{_SAVINGS_WORD}\s+(?:requirement|target)s?\b|^(?:requirement|target)s?{_FY_WORDS}\s*(?:[—–:-].*)?$"
)
_VARIANCE = re.compile(
    r"^(?:variance|gap|shortfall|remaining gap|unidentified(?: savings)?|still to (?:find|identify)|"
    r"balance to (?:find|identify)|surplus\s*/\s*\(?deficit\)?)"
    r"(?:\s+(?:to|against|from)\s+(?:the\s+)?(?:requirement|target|plan))?" + _FY_WORDS + r"\s*$"
)
_TOTAL = re.compile(r"^(?:grand\s+|overall\s+)?totals?(?:\s+(?:identified|savings?|plan(?:ned)?|schemes?|value))?"
                    + _FY_WORDS + r"\s*$")
_SUBTOTAL = re.compile(r"^sub\s*-?\s*totals?\b")
_NAMED_SUBTOTAL = re.compile(r"^.{1,60}\s(?:sub\s*-?\s*)?totals?$")
_ISO_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_FY_TEXT = re.compile(r"(?<![0-9])(?:FY\s*)?([0-9]{4})\s*[/\-–]\s*([0-9]{4}|[0-9]{2})(?![0-9])", re.IGNORECASE)

# Natural keys that must not repeat within one file (a repeat would silently overwrite the row before it).
NATURAL_KEYS = {
    "schemes": ("ref",),
    "milestones": ("ref",),
    "actions": ("ref",),
    "decisions": ("ref",),
    "savings": ("scheme_ref", "month"),
    "performance": ("standard_code", "period"),
    "programmes": ("name",),
}


def summary_kind(label: str, first_column: bool = True) -> str | None:
    """"requirement", "variance", "subtotal", "total" or None for a row label.

    The patterns are strict, because a scheme called "Target operating model" or "Gap analysis" is data. A
    label such as "Adults total" counts only in the first column, where sheets put their totals.
    """
    low = " ".join(label.lower().replace("’", "'").replace("(£000s)", "").split())
    if not low:
        return None
    if _REQUIREMENT.match(low):
        return "requirement"
    if _VARIANCE.match(low):
        return "variance"
    if _TOTAL.match(low):
        return "total"
    if _SUBTOTAL.match(low) or (first_column and _NAMED_SUBTOTAL.match(low)):
        return "subtotal"
    return None


def years_in(text: str) -> list[int]:
    """Financial years named in free text ("Savings target for 2017/18" → [2017])."""
    out = []
    for m in _FY_TEXT.finditer(text or ""):
        try:
            out.append(parse_fy(m.group(0)))
        except ParseError:
            continue
    return out


def pence_text(pence: int) -> str:
    """Pence as exact £000s text (165_100 → "1.651"), for the canonical money parser."""
    return format(Decimal(pence).scaleb(-5).normalize(), "f")


def show_000s(pence: int) -> str:
    """Pence as £000s for a message: "10,816", or "10,815.5" when not whole thousands."""
    d = Decimal(pence).scaleb(-5).normalize()
    whole, _, frac = format(d, "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}" + (f".{frac}" if frac else "")


def to_text(cell, m: Mapped, epoch) -> str:
    """A cell as the canonical parsers read it (money converted to £000s); ParseError if it cannot be."""
    text = cell_text(cell, m.type, epoch) if isinstance(cell, XCell) else uninert(cell or "")
    if m.type == "month" and text.strip() and not _ISO_MONTH.fullmatch(text.strip()):
        try:  # "01/07/2017", "1 July 2017" or "Jul 2017" in a month column mean July 2017
            when = parse_partial_date(text)
        except ParseError:
            return text  # validate() says why
        return when.text[:7] if len(when.text) >= 7 else text
    if m.type == "money" and m.unit != "000s" and text.strip():
        value = parse_money(text, m.unit)
        if not isinstance(value, ValueStatus):
            return pence_text(value)
    return text


def split_title(text: str) -> tuple[str, list[str]]:
    """A multi-line scheme cell → (title, bulleted components); a one-line cell is just the title."""
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n") if ln.strip()]
    if len(lines) <= 1:
        return text.strip(), []
    title_parts, components = [], []
    for ln in lines:
        bullet = next((b for b in BULLETS if ln.startswith(b)), None)
        if bullet and title_parts:
            components.append(ln[len(bullet):].strip())
        elif components:
            components[-1] += " " + ln
        else:
            title_parts.append(ln)
    return " ".join(title_parts).rstrip(":").strip(), components


@dataclass
class Summary:
    """A recognised summary row: its kind, label, money by canonical column (pence), and the rows it covers."""

    line: int
    kind: str
    label: str
    money: dict[str, int]
    first: int  # index into the data rows: the first row it covers
    last: int  # one past the last


@dataclass
class Prepared:
    header: list[str]
    rows: list[tuple[int, list[str]]]
    summaries: list[Summary] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    joined: int = 0  # continuation rows joined to the row above
    filled: int = 0  # grouping cells filled from the row above


def prepare(kind: str, hm: HeaderMap, rows: list[tuple[int, list]], *, epoch=None) -> Prepared:
    """Canonical text rows from a source table, with summary rows taken out and problems collected."""
    mapped = hm.columns
    header = [m.column for m in mapped]
    groups = set(GROUP_COLUMNS.get(kind, ()))
    group_at = [i for i, m in enumerate(mapped) if m.column in groups]
    # Plain text cells (every CSV cell) need no conversion unless they are money in another unit.
    plain = [m.type != "money" or m.unit == "000s" for m in mapped]
    labels = kind in SUMMARY_KINDS or kind == "schemes"
    blank_is_tbc = [i for i, m in enumerate(mapped) if m.type == "money" and KINDS[kind].columns[m.column][0]]
    first_text = next((i for i, m in enumerate(mapped) if m.type != "money"), None)
    out = Prepared(header, [])
    last_group: dict[int, str] = {}
    summary_start = 0
    total_start = 0
    for line, cells in rows:
        width = len(cells)
        texts: list[str] = []
        bad = False
        for m, fast in zip(mapped, plain):
            cell = cells[m.index] if m.index < width else None
            if fast and cell.__class__ is str and not cell.startswith("'"):
                texts.append(cell)
                continue
            try:
                texts.append(to_text(cell, m, epoch))
            except ParseError as exc:
                out.problems.append(Problem(line, m.header, _shown(cell), str(exc.message).rstrip(".")))
                texts.append("")
                bad = True
        if not bad and not "".join(texts).strip():
            continue
        label_col = None
        if labels:
            label_col = next((i for i, (m, t) in enumerate(zip(mapped, texts)) if m.type != "money" and t.strip()),
                             None)
        if kind in SUMMARY_KINDS and label_col is not None:
            label = texts[label_col].strip()
            what = summary_kind(label, label_col == first_text)
            others = [t for i, (m, t) in enumerate(zip(mapped, texts))
                      if i != label_col and m.type != "money" and t.strip() and m.column not in ("year",)]
            if what and not others:
                money = {}
                for m, t in zip(mapped, texts):
                    if m.type == "money" and t.strip():
                        try:
                            value = parse_money(t, "000s")
                        except ParseError as exc:
                            out.problems.append(Problem(line, m.header, t, str(exc.message).rstrip(".")))
                            continue
                        if not isinstance(value, ValueStatus):
                            money[m.column] = value
                n = len(out.rows)
                first = summary_start if what == "subtotal" else total_start if what == "total" else 0
                out.summaries.append(Summary(line, what, label, money, first, n))
                summary_start = n
                if what == "total":
                    total_start = n
                last_group.clear()
                continue
        # A bulleted line alone under a row continues that row (a cell split over two sheet rows).
        if kind == "schemes" and out.rows and label_col is not None and _is_continuation(mapped, texts, groups):
            prev = out.rows[-1][1]
            for i, t in enumerate(texts):
                if t.strip():
                    prev[i] = f"{prev[i]}\n{t.strip()}" if prev[i].strip() else t.strip()
            out.joined += 1
            continue
        for i in blank_is_tbc:
            if not texts[i].strip():
                texts[i] = "TBC"  # a blank amount is "not provided", never zero and never an error
        for i in group_at:
            if texts[i].strip():
                last_group[i] = texts[i]
            elif i in last_group:
                texts[i] = last_group[i]
                out.filled += 1
        out.rows.append((line, texts))
    return out


def _is_continuation(mapped: list[Mapped], texts: list[str], groups: set[str]) -> bool:
    filled = [(m, t.strip()) for m, t in zip(mapped, texts) if t.strip()]
    if not filled:
        return False
    if any(m.type != "text" or m.column in groups or m.column == "ref" for m, _t in filled):
        return False
    first = filled[0][1]
    return any(first.startswith(b) for b in BULLETS)


def _shown(cell) -> str:
    if isinstance(cell, XCell):
        return "(a formula without a saved result)" if cell.unsaved_formula else cell.label()
    return "" if cell is None else str(cell)


def duplicate_problems(kind: str, prepared: Prepared, headers: dict[str, str]) -> list[Problem]:
    """A natural key repeated within the file: the later row would silently overwrite the earlier one."""
    key_cols = NATURAL_KEYS.get(kind)
    if not key_cols or not all(c in prepared.header for c in key_cols):
        return []
    idx = [prepared.header.index(c) for c in key_cols]
    seen: dict[tuple, int] = {}
    problems = []
    for line, texts in prepared.rows:
        key = tuple(" ".join(texts[i].split()).lower() for i in idx)
        if not all(key):
            continue
        if key in seen:
            col = key_cols[0]
            problems.append(Problem(line, headers.get(col, col), texts[idx[0]],
                                    f"repeats row {seen[key]} (the same {' and '.join(key_cols)})"))
        else:
            seen[key] = line
    return problems


def requirement_label(year: int, organisation: str | None) -> str:
    """How an export labels a requirement row so that importing it sets the same requirement."""
    return f"Savings requirement {fy_label(year)}" + (f" — {organisation}" if organisation else "")


def organisation_in(label: str) -> str | None:
    """The organisation named after a dash in a requirement label ("… 2017/18 — NHS X CCG"), if any."""
    parts = re.split(r"\s+[—–-]\s+", label.strip())
    if len(parts) < 2:
        return None
    org = parts[-1].strip()
    return None if not org or _FY_TEXT.fullmatch(org) else org
