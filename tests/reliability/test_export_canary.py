"""RELIABILITY E1: Part 2 business never leaves in a public export, whatever the exporter or format.

A Part 2 agenda item is added to the demo board's November meeting with a unique canary in its title, a minute
note, a decision, an action, a declaration and in audit entries (a confidential update, and an update made while
an item was still Part 1 that was reclassified as Part 2 afterwards). Every registered exporter then runs for
the public audience, and the canary is looked for everywhere a reader or a program could find it: the raw bytes,
every part of a zip package, every sheet (hidden ones too), the workbook's properties and defined names, every
paragraph, table, header and footer of a Word document and its core properties. For the confidential audience
the canary must be there, for the kinds that carry Part 2 business (which shows the search would find it).
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
import sys
import types
import uuid
import zipfile

import pytest

import boardtui.exchange
from boardtui.exchange import export as export_module
from boardtui.exchange.canonical import import_file
from boardtui.exchange.export import BUILDERS, EXPORTERS, FORMATS, JSON_BUILDERS, KINDS, NOT_EXPORTERS, export
from boardtui.exchange.sections import Options
from boardtui.store.connection import open_board
from boardtui.store.tx import writing

BODY = "NHS Tower Hamlets CCG Governing Body"
MEETING = "2016-11-08"


def _csv(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def canary_board(tmp_path_factory, demo_template):
    """The demo board with Part 2 business marked by a canary; returns (path, canary)."""
    import shutil

    folder = tmp_path_factory.mktemp("canary")
    path = folder / "board.db"
    shutil.copyfile(demo_template, path)
    canary = f"P2-CANARY-{uuid.uuid4().hex}"
    board = open_board(path, who="tester")
    try:
        imports = [
            ("agenda", "body,meeting_date,number,title,part\n"
                       f"{BODY},{MEETING},14,Contract award {canary},2\n"
                       f"{BODY},{MEETING},15,Estates review {canary} (was public),1\n"),
            ("notes", f"body,meeting_date,item_number,text\n{BODY},{MEETING},14,Members discussed {canary}\n"),
            ("decisions", "ref,body,meeting_date,item_number,resolution\n"
                          f"D-{canary},{BODY},{MEETING},14,Awarded the contract to {canary}\n"),
            ("actions", "ref,text,owner,due,body,meeting_date,item_number\n"
                        f"A-{canary},Notify {canary},Head of Procurement {canary},2016-12-01,{BODY},{MEETING},14\n"
                        f"PUB-15,Survey the estate,Estates lead,2016-12-02,{BODY},{MEETING},15\n"),
            ("declarations", "body,meeting_date,item_number,member,interest,handling\n"
                             f"{BODY},{MEETING},14,Dr {canary},Director of {canary},withdrew\n"),
        ]
        for kind, text in imports:
            import_file(board, kind, _csv(folder, kind, text))
        with writing(board, reason=f"chased the supplier {canary}") as w:
            row = w.conn.execute("SELECT id, version FROM actions WHERE ref = :r", {"r": f"A-{canary}"}).fetchone()
            w.update("actions", row[0], row[1], {"latest_update": f"Supplier {canary} replied"},
                     entity="action", ref=f"A-{canary}", confidential=True)
        # A change recorded while item 15 was public, then the item is reclassified as Part 2.
        with writing(board, reason="update") as w:
            row = w.conn.execute("SELECT id, version FROM actions WHERE ref = 'PUB-15'").fetchone()
            w.update("actions", row[0], row[1], {"latest_update": f"Offer from {canary}"}, entity="action",
                     ref="PUB-15")
        with writing(board, reason="moved to Part 2") as w:
            row = w.conn.execute("SELECT id, version FROM agenda_items WHERE number = '15' AND title LIKE :t",
                                 {"t": f"%{canary}%"}).fetchone()
            w.update("agenda_items", row[0], row[1], {"part": 2}, entity="agenda_item", ref="item 15",
                     confidential=True)
        board.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        board.close()
    return path, canary


# ---- finding text in every format ------------------------------------------------------------------------------

def _zip_texts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [zf.read(name).decode("utf-8", errors="replace") for name in zf.namelist()]


def _xlsx_texts(data: bytes) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    out = []
    for ws in wb.worksheets:  # hidden and very hidden sheets included
        out.append(ws.title)
        for row in ws.iter_rows():
            out += [str(c.value) for c in row if c.value is not None]
            assert all(c.data_type != "f" for c in row), "an export must never contain a live formula"
    props = wb.properties
    out += [str(getattr(props, k)) for k in ("title", "subject", "creator", "keywords", "description",
                                             "lastModifiedBy", "category", "identifier", "version")]
    out += [f"{name} {dn.attr_text}" for name, dn in wb.defined_names.items()]
    return out


def _docx_texts(data: bytes) -> list[str]:
    import docx

    d = docx.Document(io.BytesIO(data))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        out += [c.text for row in t.rows for c in row.cells]
    for s in d.sections:
        for part in (s.header, s.footer, s.first_page_header, s.first_page_footer, s.even_page_header,
                     s.even_page_footer):
            out += [p.text for p in part.paragraphs]
    cp = d.core_properties
    out += [str(getattr(cp, k)) for k in ("title", "subject", "author", "keywords", "comments",
                                          "last_modified_by", "category", "content_status", "identifier")]
    return out


def all_text(fmt: str, data: bytes) -> str:
    texts = [data.decode("utf-8", errors="replace")]
    if fmt in ("xlsx", "docx"):
        texts += _zip_texts(data)
        texts += _xlsx_texts(data) if fmt == "xlsx" else _docx_texts(data)
    return "\n".join(texts)


# ---- the tests -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", sorted(EXPORTERS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_no_public_export_contains_part2_business(canary_board, key):
    path, canary = canary_board
    board = open_board(path, read_only=True)
    try:
        data = export(board, *key, audience="public", options=Options())
    finally:
        board.close()
    assert data
    text = all_text(key[1], data)
    assert canary not in text
    assert canary.encode() not in data


@pytest.mark.parametrize("key", sorted(k for k, e in EXPORTERS.items() if e.part2), ids=lambda k: f"{k[0]}-{k[1]}")
def test_confidential_exports_carry_the_part2_business(canary_board, key):
    path, canary = canary_board
    board = open_board(path, read_only=True)
    try:
        data = export(board, *key, audience="confidential", options=Options())
    finally:
        board.close()
    assert canary in all_text(key[1], data)


def test_the_registry_covers_every_kind_in_every_format():
    assert {(k, f) for k in KINDS for f in FORMATS} <= set(EXPORTERS)
    assert {("minutes", "md"), ("minutes", "docx")} <= set(EXPORTERS)


def _takes_audience(fn) -> bool:
    try:
        return "audience" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def unregistered(modules) -> list[str]:
    """Functions taking an `audience` that are neither registered exporters nor explained in NOT_EXPORTERS."""
    registered = set()
    for e in EXPORTERS.values():
        registered.add(f"{e.run.__module__}.{e.run.__name__}")
        if getattr(e.run, "registers", None):
            registered.add(e.run.registers)
    for fn in list(BUILDERS.values()) + list(JSON_BUILDERS.values()):
        registered.add(f"{fn.__module__}.{fn.__name__}")
    found = []
    for module in modules:
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and _takes_audience(fn):
                qual = f"{module.__name__}.{name}"
                if qual not in registered and qual not in NOT_EXPORTERS:
                    found.append(qual)
    return found


def _exchange_modules():
    names = [boardtui.exchange.__name__] + [
        info.name for info in pkgutil.walk_packages(boardtui.exchange.__path__, boardtui.exchange.__name__ + ".")]
    return [importlib.import_module(n) for n in names]


def test_every_function_that_exports_for_an_audience_is_in_the_registry():
    assert unregistered(_exchange_modules()) == []


def test_the_registry_check_catches_a_new_exporter():
    """Negative control: an exporter added without registering it is reported."""
    rogue = types.ModuleType("boardtui.exchange.rogue")

    def render_html(board, meeting_id, audience):  # noqa: ARG001 - the shape of an exporter
        return b""

    render_html.__module__ = rogue.__name__
    rogue.render_html = render_html
    sys.modules[rogue.__name__] = rogue
    try:
        assert unregistered([rogue]) == ["boardtui.exchange.rogue.render_html"]
    finally:
        del sys.modules[rogue.__name__]


def test_an_export_must_name_its_audience(demo_board):
    with pytest.raises(TypeError):
        export(demo_board, "actions", "csv")  # type: ignore[call-arg]
    with pytest.raises(Exception, match="public or confidential"):
        export(demo_board, "actions", "csv", audience="everyone")
    assert export_module.NOT_EXPORTERS  # the allow-list says why each non-exporter is one
