"""Minutes: public ones carry no trace of Part 2, confidential ones carry it marked; Markdown is escaped, Word
is real, files are written atomically and confidential ones 0600; the `minutes` command."""

from __future__ import annotations

import io
import os
import stat
import uuid
import zipfile

import pytest
from click.testing import CliRunner
from docx import Document
from markdown_it import MarkdownIt

from boardtui.cli import cli
from boardtui.domain.errors import BoardError
from boardtui.exchange import minutes
from boardtui.store import actions, agenda, attendance, decisions, meetings, notes

CANARY = f"P2-CANARY-{uuid.uuid4()}"


@pytest.fixture
def canary_meeting(demo_board):
    """The demo's 8 Nov 2016 meeting with a Part 2 item whose title, note, decision, action, declaration and
    links all carry the canary, beside Part 1 business that must still be there."""
    m = meetings.find(demo_board, "2016-11-08")
    item = agenda.add_item(demo_board, m["id"], {
        "title": f"Contract {CANARY}", "part": "2", "minutes": "10", "presenter": f"Presenter {CANARY}",
        "recommendations": f"Approve {CANARY}", "links": "scheme:TH-PRO-01",
    })
    notes.add(demo_board, m["id"], item, f"Discussed {CANARY} in private")
    decisions.record(demo_board, m["id"], item, {"resolution": f"Awarded {CANARY}", "outcome": "approved",
                                                  "mover": f"Mover {CANARY}"})
    aid = actions.create(demo_board, {"text": f"Notify {CANARY}", "owner": f"Owner {CANARY}", "due": "2016-12-01"},
                         meeting_id=m["id"], item_id=item)
    a = actions.get(demo_board, aid)
    actions.add_update(demo_board, aid, a["version"], f"Update {CANARY}")
    attendance.declare(demo_board, m["id"], item, "CCG Chair (illus.)", f"Interest {CANARY}", "withdrew")
    return m


