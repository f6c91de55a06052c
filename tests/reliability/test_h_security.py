"""RELIABILITY group H: security and housekeeping.

H1/H4 for the connection factory (trusted_schema OFF, foreign_keys ON, on new, opened and read-only boards) are
test_pragmas_on_a_new_board / test_pragmas_on_an_opened_board in tests/unit/store/test_connection.py. Here: the
same for a damaged board and for every other connection the app code makes, SQL built only from allow-listed
names (H2), no Part 2 text in the error log (H3), and the SQLite version in `boardtui check` (H5).
"""

from __future__ import annotations

import ast
import sqlite3
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from boardtui.cli import cli
from boardtui.config import data_dir
from boardtui.store import actions as actions_store
from boardtui.store import health, search
from boardtui.store.connection import open_board
from tests.reliability.helpers import corrupt_copy

APP_CODE = Path(__file__).resolve().parents[2] / "boardtui"


def _sources():
    for path in sorted(APP_CODE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# ---- H1/H4: every connection the app makes --------------------------------------------------------------------

def test_h1_h4_a_damaged_board_is_opened_with_the_same_safe_pragmas(demo_template, tmp_path):
    board = open_board(corrupt_copy(demo_template, tmp_path / "d.db", "page 4"))
    try:
        assert board.damaged
        assert board.scalar("PRAGMA trusted_schema") == 0
        assert board.scalar("PRAGMA foreign_keys") == 1
    finally:
        board.close()


# Every sqlite3.connect outside the factory, and why it is safe. A new one fails this test until it is reviewed.
OTHER_CONNECTIONS = {
    ("store/connection.py", "_connect"): "the factory itself: every pragma of RELIABILITY rule 1",
    ("store/connection.py", "backup_to"): "a new file the app writes with the backup API; no schema is run",
    ("store/offline.py", "checkout"): "the laptop copy the app has just made from a checked board",
    ("store/offline.py", "_open_copy"): "sets trusted_schema=OFF: the copy may have travelled",
    ("store/offline.py", "_apply"): "an in-memory diff with the copies attached; sets trusted_schema=OFF",
}


def test_h1_h4_every_other_sqlite_connection_is_reviewed():
    found = set()
    for path, tree in _sources():
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect"
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "sqlite3"):
                    found.add((path.relative_to(APP_CODE).as_posix(), func.name))
    assert found <= set(OTHER_CONNECTIONS), found - set(OTHER_CONNECTIONS)


def test_h1_untrusted_copies_are_opened_with_trusted_schema_off():
    text = (APP_CODE / "store" / "offline.py").read_text(encoding="utf-8")
    assert text.count('PRAGMA trusted_schema = OFF') >= 2


# ---- H2: SQL is parameterised; only allow-listed names are spliced in ------------------------------------------

SQL_CALLS = {"execute", "executemany", "executescript", "query", "one", "scalar"}

# The names that may be formatted into SQL text. Each is an identifier or a clause that the code builds from
# constants (table names from a fixed mapping, WHERE clauses of `?`/`:name` placeholders), never user text.
ALLOWED_IN_SQL = {
    "table", "t", "where", "SELECT", "select", "sets", "schema", "BUSY_TIMEOUT_MS", "journal_mode",
    "int(version)", "APPLICATION_ID", "savings.SCHEME_COLUMNS", "c['field']", "c['entity']", "name",
    "columns", "cols", "placeholders", "marks", "order", "ORDER", "column", "col", "key_cols", "names",
    "set_clause", "assignments", "where_sql", "order_by", "limit_sql", "fields", "pk", "conds", "clause",
    "COLUMNS", "SCHEME_COLUMNS", "ACTION_COLUMNS", "kind", "view", "n", "source", "target", "alias",
    # `sql` is always a constant SELECT with constant " AND …" clauses added; `joiner` is " AND " or " WHERE "
    "sql", "joiner", "', '.join(ROLLUP_COLUMNS)",
    # column lists of a table read from the schema itself (demo builder, offline check-in)
    "', '.join(columns)", "', '.join((':' + c for c in columns))",
    "', '.join(names)", "', '.join((':' + n for n in names))",
    # the actions text search: constant INDEXED BY / length clauses around an allow-listed `where` (store/actions)
    "matches",
}


