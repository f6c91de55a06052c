"""Agenda items: add, edit, reorder (renumbered automatically), delete, and their links to the records they
concern (programmes, schemes, standards, milestones).

Changes to Part 2 items are audited as confidential, so public output built from the audit trail never shows
them. Deleting an item deletes what hangs off it (notes, decisions, actions, declarations, links) one by one,
each with a full snapshot in the audit trail; the screen asks first when there is anything to lose.
"""

from __future__ import annotations

from boardtui.domain.agenda import ItemKind
from boardtui.domain.entities import Purpose
from boardtui.domain.errors import NotFound, ValidationError
from boardtui.domain.text import quoted
from boardtui.store import inputs, lookups
from boardtui.store.connection import Board
from boardtui.store.meetings import ItemCounts
from boardtui.store.tx import Writer, writing

LINK_KINDS = ("programme", "scheme", "standard", "milestone")
CHILDREN = (("minute_notes", "minute_note"), ("decisions", "decision"), ("actions", "action"),
            ("declarations", "declaration"))


def item(board: Board, item_id: str):
    return board.one("SELECT * FROM agenda_items WHERE id = :id", {"id": item_id})


def links(board: Board, item_id: str) -> list[tuple[str, str]]:
    rows = board.query("SELECT entity, ref FROM item_links WHERE item_id = :i ORDER BY entity, ref", {"i": item_id})
    return [(r["entity"], r["ref"]) for r in rows]


def links_text(pairs: list[tuple[str, str]]) -> str:
    return "; ".join(f"{kind}:{ref}" for kind, ref in pairs)


def recommendations(row) -> list[str]:
    return [r.strip() for r in (row["recommendations"] or "").split(";") if r.strip()]


def _link_exists(board: Board, kind: str, ref: str) -> bool:
    if kind == "programme":
        return lookups.programme_id(board, ref) is not None
    if kind == "scheme":
        return board.one("SELECT 1 FROM schemes WHERE ref = :r", {"r": ref}) is not None
    if kind == "standard":
        return board.one("SELECT 1 FROM standards WHERE lower(code) = lower(:r)", {"r": ref}) is not None
    return board.one("SELECT 1 FROM milestones WHERE ref = :r", {"r": ref}) is not None


def parse_links(board: Board, text: str | None) -> list[tuple[str, str]]:
    """"programme:Children; standard:AE4HR" → [("programme", "Children"), ("standard", "AE4HR")], each checked
    to exist on this board."""
    out: list[tuple[str, str]] = []
    for part in (inputs.line(text) or "").replace(",", ";").split(";"):
        if not part.strip():
            continue
        kind, _, ref = part.partition(":")
        kind, ref = kind.strip().lower(), ref.strip()
        if kind not in LINK_KINDS or not ref:
            raise ValidationError(f"Links: {quoted(part.strip())} is not a link such as programme:NAME, scheme:REF, "
                                  "standard:CODE or milestone:REF.", field="links")
        if not _link_exists(board, kind, ref):
            raise ValidationError(f"Links: there is no {kind} {quoted(ref)} on this board.", field="links")
        if (kind, ref) not in out:
            out.append((kind, ref))
    return out


def _item_values(values: dict) -> dict:
    title = inputs.required(values.get("title"), "title", "Title")
    part_text = (inputs.line(values.get("part")) or "1").lower()
    if part_text not in ("1", "2", "part 1", "part 2"):
        raise ValidationError("Part must be 1 (public) or 2 (confidential).", field="part")
    purpose = inputs.line(values.get("purpose"))
    if purpose:
        try:
            purpose = Purpose.parse(purpose).value
        except ValidationError as exc:
            raise ValidationError(exc.message, field="purpose") from None
    recs = inputs.text(values.get("recommendations")) or ""
    rec_list = [" ".join(r.split()) for r in recs.replace("\n", ";").split(";") if r.strip()]
    return {
        "title": " ".join(title.split()),
        "part": 2 if part_text.endswith("2") else 1,
        "purpose": purpose,
        "sponsor": inputs.line(values.get("sponsor")),
        "presenter": inputs.line(values.get("presenter")),
        "author": inputs.line(values.get("author")),
        "minutes": inputs.whole(values.get("minutes"), "minutes", "Minutes allotted"),
        "recommendations": ";".join(rec_list) or None,
    }


def _renumber(w: Writer, meeting_id: str, order: list[str]) -> None:
    """Give the items `order` positions 1..n and numbers "1".."n"; changes are audited per item."""
    rows = {r["id"]: r for r in w.conn.execute(
        "SELECT id, position, number, part FROM agenda_items WHERE meeting_id = :m", {"m": meeting_id}
    ).fetchall()}
    for index, item_id in enumerate(order, start=1):
        row = rows[item_id]
        changes = {}
        if row["position"] != index:
            changes["position"] = index
        if row["number"] != str(index):
            changes["number"] = str(index)
        if changes:
            w.update("agenda_items", item_id, None, changes, entity="agenda_item", ref=f"item {index}",
                     confidential=row["part"] == 2, reason="renumbered")


def _order(w: Writer, meeting_id: str) -> list:
    return w.conn.execute(
        "SELECT id, part, kind FROM agenda_items WHERE meeting_id = :m ORDER BY position, number", {"m": meeting_id}
    ).fetchall()


