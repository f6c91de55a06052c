"""Minutes of a meeting, as Markdown or Word (.docx), for a public or a confidential audience.

The minutes give attendance, apologies and substitutes, the quorum, declarations of interest, then each item
with its notes, decisions and actions, and the body's action log at the end. Public minutes are built from
queries that leave out Part 2 items and everything hanging off them (notes, decisions, actions, declarations,
their actions in the log): Part 2 text never enters the public document, so no rendering slip can leak it.
Confidential minutes include Part 2, marked on every page.

Text is made terminal- and XML-safe; Markdown is escaped so that names and notes can never become links,
HTML, headings or table columns. Files are written atomically, confidential ones readable by their owner only.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from boardtui.domain.actions import is_overdue
from boardtui.domain.errors import BoardError, NotFound
from boardtui.domain.periods import display_date
from boardtui.domain.text import terminal_safe
from boardtui.exchange.files import check_audience, safe_filename, write_atomic
from boardtui.store import actions as actions_store
from boardtui.store import agenda as agenda_store
from boardtui.store import attendance as attendance_store
from boardtui.store import decisions as decisions_store
from boardtui.store import meetings as meetings_store
from boardtui.store import meta
from boardtui.store import notes as notes_store
from boardtui.store.connection import Board
from boardtui.store.tx import snapshot

FORMATS = ("md", "docx")

# Characters XML 1.0 cannot carry (python-docx refuses them) beyond the controls terminal_safe removes.
_XML_ILLEGAL = re.compile("[\ufdd0-\ufdef\ufffe\uffff]")


def clean(text: object) -> str:
    """Text safe for a terminal, XML and Word: no control characters but tab and newline."""
    return _XML_ILLEGAL.sub("", terminal_safe(text))


# ---- the minutes as data ----------------------------------------------------------------------------------------

@dataclass
class ItemMinutes:
    number: str
    title: str
    part: int
    purpose: str | None
    presenter: str | None
    sponsor: str | None
    recommendations: list[str]
    notes: list[str] = field(default_factory=list)
    decisions: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    declarations: list = field(default_factory=list)
    quorum: str | None = None  # said only when conflicted members stepped back


@dataclass
class Minutes:
    audience: str
    body: str
    date: str
    start_time: str | None
    venue: str | None
    status: str
    exclusion_basis: str | None
    present: list[tuple[str, str]]
    substitutes: list[tuple[str, str]]
    apologies: list[str]
    in_attendance: list[tuple[str, str]]
    quorum: str
    declarations: list
    general_notes: list[str]
    items: list[ItemMinutes]
    action_log: list
    today: str

    @property
    def confidential(self) -> bool:
        return self.audience == "confidential"

    @property
    def title(self) -> str:
        return f"Minutes: {self.body}, {display_date(self.date)}"

    @property
    def draft(self) -> bool:
        return self.status != "minutes approved"


def build(board: Board, meeting_id: str, audience: str) -> Minutes:
    """Gather the minutes of a meeting for `audience` ("public" leaves out all Part 2 business)."""
    check_audience(audience)
    public = audience == "public"
    m = meetings_store.get(board, meeting_id)
    if m is None:
        raise NotFound("That meeting no longer exists.")
    body = meetings_store.body(board, m["body_id"])
    present, substitutes, apologies, others = [], [], [], []
    for line in attendance_store.roster(board, meeting_id):
        role = line.role or ""
        if line.substitute_for:
            substitutes.append((line.name, line.substitute_for))
        elif line.status == "present":
            (present if line.member_id else others).append((line.name, role))
        elif line.status == "apologies":
            apologies.append(line.name)
    items = []
    for it in meetings_store.agenda(board, meeting_id):
        if public and it["part"] == 2:
            continue
        q = attendance_store.quorum(board, meeting_id, it["id"])
        items.append(ItemMinutes(
            number=it["number"], title=it["title"], part=it["part"], purpose=it["purpose"],
            presenter=it["presenter"], sponsor=it["sponsor"], recommendations=agenda_store.recommendations(it),
            notes=[n["text"] for n in notes_store.of_meeting(board, meeting_id, it["id"])],
            decisions=decisions_store.of_meeting(board, meeting_id, it["id"]),
            actions=actions_store.for_meeting(board, meeting_id, it["id"]),
            declarations=attendance_store.declarations(board, meeting_id, it["id"]),
            quorum=q.words if q.stepped_back else None,
        ))
    general = [n["text"] for n in notes_store.of_meeting(board, meeting_id) if n["item_id"] is None]
    return Minutes(
        audience=audience,
        body=m["body"],
        date=m["date"],
        start_time=m["start_time"],
        venue=m["venue"],
        status=m["status"],
        exclusion_basis=body["exclusion_basis"] if body else None,
        present=present,
        substitutes=substitutes,
        apologies=apologies,
        in_attendance=others,
        quorum=attendance_store.quorum(board, meeting_id).words,
        declarations=attendance_store.declarations(board, meeting_id, public_only=public),
        general_notes=general,
        items=items,
        action_log=actions_store.log_for_meeting(board, meeting_id, public_only=public),
        today=meta.today(board).isoformat(),
    )


def _decision_line(d) -> str:
    resolution = d["resolution"].rstrip()
    if resolution and resolution[-1] not in ".!?":
        resolution += "."
    parts = [f"Resolved ({d['ref']}" + (f", {d['outcome']}" if d["outcome"] else "") + f"): {resolution}"]
    if d["mover"] or d["seconder"]:
        parts.append(f"Moved by {d['mover'] or '—'}, seconded by {d['seconder'] or '—'}.")
    return " ".join(parts)


def _declaration_item(d) -> str:
    return f"item {d['item_number']}" if d["item_number"] else "all business"


def _due(board_today: str, a) -> str:
    text = display_date(a["due"])
    if is_overdue(a["status"], a["due"], datetime.fromisoformat(board_today).date()):
        text += " (overdue)"
    return text


def _raised(a) -> str:
    if not a["meeting_date"]:
        return "—"
    return f"{display_date(a['meeting_date'])} item {a['item_number'] or '—'}"


def _item_heading(item: ItemMinutes) -> str:
    mark = " — PART 2, CONFIDENTIAL" if item.part == 2 else ""
    return f"{item.number}. {item.title}{mark}"


def _who_line(item: ItemMinutes) -> str:
    bits = []
    if item.purpose:
        bits.append(f"For {item.purpose}")
    if item.presenter:
        bits.append(f"Presented by {item.presenter}")
    if item.sponsor:
        bits.append(f"Sponsor: {item.sponsor}")
    return ". ".join(bits)


# ---- Markdown ---------------------------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]|~!#])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([>+=\-])|(\d+)([.)]))")


def _escape_line_start(mt: re.Match) -> str:
    # "- x" would be a list and "7. x" a numbered one: escape the marker as \- or 7\. instead.
    if mt.group(2):
        return f"{mt.group(1)}\\{mt.group(2)}"
    return f"{mt.group(1)}{mt.group(3)}\\{mt.group(4)}"


def md(text: object) -> str:
    """Escape text for Markdown: it stays literal (no links, emphasis, HTML, headings, lists or table cells)."""
    lines = []
    for raw in clean(text).split("\n"):
        line = _MD_INLINE.sub(r"\\\1", raw)
        line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        line = _MD_LINE_START.sub(_escape_line_start, line)
        lines.append(line.replace("\t", " "))
    return "\n".join(lines)


def md_cell(text: object) -> str:
    """Escape text for one Markdown table cell (on one line)."""
    flat = " ".join(clean(text).split())
    return md(flat) if flat else "—"


def _md_table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        out.append("| " + " | ".join(md_cell(c) for c in row) + " |")
    return out


def render_markdown(mn: Minutes) -> str:
    out: list[str] = []
    out.append(f"# {md(mn.title)}")
    out.append("")
    if mn.confidential:
        out.append("**CONFIDENTIAL: these minutes include Part 2 business taken with the press and public "
                   "excluded. Not for publication.**")
    else:
        out.append("Public minutes (Part 1 business only).")
    out.append("")
    when = display_date(mn.date) + (f", {mn.start_time}" if mn.start_time else "")
    out.append(f"{md(when)}" + (f" — {md(mn.venue)}" if mn.venue else ""))
    out.append("")
    out.append(f"Status: {'draft' if mn.draft else 'approved'} minutes")
    out.append("")
    out.append("## Attendance")
    out.append("")
    out.append("Present: " + ("; ".join(md(f"{n} ({r})" if r else n) for n, r in mn.present) or "none recorded"))
    out.append("")
    if mn.substitutes:
        out.append("Substitutes: " + "; ".join(md(f"{s} for {f}") for s, f in mn.substitutes))
        out.append("")
    if mn.in_attendance:
        out.append("In attendance: " + "; ".join(md(f"{n} ({r})" if r else n) for n, r in mn.in_attendance))
        out.append("")
    out.append("Apologies: " + ("; ".join(md(n) for n in mn.apologies) or "none"))
    out.append("")
    out.append(f"Quorum: {md(mn.quorum)}")
    out.append("")
    out.append("## Declarations of interest")
    out.append("")
    if mn.declarations:
        out += _md_table(["Member", "Item", "Interest", "Handling"],
                         [[d["member_name"], _declaration_item(d), d["interest"] or "—", d["handling"] or "noted"]
                          for d in mn.declarations])
    else:
        out.append("None declared.")
    out.append("")
    for note in mn.general_notes:
        out.append(md(note))
        out.append("")
    in_part2 = False
    for item in mn.items:
        if item.part == 2 and not in_part2:
            in_part2 = True
            out.append("## Part 2 — CONFIDENTIAL: press and public excluded")
            out.append("")
        out.append(f"### {md(_item_heading(item))}")
        out.append("")
        who = _who_line(item)
        if who:
            out.append(f"*{md(who)}*")
            out.append("")
        if item.recommendations:
            out.append("Recommendations:")
            out.append("")
            out += [f"- {md(r)}" for r in item.recommendations]
            out.append("")
        if item.quorum:
            out.append(f"Quorum for this item: {md(item.quorum)}")
            out.append("")
        for note in item.notes:
            out.append(md(note))
            out.append("")
        for d in item.decisions:
            out.append(f"**{md(_decision_line(d))}**")
            out.append("")
        if item.actions:
            out += _md_table(["Ref", "Action", "Owner", "Due"],
                             [[a["ref"], a["text"], a["owner"], display_date(a["due"])] for a in item.actions])
            out.append("")
    out.append("## Action log")
    out.append("")
    if mn.action_log:
        out += _md_table(["Ref", "Action", "Owner", "Due", "Status", "Raised", "Latest update"],
                         [[a["ref"], a["text"], a["owner"], _due(mn.today, a), a["status"], _raised(a),
                           a["latest_update"] or ""] for a in mn.action_log])
    else:
        out.append("No actions.")
    out.append("")
    return "\n".join(out)


# ---- Word -------------------------------------------------------------------------------------------------------

def render_docx(mn: Minutes) -> bytes:
    """The minutes as a Word document with real headings and tables a board secretary can edit."""
    from docx import Document

    doc = Document()
    section = doc.sections[0]
    marking = ("CONFIDENTIAL — includes Part 2 business — not for publication" if mn.confidential
               else "Public minutes — Part 1 business")
    section.header.paragraphs[0].text = marking
    section.footer.paragraphs[0].text = clean(f"{'Draft ' if mn.draft else ''}minutes of {mn.body}, "
                                              f"{display_date(mn.date)}")
    props = doc.core_properties
    props.title = clean(mn.title)
    props.subject = "confidential minutes" if mn.confidential else "public minutes"
    props.author = "boardtui"
    props.last_modified_by = "boardtui"
    props.comments = ""
    props.keywords = ""
    props.category = mn.audience
    props.revision = 1
    stamp = datetime.fromisoformat(mn.date)
    props.created = stamp
    props.modified = stamp

    def para(text: str, style: str | None = None, bold: bool = False):
        p = doc.add_paragraph(style=style)
        run = p.add_run(clean(text))
        run.bold = bold
        return p

    def table(header: list[str], rows: list[list[object]]) -> None:
        t = doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, header):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, value in zip(cells, row):
                cell.text = clean(value if value not in (None, "") else "—")

    doc.add_heading(clean(mn.title), level=0)
    if mn.confidential:
        para("CONFIDENTIAL: these minutes include Part 2 business taken with the press and public excluded. "
             "Not for publication.", bold=True)
    else:
        para("Public minutes (Part 1 business only).")
    when = display_date(mn.date) + (f", {mn.start_time}" if mn.start_time else "") + (
        f" — {mn.venue}" if mn.venue else "")
    para(when)
    para(f"Status: {'draft' if mn.draft else 'approved'} minutes")

    doc.add_heading("Attendance", level=1)
    rows = [[n, r, "present"] for n, r in mn.present]
    rows += [[s, "", f"substitute for {f}"] for s, f in mn.substitutes]
    rows += [[n, r, "in attendance"] for n, r in mn.in_attendance]
    rows += [[n, "", "apologies"] for n in mn.apologies]
    table(["Name", "Role", "Attendance"], rows)
    para(f"Quorum: {mn.quorum}")

    doc.add_heading("Declarations of interest", level=1)
    if mn.declarations:
        table(["Member", "Item", "Interest", "Handling"],
              [[d["member_name"], _declaration_item(d), d["interest"], d["handling"] or "noted"]
               for d in mn.declarations])
    else:
        para("None declared.")
    for note in mn.general_notes:
        para(note)

    in_part2 = False
    for item in mn.items:
        if item.part == 2 and not in_part2:
            in_part2 = True
            doc.add_heading("Part 2 — CONFIDENTIAL: press and public excluded", level=1)
        doc.add_heading(clean(_item_heading(item)), level=2)
        who = _who_line(item)
        if who:
            para(who).runs[0].italic = True
        if item.recommendations:
            para("Recommendations:")
            for r in item.recommendations:
                para(r, style="List Bullet")
        if item.quorum:
            para(f"Quorum for this item: {item.quorum}")
        for note in item.notes:
            para(note)
        for d in item.decisions:
            para(_decision_line(d), bold=True)
        if item.actions:
            table(["Ref", "Action", "Owner", "Due"],
                  [[a["ref"], a["text"], a["owner"], display_date(a["due"])] for a in item.actions])

    doc.add_heading("Action log", level=1)
    if mn.action_log:
        table(["Ref", "Action", "Owner", "Due", "Status", "Raised", "Latest update"],
              [[a["ref"], a["text"], a["owner"], _due(mn.today, a), a["status"], _raised(a), a["latest_update"]]
               for a in mn.action_log])
    else:
        para("No actions.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---- files ------------------------------------------------------------------------------------------------------

def render(board: Board, meeting_id: str, audience: str, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise BoardError(f"Minutes can be written as md or docx, not '{clean(fmt)}'.")
    with snapshot(board):  # every section of the minutes reads the same state of the board
        mn = build(board, meeting_id, audience)
    return render_docx(mn) if fmt == "docx" else render_markdown(mn).encode("utf-8")


def format_for(path: str | Path, fmt: str | None) -> str:
    """The format asked for, else the one the file name implies (.docx), else Markdown."""
    if fmt:
        return fmt
    return "docx" if str(path).lower().endswith(".docx") else "md"


def default_filename(meeting, audience: str, fmt: str) -> str:
    return safe_filename(f"minutes-{meeting['date']}-{meeting['body']}-{audience}.{fmt}".replace(" ", "-"),
                         fallback="minutes")


def write(board: Board, meeting_id: str, audience: str, fmt: str, path: str | Path) -> Path:
    """Write the minutes to `path` atomically (0600 for the confidential audience)."""
    data = render(board, meeting_id, check_audience(audience), fmt)
    return write_atomic(path, data, confidential=audience == "confidential")
