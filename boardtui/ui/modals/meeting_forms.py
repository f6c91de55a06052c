"""Dialogs for meetings and bodies: a new or changed meeting, a body with its quorum rule, a member, and
writing a meeting's minutes to a file."""

from __future__ import annotations

from pathlib import Path

from boardtui.domain.entities import MeetingStatus
from boardtui.exchange import minutes as minutes_export
from boardtui.store import meetings as meetings_store
from boardtui.store.connection import Board
from boardtui.ui.modals.form import FormField, FormScreen

STATUS_OPTIONS = [(s.value, s.value) for s in MeetingStatus]
AGENDA_OPTIONS = [("standard agenda (apologies, declarations, minutes, action log, …, AOB)", "template"),
                  ("empty agenda", "empty")]


def _text(row, key: str) -> str:
    return "" if row is None or row[key] is None else str(row[key])


def new_meeting(board: Board, body_id: str | None = None) -> FormScreen:
    bodies = [(b["name"], b["id"]) for b in meetings_store.bodies(board)]

    def save(values: dict[str, str], confirmed: bool) -> str:
        return meetings_store.create_meeting(board, values["body"], values,
                                             template=values.get("agenda", "template") != "empty")

    return FormScreen("New meeting", [
        FormField("body", "Body", body_id or (bodies[0][1] if bodies else ""), kind="select", options=bodies),
        FormField("date", "Date", placeholder="YYYY-MM-DD"),
        FormField("start_time", "Start time", placeholder="HH:MM, e.g. 13:30"),
        FormField("venue", "Venue"),
        FormField("agenda", "Agenda", "template", kind="select", options=AGENDA_OPTIONS, allow_blank=False),
    ], save, note="" if bodies else "There are no bodies yet: press b on the meetings screen to add one.")


def edit_meeting(board: Board, meeting) -> FormScreen:
    def save(values: dict[str, str], confirmed: bool) -> None:
        meetings_store.update_meeting(board, meeting["id"], meeting["version"], values)

    return FormScreen(f"Edit meeting: {meetings_store.label(meeting)}", [
        FormField("date", "Date", meeting["date"]),
        FormField("start_time", "Start time", _text(meeting, "start_time"), placeholder="HH:MM"),
        FormField("venue", "Venue", _text(meeting, "venue")),
        FormField("status", "Status", meeting["status"], kind="select", options=STATUS_OPTIONS, allow_blank=False),
    ], save)


def body_form(board: Board, body=None) -> FormScreen:
    kinds = [(k, k) for k in meetings_store.BODY_KINDS]
    bases = [(b, b) for b in meetings_store.EXCLUSION_BASES]

    def save(values: dict[str, str], confirmed: bool) -> str:
        return meetings_store.save_body(board, body["id"] if body else None, body["version"] if body else None,
                                        values)

    fraction = ""
    if body is not None and body["quorum_fraction"] is not None:
        fraction = f"{body['quorum_fraction']:g}"
    return FormScreen("Edit body" if body else "New body", [
        FormField("name", "Name", _text(body, "name")),
        FormField("kind", "Kind", _text(body, "kind") or "committee", kind="select", options=kinds,
                  allow_blank=False),
        FormField("exclusion_basis", "Legal basis for Part 2", _text(body, "exclusion_basis"), kind="select",
                  options=bases),
        FormField("quorum_min", "Quorum: at least this many voting members", _text(body, "quorum_min")),
        FormField("quorum_fraction", "Quorum: this share of the voting members", fraction,
                  placeholder="e.g. half, 1/3, 0.5"),
        FormField("quorum_roles", "Quorum: roles that must be present", _text(body, "quorum_roles"),
                  placeholder="Chair|Vice-chair; GP; Lay member  (| means either, ; separates roles)"),
        FormField("cadence", "How often it meets", _text(body, "cadence")),
    ], save, note="Leave all three quorum fields blank for a body with no quorum rule.")


def member_form(board: Board, body_id: str, member=None) -> FormScreen:
    def save(values: dict[str, str], confirmed: bool) -> str:
        return meetings_store.save_member(board, member["id"] if member else None,
                                          member["version"] if member else None, body_id, values)

    voting = "yes" if member is None or member["voting"] else "no"
    return FormScreen("Edit member" if member else "New member", [
        FormField("name", "Name", _text(member, "name")),
        FormField("role", "Role (as the quorum rule names it, e.g. Chair, GP, Lay member)", _text(member, "role")),
        FormField("voting", "Voting member", voting, kind="select", options=[("yes", "yes"), ("no", "no")],
                  allow_blank=False),
        FormField("from_date", "Member from", _text(member, "from_date"), placeholder="YYYY-MM-DD (optional)"),
        FormField("to_date", "Member until", _text(member, "to_date"), placeholder="YYYY-MM-DD (optional)"),
    ], save)


def minutes_form(board: Board, meeting, *, title: str = "Write the minutes", note: str = "") -> FormScreen:
    """Audience (no default), format and file; writes atomically and returns the path written."""
    folder = board.path.parent

    def save(values: dict[str, str], confirmed: bool):
        from boardtui.domain.errors import ValidationError

        audience = values["audience"]
        if audience not in ("public", "confidential"):
            raise ValidationError("Choose the audience: public (no Part 2) or confidential.", field="audience")
        fmt = values["format"] or "md"
        path = values["path"].strip()
        if not path:
            path = str(folder / minutes_export.default_filename(meeting, audience, fmt))
        target = Path(path).expanduser()
        if not target.is_absolute():
            target = folder / target
        return minutes_export.write(board, meeting["id"], audience, fmt, target)

    return FormScreen(title, [
        FormField("audience", "Audience", "", kind="select",
                  options=[("public: Part 1 only", "public"), ("confidential: includes Part 2, marked", "confidential")]),
        FormField("format", "Format", "md", kind="select", options=[("Markdown (.md)", "md"), ("Word (.docx)", "docx")],
                  allow_blank=False),
        FormField("path", "File (blank: a name from the meeting, beside the board file)",
                  placeholder=str(folder / "minutes-….md")),
    ], save, note=note)
