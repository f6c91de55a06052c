"""RELIABILITY group C: files, paths and permissions.

C1–C4 and C10 are in tests/unit/store/test_connection.py (missing path creates nothing, non-database and
zero-byte and foreign files refused untouched, newer schema refused, awkward paths open); C5 through the UI is
in test_f_tui.py. Here: the OS-level cases as a non-root user, permissions of journals and exports, and the
export over a file that another program holds open.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from boardtui.domain.errors import BoardError
from boardtui.exchange import files
from boardtui.exchange.files import write_atomic
from boardtui.store.connection import create_board, open_board
from boardtui.store.tx import writing
from tests.reliability.helpers import sha256


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def _setpriv_available() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and Path("/usr/bin/setpriv").exists()


NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def shared_folder(demo_template):
    """A board in a folder of its own under /tmp (pytest's tmp_path is not reachable by another user)."""
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="boardtui-c-"))
    folder.chmod(0o755)
    path = folder / "board.db"
    shutil.copyfile(demo_template, path)
    conn_board = open_board(path, journal_mode="delete")  # no -wal/-shm that a reader would need to create
    conn_board.close()
    yield folder, path
    folder.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


def _as_nobody(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(folder), "BOARDTUI_CONFIG_DIR": str(folder / "nobody-config"),
           "BOARDTUI_DATA_DIR": str(folder / "nobody-data")}
    return subprocess.run([*NOBODY, sys.executable, "-m", "boardtui", *args], capture_output=True, text=True,
                          timeout=60, env=env)


def _csv(folder: Path) -> Path:
    source = folder / "actions.csv"
    source.write_text("ref,text,owner,due,status\nC-1,Chase,PMO,2017-01-31,open\n", encoding="utf-8")
    source.chmod(0o644)
    return source


# ---- C6: read-only at the OS level, as a non-root user ---------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not _setpriv_available(), reason="needs root and setpriv to act as another user")
def test_c6_a_file_the_user_may_not_write_browses_and_refuses_writes_plainly(shared_folder):
    folder, path = shared_folder
    path.chmod(0o644)
    before = sha256(path)
    report = _as_nobody(folder, "report", "savings", "--db", str(path))
    assert report.returncode == 0, report.stderr
    assert "Adults" in report.stdout
    imported = _as_nobody(folder, "import", "actions", str(_csv(folder)), "--db", str(path))
    assert imported.returncode != 0
    assert "read-only" in imported.stderr and "Traceback" not in imported.stderr, imported.stderr
    assert sha256(path) == before


# ---- C7: a board in a folder the user may not write (no journal can be made there) ---------------------------

@pytest.mark.slow
@pytest.mark.skipif(not _setpriv_available(), reason="needs root and setpriv to act as another user")
def test_c7_a_read_only_folder_says_so_and_writes_nothing(shared_folder):
    folder, path = shared_folder
    path.chmod(0o666)
    source = _csv(folder)
    folder.chmod(0o555)
    before = sha256(path)
    imported = _as_nobody(folder, "import", "actions", str(source), "--db", str(path))
    assert imported.returncode != 0
    assert "folder" in imported.stderr and "read-only" in imported.stderr, imported.stderr
    assert "Traceback" not in imported.stderr
    assert sha256(path) == before


def test_c7_the_folder_check_marks_the_board_read_only(tmp_path, monkeypatch):
    path = tmp_path / "b.db"
    create_board(path).close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode))
    board = open_board(path)
    try:
        assert board.read_only and "folder" in board.read_only_reason
    finally:
        board.close()


# ---- C8: journals and confidential exports are owner-only -------------------------------------------------------

def test_c8_the_rollback_journal_is_owner_only_too(tmp_path):
    board = create_board(tmp_path / "new.db", journal_mode="delete")
    journal = Path(f"{board.path}-journal")
    with writing(board) as w:
        w.insert("programmes", {"name": "Adults"}, entity="programme")
        assert journal.exists() and _mode(journal) == 0o600
    board.close()
    assert _mode(tmp_path / "new.db") == 0o600


def test_c8_wal_and_shm_are_owner_only(tmp_path):
    board = create_board(tmp_path / "new.db", journal_mode="wal")
    with writing(board) as w:
        w.insert("programmes", {"name": "Adults"}, entity="programme")
    for suffix in ("-wal", "-shm"):
        assert _mode(Path(f"{board.path}{suffix}")) == 0o600
    board.close()


@pytest.mark.parametrize(("confidential", "mode"), [(True, 0o600), (False, 0o644)])
def test_c8_confidential_exports_are_owner_only(tmp_path, confidential, mode):
    out = write_atomic(tmp_path / "pack.md", b"minutes", confidential=confidential)
    assert _mode(out) == mode


def test_c8_a_confidential_export_over_a_public_one_becomes_owner_only(tmp_path):
    target = tmp_path / "pack.md"
    write_atomic(target, b"public", confidential=False)
    write_atomic(target, b"part 2", confidential=True)
    assert _mode(target) == 0o600


# ---- C9: an export over a file that Excel holds open --------------------------------------------------------------

def test_c9_an_export_over_a_file_open_in_excel_says_close_it_and_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "minutes.xlsx"
    target.write_bytes(b"last month")

    def locked(src, dst):
        exc = PermissionError(13, "The process cannot access the file because it is being used by another process")
        exc.winerror = 32
        raise exc

    monkeypatch.setattr(files.os, "replace", locked)
    with pytest.raises(BoardError) as err:
        write_atomic(target, b"this month", confidential=False)
    assert str(err.value) == "Close minutes.xlsx (it is open in another program) and try again."
    assert target.read_bytes() == b"last month"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minutes.xlsx"]


def test_c9_a_plain_permission_error_is_a_sentence_too(tmp_path, monkeypatch):
    target = tmp_path / "minutes.csv"

    def denied(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", denied)
    with pytest.raises(BoardError, match="permission denied; nothing was changed"):
        write_atomic(target, b"x", confidential=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any folder")
def test_c_a_config_folder_the_user_may_not_read_is_a_problem_not_a_crash(tmp_path):
    from boardtui.config import load_config

    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "config.toml").write_text('theme = "nhs"\n', encoding="utf-8")
    folder.chmod(0)
    try:
        cfg = load_config(folder / "config.toml")
    finally:
        folder.chmod(0o755)
    assert cfg.problems and "could not be read" in cfg.problems[0]


@pytest.mark.slow
@pytest.mark.skipif(not _setpriv_available(), reason="needs root and setpriv to act as another user")
def test_c_another_users_unreadable_config_folder_does_not_stop_the_cli(shared_folder, tmp_path):
    folder, path = shared_folder
    private = Path(tempfile.mkdtemp(dir="/tmp", prefix="boardtui-cfg-"))
    try:
        private.chmod(0o700)  # root's folder: uid 65534 may not look inside
        env = {**os.environ, "HOME": str(folder), "BOARDTUI_CONFIG_DIR": str(private / "config"),
               "BOARDTUI_DATA_DIR": str(folder / "nobody-data")}
        path.chmod(0o644)
        result = subprocess.run([*NOBODY, sys.executable, "-m", "boardtui", "report", "savings", "--db", str(path)],
                                capture_output=True, text=True, timeout=60, env=env)
        assert result.returncode == 0, result.stderr
        assert "unexpected problem" not in result.stderr
    finally:
        shutil.rmtree(private, ignore_errors=True)
