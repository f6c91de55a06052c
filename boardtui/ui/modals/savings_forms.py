"""The fields of the programme and scheme forms: every one a single line, so enter saves from any of them.

The store checks what was typed (`savings_edit`) and names every field that is wrong at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from boardtui.domain.savings import Confidence, Stage
from boardtui.ui.modals.form import FormField
from boardtui.store.savings_edit import money_text
from boardtui.ui.money import display_unit, money_label

PROGRAMME_FORM = (
    FormField("name", "Name", placeholder="e.g. Adults"),
    FormField("aliases", "Other names", placeholder="names in other papers, ; between them"),
    FormField("sro", "SRO", placeholder="senior responsible owner"),
    FormField("focus", "Focus", placeholder="e.g. Primary and urgent care; pathway redesign"),
    FormField("impact", "Impact", placeholder="e.g. Less emergency activity"),
)


def scheme_form_fields(programmes: Sequence[str]) -> tuple[FormField, ...]:
    """The scheme form's fields; `programmes` (names) are suggested as people type. Money is typed in the display
    unit (the config's `money_unit`), which the labels name."""
    unit = money_label()
    example = money_text(165_100_000, unit=display_unit())  # 1,651 in £000s, 1,651,000 in pounds, 1.651 in £m
    other = "£1,651k" if display_unit() == "m" else "£1.65m"
    return (
        FormField("ref", "Ref", placeholder="e.g. TH-ADU-05"),
        FormField("programme", "Programme", placeholder="name of the programme", suggestions=tuple(programmes)),
        FormField("title", "Title", placeholder="what the scheme is"),
        FormField("components", "Components", placeholder="; between them"),
        FormField("impact", "Impact", placeholder="expected impact"),
        FormField("lead", "Lead", placeholder="scheme lead"),
        FormField("sro", "SRO", placeholder="senior responsible owner"),
        FormField("stage", "Stage", placeholder="idea, prioritise, business case, implementation, delivered",
                  suggestions=tuple(s.value for s in Stage)),
        FormField("year", "Year", placeholder="financial year, e.g. 2017/18"),
        FormField("plan", f"Plan {unit}", placeholder=f"full-year plan: {example} or {other}; TBC or NA if not "
                                                      "quantified"),
        FormField("recurrent", f"Recurrent {unit}", placeholder="blank if not split"),
        FormField("non_recurrent", f"Non-recurrent {unit}", placeholder="blank if not split"),
        FormField("start_month", "Start month", placeholder="YYYY-MM, e.g. 2017-04"),
        FormField("confidence", "Confidence", placeholder="H, M or L", suggestions=tuple(c.value for c in Confidence)),
        FormField("commentary", "Commentary", placeholder="the latest position"),
    )