def docx_text(data: bytes) -> str:
    """Every piece of text in a .docx: paragraphs, tables, headers, footers, core properties, and the raw
    bytes of every part of the zip (whatever python-docx does not model)."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        for hf in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                   section.even_page_header, section.even_page_footer):
            parts += [p.text for p in hf.paragraphs]
    props = doc.core_properties
    parts += [str(getattr(props, name) or "") for name in (
        "author", "category", "comments", "content_status", "identifier", "keywords", "language",
        "last_modified_by", "subject", "title", "version")]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            parts.append(z.read(name).decode("utf-8", errors="replace"))
    return "\n".join(parts)


@pytest.mark.parametrize("fmt", minutes.FORMATS)
def test_public_minutes_have_no_trace_of_part_2(demo_board, canary_meeting, fmt):
    data = minutes.render(demo_board, canary_meeting["id"], "public", fmt)
    text = docx_text(data) if fmt == "docx" else data.decode("utf-8")
    assert CANARY not in text
    assert CANARY.encode() not in data
    assert "CHS procurement" not in text  # the demo's own Part 2 item
    assert "TH-06" not in text  # its action, also not in the action log
    assert "System Transformation and Sustainability" in text  # Part 1 business is all there
    assert "TH-D01" in text and "TH-01" in text


@pytest.mark.parametrize("fmt", minutes.FORMATS)
def test_confidential_minutes_include_part_2_marked(demo_board, canary_meeting, fmt):
    data = minutes.render(demo_board, canary_meeting["id"], "confidential", fmt)
    text = docx_text(data) if fmt == "docx" else data.decode("utf-8")
    for piece in (f"Contract {CANARY}", f"Discussed {CANARY}", f"Awarded {CANARY}", f"Notify {CANARY}",
                  f"Interest {CANARY}"):
        assert minutes.md(piece) in text or piece in text
    assert "CONFIDENTIAL" in text and "PART 2" in text


def test_the_docx_is_real_with_headings_and_tables(demo_board, canary_meeting):
    doc = Document(io.BytesIO(minutes.render(demo_board, canary_meeting["id"], "public", "docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0].startswith("Minutes: NHS Tower Hamlets CCG Governing Body")
    assert {"Attendance", "Declarations of interest", "Action log"} <= set(headings)
    assert any(h.startswith("7. ") for h in headings)
    assert len(doc.tables) >= 3
    assert doc.sections[0].header.paragraphs[0].text.startswith("Public minutes")


def test_minutes_list_attendance_apologies_quorum_and_declarations(demo_board, canary_meeting):
    text = minutes.render(demo_board, canary_meeting["id"], "public", "md").decode()
    assert "Apologies: Vice\\-chair (illus.)" in text or "Apologies: Vice-chair (illus.)" in text
    assert "Quorum: quorate" in text
    assert "| GP member, extended\\-access hub practice A (illus.) | item 7 |" in text or \
        "GP member, extended-access hub practice A (illus.) | item 7" in text
    assert "Quorum for this item" in text


HOSTILE = "[x](javascript:alert(1)) <img src=x onerror=alert(1)> a|b <script>bad()</script> **b** # h\n- li"


def test_markdown_is_escaped(demo_board):
    m = meetings.find(demo_board, "2016-11-08")
    item = agenda.add_item(demo_board, m["id"], {"title": HOSTILE})
    notes.add(demo_board, m["id"], item, HOSTILE)
    actions.create(demo_board, {"text": HOSTILE, "owner": "a|b", "due": "2016-12-01"}, meeting_id=m["id"],
                   item_id=item)
    text = minutes.render(demo_board, m["id"], "public", "md").decode()
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<img" not in html and "<script" not in html and 'href="javascript' not in html
    assert "<a " not in html
    # Every table row keeps its columns: the pipe in the text did not add one.
    for line in text.splitlines():
        if line.startswith("| TH-") or line.startswith("| Ref"):
            assert line.count(" | ") == line.replace("\\|", "").count(" | ")


def test_control_characters_do_not_break_word(demo_board):
    m = meetings.find(demo_board, "2016-11-08")
    item = agenda.add_item(demo_board, m["id"], {"title": "Title"})
    # Written raw, as a foreign database might hold it.
    from boardtui.store.tx import writing

    with writing(demo_board) as w:
        w.insert("minute_notes", {"meeting_id": m["id"], "item_id": item, "text": "bad\x0b\x00\x1b[31m\ufffe end"})
    data = minutes.render(demo_board, m["id"], "public", "docx")
    assert "bad[31m end" in docx_text(data)
    assert "bad\\[31m end" in minutes.render(demo_board, m["id"], "public", "md").decode()


def test_an_audience_is_required(demo_board):
    m = meetings.find(demo_board, "2016-11-08")
    with pytest.raises(BoardError):
        minutes.render(demo_board, m["id"], "everyone", "md")
    with pytest.raises(TypeError):
        minutes.write(demo_board, m["id"])  # type: ignore[call-arg]


def test_markdown_output_is_deterministic(demo_board):
    m = meetings.find(demo_board, "2016-11-08")
    assert minutes.render(demo_board, m["id"], "confidential", "md") == minutes.render(
        demo_board, m["id"], "confidential", "md")


def test_files_are_atomic_and_confidential_ones_private(demo_board, tmp_path, monkeypatch):
    m = meetings.find(demo_board, "2016-11-08")
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    conf = minutes.write(demo_board, m["id"], "confidential", "docx", tmp_path / "c.docx")
    assert stat.S_IMODE(os.stat(conf).st_mode) == 0o600
    pub = minutes.write(demo_board, m["id"], "public", "md", tmp_path / "p.md")
    assert stat.S_IMODE(os.stat(pub).st_mode) == 0o644
    before = pub.read_bytes()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(BoardError, match="disk is full"):
        minutes.write(demo_board, m["id"], "public", "md", pub)
    assert pub.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.docx", "p.md"]


def test_the_minutes_command(demo_path, tmp_path):
    runner = CliRunner()
    out = tmp_path / "minutes.docx"
    result = runner.invoke(cli, ["minutes", "2016-11-08", "--db", str(demo_path), "--audience", "confidential",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "confidential minutes" in result.output
    assert zipfile.is_zipfile(out) and stat.S_IMODE(os.stat(out).st_mode) == 0o600
    md_out = tmp_path / "minutes.md"
    result = runner.invoke(cli, ["minutes", "2016-11-08", "--db", str(demo_path), "--audience", "public",
                                 "--format", "md", "-o", str(md_out)])
    assert result.exit_code == 0 and "CHS procurement" not in md_out.read_text()


def test_the_minutes_command_refuses_without_audience_or_meeting(demo_path, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["minutes", "2016-11-08", "--db", str(demo_path), "-o", str(tmp_path / "x.md")])
    assert result.exit_code != 0 and "audience" in result.output.lower()
    result = runner.invoke(cli, ["minutes", "2016-11-09", "--db", str(demo_path), "--audience", "public",
                                 "-o", str(tmp_path / "x.md")])
    assert result.exit_code == 1 and "No meeting on 9 Nov 2016" in result.output
    assert not (tmp_path / "x.md").exists()


def test_the_minutes_command_is_documented():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    assert "boardtui minutes MEETING" in readme and "--audience public|confidential" in readme
