"""Writing output files safely: atomically (temp file, fsync, rename), owner-only for confidential audiences.

A failed export never leaves a half-written file at the target or a stray temp file behind, and an existing
file (say, last month's pack still open in Excel) is either replaced whole or left exactly as it was.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

from boardtui.domain.errors import BoardError

AUDIENCES = ("public", "confidential")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)


def check_audience(audience: str) -> str:
    """Every export names its audience explicitly; there is no default (RELIABILITY E4)."""
    if audience not in AUDIENCES:
        raise BoardError(f"The audience must be public or confidential, not '{audience}'.")
    return audience


def safe_filename(name: str, fallback: str = "export") -> str:
    """A file name with no folders, no reserved device names and no characters file systems refuse."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r'[<>:"|?*\x00-\x1f]', "_", base).strip(" .")
    if not base or _WINDOWS_RESERVED.match(base):
        base = f"{fallback}_{base}" if base else fallback
    return base


def write_atomic(path: str | os.PathLike, data: bytes, *, confidential: bool) -> Path:
    """Write `data` to `path` via a temp file in the same folder, fsync, then rename over the target."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise BoardError(f"The folder {folder} does not exist: nothing was written.")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, 0o600 if confidential else 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        if getattr(exc, "winerror", None) == 32:
            raise BoardError(f"Close {target.name} (it is open in another program) and try again.") from exc
        raise BoardError(f"{target} could not be written: permission denied; nothing was changed.") from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise BoardError(f"The disk is full: {target.name} was not written.") from exc
        raise BoardError(f"{target} could not be written ({exc.strerror or exc}); nothing was changed.") from exc
    return target
