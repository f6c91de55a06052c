"""RELIABILITY group E, the rows the exporter tests do not already cover: E9 (file names a user types).

E1 is test_export_canary.py (every registered exporter, every format, public audience); E4 is
test_an_export_must_name_its_audience there and test_an_audience_is_required in tests/unit/exchange/
test_minutes.py; E5–E8 and E10 are in tests/unit/exchange/test_export_formats.py and test_minutes.py.
E2 and E3 do not apply (docs/reliability.md says why).
"""

from __future__ import annotations

import pytest

from boardtui.exchange.files import safe_filename, write_atomic


@pytest.mark.parametrize(("typed", "safe"), [
    ("../../etc/x", "x"),
    ("..\\..\\Windows\\x.csv", "x.csv"),
    ("/etc/passwd", "passwd"),
    ("CON", "export_CON"),
    ("nul.txt", "export_nul.txt"),
    ("lpt1", "export_lpt1"),
    ('min:utes?<>|*".md', "min_utes______.md"),
    ("pack\x1b]52;c;x\x07.md", "pack_]52;c;x_.md"),
    ("  . ", "export"),
    ("", "export"),
    ("Board pack 8 Nov.docx", "Board pack 8 Nov.docx"),
])
def test_e9_a_typed_file_name_stays_inside_the_chosen_folder(typed, safe):
    assert safe_filename(typed) == safe


def test_e9_a_sanitised_name_is_written_in_the_chosen_folder(tmp_path):
    out = write_atomic(tmp_path / safe_filename("../../escape.md"), b"x", confidential=False)
    assert out.parent == tmp_path and out.name == "escape.md"
    assert not (tmp_path.parent.parent / "escape.md").exists()