def _write_links(w: Writer, item_id: str, wanted: list[tuple[str, str]], confidential: bool) -> None:
    current = {(r["entity"], r["ref"]): r["id"] for r in w.conn.execute(
        "SELECT id, entity, ref FROM item_links WHERE item_id = :i", {"i": item_id}
    ).fetchall()}
    for pair in wanted:
        if pair not in current:
            w.insert("item_links", {"item_id": item_id, "entity": pair[0], "ref": pair[1]}, entity="item_link",
                     ref=f"{pair[0]}:{pair[1]}", confidential=confidential)
    for pair, link_id in current.items():
        if pair not in wanted:
            w.delete("item_links", link_id, None, entity="item_link", ref=f"{pair[0]}:{pair[1]}",
                     confidential=confidential)


def add_item(board: Board, meeting_id: str, values: dict, *, after: str | None = None) -> str:
    """Add an item and renumber. Without `after`, Part 1 business goes before AOB (and the other closing
    items) and Part 2 business at the end."""
    row = _item_values(values)
    wanted_links = parse_links(board, values.get("links"))
    with writing(board) as w:
        order = _order(w, meeting_id)
        ids = [r["id"] for r in order]
        if after is not None and after in ids:
            index = ids.index(after) + 1
        elif row["part"] == 2:
            index = len(ids)
        else:
            closing = [i for i, r in enumerate(order) if r["kind"] in ItemKind.CLOSING or r["part"] == 2]
            index = closing[0] if closing else len(ids)
        confidential = row["part"] == 2
        item_id = w.insert("agenda_items", {"meeting_id": meeting_id, "position": index + 1,
                                            "number": str(index + 1), **row},
                           entity="agenda_item", ref=f"item {index + 1}", confidential=confidential)
        ids.insert(index, item_id)
        _renumber(w, meeting_id, ids)
        _write_links(w, item_id, wanted_links, confidential)
    return item_id


def update_item(board: Board, item_id: str, version: int | None, values: dict) -> None:
    current = item(board, item_id)
    if current is None:
        raise NotFound("That agenda item no longer exists: someone may have deleted it.")
    row = _item_values(values)
    wanted_links = parse_links(board, values.get("links"))
    # Moving an item into or out of Part 2 is itself confidential: the old title must not show publicly.
    confidential = current["part"] == 2 or row["part"] == 2
    with writing(board) as w:
        w.update("agenda_items", item_id, version, row, entity="agenda_item", ref=f"item {current['number']}",
                 confidential=confidential)
        _write_links(w, item_id, wanted_links, confidential)
        if row["part"] != current["part"]:
            for table, entity in CHILDREN:
                for child in w.conn.execute(f"SELECT id FROM {table} WHERE item_id = :i", {"i": item_id}).fetchall():
                    w.audit("update", entity, child["id"], field="part", old=current["part"], new=row["part"],
                            reason="the item moved between Part 1 and Part 2", confidential=True)


def move_item(board: Board, item_id: str, step: int) -> bool:
    """Move an item up (-1) or down (+1) one place and renumber; False when it is already at that end."""
    current = item(board, item_id)
    if current is None:
        raise NotFound("That agenda item no longer exists.")
    with writing(board, reason="reordered") as w:
        ids = [r["id"] for r in _order(w, current["meeting_id"])]
        index = ids.index(item_id)
        target = index + step
        if not 0 <= target < len(ids):
            return False
        ids[index], ids[target] = ids[target], ids[index]
        _renumber(w, current["meeting_id"], ids)
    return True


def dependents(board: Board, item_id: str) -> ItemCounts:
    """What hangs off an item: notes, decisions, actions and declarations recorded against it."""
    counts = ItemCounts()
    for table, attr in (("minute_notes", "notes"), ("decisions", "decisions"), ("actions", "actions"),
                        ("declarations", "declarations")):
        setattr(counts, attr, board.scalar(f"SELECT count(*) FROM {table} WHERE item_id = :i", {"i": item_id}))
    return counts


def delete_item(board: Board, item_id: str, version: int | None) -> None:
    """Delete an item and everything recorded against it, each kept as a snapshot in the audit trail."""
    current = item(board, item_id)
    if current is None:
        raise NotFound("That agenda item no longer exists.")
    confidential = current["part"] == 2
    reason = f"agenda item {current['number']} deleted"
    with writing(board, reason=reason) as w:
        for action in w.conn.execute("SELECT id, ref FROM actions WHERE item_id = :i", {"i": item_id}).fetchall():
            for update in w.conn.execute("SELECT id FROM action_updates WHERE action_id = :a",
                                         {"a": action["id"]}).fetchall():
                w.delete("action_updates", update["id"], None, entity="action_update", ref=action["ref"],
                         confidential=confidential)
            w.delete("actions", action["id"], None, entity="action", ref=action["ref"], confidential=confidential)
        for table, entity in (("decisions", "decision"), ("minute_notes", "minute_note"),
                              ("declarations", "declaration"), ("item_links", "item_link")):
            for child in w.conn.execute(f"SELECT id FROM {table} WHERE item_id = :i", {"i": item_id}).fetchall():
                w.delete(table, child["id"], None, entity=entity, confidential=confidential)
        # The runner must not point at an item that no longer exists.
        for m in w.conn.execute("SELECT id FROM meetings WHERE runner_item_id = :i", {"i": item_id}).fetchall():
            w.update("meetings", m["id"], None, {"runner_item_id": None, "runner_running_since": None},
                     entity="meeting", reason=reason)
        w.delete("agenda_items", item_id, version, entity="agenda_item", ref=f"item {current['number']}",
                 confidential=confidential)
        _renumber(w, current["meeting_id"], [r["id"] for r in _order(w, current["meeting_id"])])