def _formatted_parts(node: ast.AST) -> list[str]:
    """The non-constant parts of a string built with an f-string, `+` or `%`, as source text."""
    if isinstance(node, ast.JoinedStr):
        return [ast.unparse(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        parts = []
        for side in (node.left, node.right):
            if isinstance(side, ast.Constant):
                continue
            parts += _formatted_parts(side) if isinstance(side, (ast.JoinedStr, ast.BinOp)) else [ast.unparse(side)]
        return parts
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return [ast.unparse(a) for a in node.args]
    return []


def test_h2_no_sql_is_built_from_anything_but_allow_listed_names():
    offenders = []
    for path, tree in _sources():
        rel = path.relative_to(APP_CODE).as_posix()
        if rel.startswith("ui/") or rel == "store/tx.py":  # ui: widget queries, not SQL; tx: allow-listed builders
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS
                    and node.args):
                for part in _formatted_parts(node.args[0]):
                    if part not in ALLOWED_IN_SQL:
                        offenders.append(f"{rel}:{node.lineno}: {part}")
    assert offenders == []


def test_h2_the_write_helper_checks_table_and_column_names_against_the_schema(empty_board):
    from boardtui.domain.errors import BoardError
    from boardtui.store.tx import writing

    with pytest.raises((BoardError, ValueError), match="unknown column"):
        with writing(empty_board) as w:
            w.insert("programmes", {"name; DROP TABLE audit; --": "x"}, entity="programme")
    assert empty_board.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'audit'") == 1


HOSTILE = ["'; DROP TABLE schemes; --", "\" OR 1=1 --", "%", "_", "\\", "a' UNION SELECT sql FROM sqlite_master --"]


@pytest.mark.parametrize("text", HOSTILE)
def test_h2_hostile_search_and_filter_text_is_only_ever_a_value(demo_board, text):
    schemes = demo_board.scalar("SELECT count(*) FROM schemes")
    for found in search.find(demo_board, text):  # LIKE wildcards are literal: '%' finds only a real '%'
        assert text in found.label or text.lower() in (found.label + found.context).lower() or text in "%_\\"
    flt = actions_store.ActionFilter(text=text, owner=text)
    assert actions_store.count(demo_board, flt) == len(actions_store.page(demo_board, 0, 10_000, flt))
    assert demo_board.scalar("SELECT count(*) FROM schemes") == schemes


# ---- H3: the error log holds no Part 2 text --------------------------------------------------------------------

def test_h3_an_unexpected_failure_logs_the_code_path_not_the_part2_business(demo_path, monkeypatch, tmp_path):
    from boardtui.exchange.canonical import import_file

    canary = f"P2-CANARY-{uuid.uuid4().hex}"
    board = open_board(demo_path)
    source = tmp_path / "agenda.csv"
    source.write_text("body,meeting_date,number,title,part\n"
                      f"NHS Tower Hamlets CCG Governing Body,2016-11-08,14,Contract award {canary},2\n",
                      encoding="utf-8")
    import_file(board, "agenda", source)
    board.close()

    import boardtui.exchange.minutes as minutes

    def broken(*args, **kw):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(minutes, "write", broken)
    runner = CliRunner()
    result = runner.invoke(cli, ["minutes", "2016-11-08", "--db", str(demo_path), "--body",
                                 "NHS Tower Hamlets CCG Governing Body", "--audience", "confidential",
                                 "-o", str(tmp_path / "m.md")])
    assert result.exit_code == 1 and "unexpected problem" in result.output, result.output
    log = data_dir() / "error.log"
    texts = [result.output]
    if log.exists():
        texts.append(log.read_text(encoding="utf-8"))
    assert log.exists() and "the renderer broke" in texts[-1]
    assert all(canary not in t for t in texts)


# ---- H5: the SQLite version, and a warning when WAL runs on a version with the WAL-reset bug --------------------

def test_h5_check_prints_the_sqlite_version(demo_path):
    result = CliRunner().invoke(cli, ["check", "--db", str(demo_path)])
    assert f"SQLite: {sqlite3.sqlite_version}" in result.output


@pytest.mark.parametrize(("version", "mode", "warned"), [
    ("3.40.1", "wal", True), ("3.51.2", "wal", True), ("3.51.3", "wal", False), ("3.52.0", "wal", False),
    ("3.40.1", "delete", False), ("3.40.1", "postgresql", False),
])
def test_h5_wal_on_an_sqlite_older_than_3_51_3_is_warned(version, mode, warned):
    lines = health.sqlite_version_lines(mode, version)
    assert lines[:1] == ([] if mode == "postgresql" else [f"SQLite: {version}"])
    assert any("WAL-reset bug" in line for line in lines) is warned
