"""Hostile text (RELIABILITY F1) seeded raw, through the store's Writer, into every kind of record.

The Writer is used directly, not the store's edit functions, so the rows hold the text exactly as a foreign
database or an old import might: nothing on the way in cleaned it, and the screens must cope.
"""

from __future__ import annotations

from boardtui.store.connection import Board
from boardtui.store.tx import writing

LONG = "L" + "x" * 4_998 + "Z"  # 5,000 characters
OSC52 = "\x1b]52;c;aGk=\x07clip"
CSI = "\x1b[2J\x1b[31mwiped"

HOSTILE = [
    "[/]",
    "[/bold]",
    "[@click=app.quit]x[/]",
    "[RED]",
    "[TBC]",
    "[link=https://evil]x[/link]",
    "[type=x, v={'a[0]'}]",
    OSC52,
    CSI,
    "e\u0301 👩\u200d⚕️ 外来",
    LONG,
]
"""Every hostile string; each record kind gets one record per string."""

MARKUP = [h for h in HOSTILE if h.startswith("[")]
"""The strings that Textual or Rich would parse as markup: each must be seen exactly as typed."""

SHOWN = {OSC52: "]52;c;aGk=", CSI: "[2J", LONG: "Lxxxxxxxx"}
"""What must be seen of the strings that cannot be shown whole: no control character ever reaches the screen."""


def visible(text: str) -> str:
    """The part of a hostile string that must appear on screen."""
    return SHOWN.get(text, text)


def seed(board: Board) -> None:
    """One programme, scheme, standard, milestone, body, meeting, agenda item, action, decision, note, member
    and attendance row per hostile string (and the figures that make each list show them)."""
    with writing(board, reason="hostile text fixture") as w:
        org = w.insert("organisations", {"name": "Hostile CCG", "type": "CCG"})
        w.insert("targets", {"org_id": org, "fy": 2017, "requirement_pence": 10_000_000_000})
        for n, text in enumerate(HOSTILE, 1):
            programme = w.insert("programmes", {"name": text, "sro": text, "org_id": org})
            scheme = w.insert("schemes", {
                "ref": f"H-{n:02d}", "programme_id": programme, "title": text, "lead": text, "fy": 2017,
                "plan_pence": 100_000_000 * n, "value_status": "quantified", "commentary": text,
                "rag_commentary": text, "confidence": "M", "start_month": "2017-04",
            })
            w.insert("scheme_periods", {"scheme_id": scheme, "month": "2017-04", "plan_pence": 1_000_000,
                                        "actual_pence": 500_000 * (n % 3), "fot_pence": 100_000_000 * n,
                                        "commentary": text})
            code = f"HS{n:02d}"
            w.insert("standards", {"code": code, "name": text, "threshold": 92.0, "comparator": ">=",
                                   "unit": "%", "planning_round": text, "rag_commentary": text})
            w.insert("standard_periods", {"standard_code": code, "period": "2016-09", "actual": 80.0 + n,
                                          "trajectory": 85.0, "commentary": text})
            w.insert("milestones", {"ref": f"HM{n:02d}", "title": text, "owner": text, "plan_name": text,
                                    "baseline": f"2016-{(n % 12) + 1:02d}-15", "status_note": text,
                                    "programme_id": programme})
            body = w.insert("bodies", {"name": text, "kind": "governing body", "cadence": text})
            member = w.insert("members", {"body_id": body, "name": text, "role": text})
            meeting = w.insert("meetings", {"body_id": body, "date": f"2016-{(n % 12) + 1:02d}-{n:02d}",
                                            "start_time": "14:00", "venue": text, "status": "planned"})
            item = w.insert("agenda_items", {"meeting_id": meeting, "position": 1, "number": "1", "title": text,
                                             "purpose": "decision", "presenter": text, "sponsor": text,
                                             "recommendations": text, "minutes": 10})
            w.insert("attendance", {"meeting_id": meeting, "member_id": member, "name": text, "status": "present"})
            w.insert("declarations", {"meeting_id": meeting, "item_id": item, "member_id": member,
                                      "member_name": text, "interest": text, "handling": "noted"})
            w.insert("decisions", {"ref": f"HD-{n:02d}", "meeting_id": meeting, "item_id": item,
                                   "resolution": text, "outcome": "approved", "mover": text, "seconder": text})
            w.insert("minute_notes", {"meeting_id": meeting, "item_id": item, "text": text})
            w.insert("actions", {"ref": f"HA-{n:02d}", "body_id": body, "meeting_id": meeting, "item_id": item,
                                 "text": text, "owner": text, "due": "2016-10-01", "status": "open",
                                 "latest_update": text})
