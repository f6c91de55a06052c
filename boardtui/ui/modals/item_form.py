"""The agenda item dialog: the cover-sheet fields, the minutes allotted, recommendations (one per line) and
links to the programmes, schemes, standards and milestones the item concerns."""

from __future__ import annotations

from boardtui.domain.entities import Purpose
from boardtui.store import agenda as agenda_store
from boardtui.store.connection import Board
from boardtui.ui.modals.form import FormField, FormScreen

PART_OPTIONS = [("Part 1 (public)", "1"), ("Part 2 (confidential: press and public excluded)", "2")]
PURPOSE_OPTIONS = [(p.value, p.value) for p in Purpose]
LINKS_HINT = "programme:NAME; scheme:REF; standard:CODE; milestone:REF"


def _fields(item=None, links: str = "") -> list[FormField]:
    get = (lambda k: (item[k] if item[k] is not None else "")) if item is not None else (lambda k: "")
    recs = "\n".join(agenda_store.recommendations(item)) if item is not None else ""
    return [
        FormField("title", "Title", get("title")),
        FormField("part", "Part", str(get("part") or "1"), kind="select", options=PART_OPTIONS, allow_blank=False),
        FormField("purpose", "Purpose", get("purpose"), kind="select", options=PURPOSE_OPTIONS),
        FormField("minutes", "Minutes allotted", str(get("minutes"))),
        FormField("presenter", "Presenter", get("presenter")),
        FormField("sponsor", "Sponsor", get("sponsor")),
        FormField("author", "Author", get("author")),
        FormField("recommendations", "Recommendations (one per line)", recs, kind="area"),
        FormField("links", "Links", links, placeholder=LINKS_HINT),
    ]


def new_item(board: Board, meeting_id: str) -> FormScreen:
    def save(values: dict[str, str], confirmed: bool) -> str:
        return agenda_store.add_item(board, meeting_id, values)

    return FormScreen("New agenda item", _fields(), save,
                      note="Part 1 business goes before any other business; Part 2 at the end. "
                           "Move it with shift+up / shift+down.")


def edit_item(board: Board, item) -> FormScreen:
    def save(values: dict[str, str], confirmed: bool) -> None:
        agenda_store.update_item(board, item["id"], item["version"], values)

    links = agenda_store.links_text(agenda_store.links(board, item["id"]))
    return FormScreen(f"Edit item {item['number']}", _fields(item, links), save)
