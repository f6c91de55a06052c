"""Manual RAG: an override stored beside the derived rating, always with its commentary and audit row."""

from __future__ import annotations

from boardtui.domain.errors import ValidationError
from boardtui.domain.rag import Rag, override_needs_commentary
from boardtui.domain.text import terminal_safe
from boardtui.store.connection import Board
from boardtui.store.tx import writing

RAG_TABLES = {"programme": "programmes", "scheme": "schemes", "standard": "standards", "milestone": "milestones"}
REF_COLUMNS = {"programme": "name", "scheme": "ref", "standard": "code", "milestone": "ref"}


def set_rag(
    board: Board, entity: str, row_id: str, version: int, rag: Rag | None, commentary: str, derived: Rag
) -> int:
    """Set (or, with `rag=None`, clear) the manual RAG of a record if it is still at `version`.

    Commentary is required when the manual RAG differs from the derived one or is Red. A stale edit raises
    Conflict naming who changed the record and when; nothing is written. Returns the new version.
    """
    table = RAG_TABLES[entity]
    text = terminal_safe(commentary).strip()
    if rag is not None and override_needs_commentary(derived, rag) and not text:
        why = "it is Red" if rag is Rag.R else f"it differs from the derived {derived.word}"
        raise ValidationError(f"A commentary is required because {why}.", field="commentary")
    with writing(board, reason=text or None) as w:
        row = w.load(table, row_id)
        return w.update(
            table,
            row_id,
            version,
            {"rag_override": rag.value if rag else None, "rag_commentary": text or None},
            entity=entity,
            ref=row[REF_COLUMNS[entity]],
        )
