"""The live figures of the records an agenda item links to, for the runner's panel.

A programme shows what it has identified, how many schemes are TBC, its forecast and RAG, beside the board's
gap; a scheme its value, forecast and RAG; a standard its latest actual against threshold and trajectory; a
milestone its dates and slip. Each comes from the same store functions the area screens use, so the chair sees
the numbers the PMO sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from boardtui.domain.money import format_money
from boardtui.domain.periods import display_date, fy_label, period_label
from boardtui.domain.rag import Rag
from boardtui.store import lookups, savings
from boardtui.store.connection import Board
from boardtui.store.milestones import milestone_lines
from boardtui.store.standards import standard_lines


@dataclass(frozen=True)
class LinkedFigure:
    kind: str
    ref: str
    label: str
    figures: str
    rag: Rag | None  # None for the board-wide savings line, which has no RAG of its own


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}%" if unit == "%" else f"{value:g} {unit}"


def figures(board: Board, links: list[tuple[str, str]], today: date) -> list[LinkedFigure]:
    """One line of live figures per link, in the order given; a link whose record has gone says so."""
    out: list[LinkedFigure] = []
    years = savings.years(board) if any(k in ("programme", "scheme") for k, _ in links) else []
    fy = years[0] if years else None
    programme_lines = savings.programme_lines(board, fy) if fy is not None and any(
        k == "programme" for k, _ in links) else []
    totals = savings.totals(board, fy, programme_lines) if programme_lines else None
    standards = standard_lines(board, today) if any(k == "standard" for k, _ in links) else []
    milestones = milestone_lines(board, today) if any(k == "milestone" for k, _ in links) else []
    if totals is not None and totals.requirement is not None:
        out.append(LinkedFigure("savings", fy_label(fy), f"Savings {fy_label(fy)}", (
            f"requirement £{format_money(totals.requirement)}k, identified £{format_money(totals.identified)}k, "
            f"gap £{format_money(totals.gap)}k ({totals.tbc} TBC, {totals.na} NA not counted)"), None))
    for kind, ref in links:
        if kind == "programme":
            pid = lookups.programme_id(board, ref)
            p = next((x for x in programme_lines if x.id == pid), None)
            if p is None:
                out.append(LinkedFigure(kind, ref, ref, "no figures for this programme", Rag.U))
                continue
            out.append(LinkedFigure(kind, ref, p.name, (
                f"identified £{format_money(p.identified)}k, {p.tbc} TBC, {p.na} NA, "
                f"forecast £{format_money(p.fot)}k"), p.rag))
        elif kind == "scheme":
            row = board.one(f"SELECT {savings.SCHEME_COLUMNS} FROM schemes WHERE ref = :r", {"r": ref})
            if row is None:
                out.append(LinkedFigure(kind, ref, ref, "scheme not found", Rag.U))
                continue
            s = savings.scheme_line(board, row)
            value = s.status.value if s.plan is None else f"£{format_money(s.plan)}k"
            fot = "—" if s.fot is None else f"£{format_money(s.fot)}k"
            out.append(LinkedFigure(kind, ref, f"{s.ref} {s.title}", f"value {value}, forecast {fot}: "
                                    f"{s.derived.reason}", s.rag))
        elif kind == "standard":
            s = next((x for x in standards if x.code.lower() == ref.lower()), None)
            if s is None:
                out.append(LinkedFigure(kind, ref, ref, "standard not found", Rag.U))
                continue
            when = period_label(s.period) if s.period else "no figures yet"
            trajectory = f", trajectory {_number(s.trajectory, s.unit)}" if s.trajectory is not None else ""
            out.append(LinkedFigure(kind, ref, f"{s.code} {s.name}", (
                f"{when}: {_number(s.actual, s.unit)} against {s.comparator.symbol} "
                f"{_number(s.threshold, s.unit)}{trajectory}"), s.rag))
        elif kind == "milestone":
            m = next((x for x in milestones if x.ref == ref), None)
            if m is None:
                out.append(LinkedFigure(kind, ref, ref, "milestone not found", Rag.U))
                continue
            forecast = display_date(m.actual or m.forecast or m.baseline)
            state = "done" if m.actual else "forecast"
            out.append(LinkedFigure(kind, ref, f"{m.ref} {m.title}", (
                f"baseline {display_date(m.baseline)}, {state} {forecast}, slip {m.slip} days"), m.rag))
    return out
