"""User-facing errors: the one small hierarchy the CLI and the UI turn into a plain sentence.

Every `BoardError` carries a message that is one plain sentence a chair or a PMO officer can act on; no
tracebacks, no SQL, no Python names. Lower layers raise these (or map their own failures onto them), and the
edges print `str(error)`.
"""

from __future__ import annotations


class BoardError(Exception):
    """A failure the user can understand and act on; `str(error)` is one plain sentence."""

    default_message = "something went wrong"

    def __init__(self, message: str | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class NotFound(BoardError):
    """A file, row or reference that was asked for does not exist."""

    default_message = "not found"


class NotABoard(BoardError):
    """The file exists but is not a board database (a spreadsheet, an empty file, someone else's SQLite)."""

    default_message = "this is not a board database"


class NewerSchema(BoardError):
    """The database was made by a newer boardtui; this version must not write to it."""

    default_message = "this board was created by a newer version of boardtui"


class Busy(BoardError):
    """Another user held the database for longer than we were willing to wait."""

    default_message = "the database is busy: another user is saving — try again in a moment"


class ReadOnly(BoardError):
    """A write was attempted on a board opened read-only (by option, permissions or schema version)."""

    default_message = "this board is open read-only, so nothing was changed"


class Conflict(BoardError):
    """Optimistic concurrency: the row changed since it was read, so the edit was refused, not merged.

    `who` and `when` (ISO 8601 text) say who saved the newer version.
    """

    def __init__(self, who: str, when: str, message: str | None = None) -> None:
        self.who = who
        self.when = when
        super().__init__(message or f"changed by {who} at {when} — reload and try again")

    # Exceptions are pickled across processes (multiprocessing tests and workers); the default pickling
    # would call __init__ with the message alone and lose who/when.
    def __reduce__(self):
        return (type(self), (self.who, self.when, self.message))


class ValidationError(BoardError):
    """Input that cannot be accepted, optionally located by `row` (1-based, as users count) and `column`.

    `message` is the reason alone; `str(error)` adds the location when there is one, e.g.
    "row 57, plan_000s: '£1,65' is not an amount: commas must separate groups of three digits".
    `field` is an alias of `column` for form fields.
    """

    default_message = "that value cannot be accepted"

    def __init__(
        self,
        message: str | None = None,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        field: str | None = None,
    ) -> None:
        self.row = row
        self.column = column if column is not None else field
        self.value = value
        super().__init__(message)

    @property
    def field(self) -> str | None:
        return self.column

    def located(self, *, row: int | None = None, column: str | None = None) -> "ValidationError":
        """Return a copy of this error (same class) placed at `row` / `column`; unset ones are kept."""
        return type(self)(
            self.message,
            row=row if row is not None else self.row,
            column=column if column is not None else self.column,
            value=self.value,
        )

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(self.column)
        if not where:
            return self.message
        return f"{', '.join(where)}: {self.message}"

    def __reduce__(self):
        return (_rebuild_validation_error, (type(self), self.message, self.row, self.column, self.value))


class ParseError(ValidationError):
    """Raised by the domain parsers (money, dates, RAG, enums); the message says why the text was refused."""

    default_message = "that text could not be read"


def _rebuild_validation_error(cls, message, row, column, value):
    return cls(message, row=row, column=column, value=value)
