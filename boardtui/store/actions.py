"""Action log queries: a filtered count (also on a connection of its own, for a worker thread) and one page at
a time in one of four orders (the log reaches 100k rows), and a stream;
and the writes: raise an action, edit it, re-date it (every earlier due date is kept), dated updates, status."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable, Iterator

from boardtui.domain.actions import ActionStatus, slip_summary
from boardtui.domain.errors import NotFound, ValidationError
from boardtui.domain.periods import display_date
from boardtui.store import inputs
from boardtui.store.connection import Board, open_reader
from boardtui.store.refs import body_stem, next_ref
from boardtui.store.tx import writing

# Each order has an index that matches it (owner's since migration 0003), so a page walks the index alone.
ORDERS = {
    "due": "a.due, a.ref",
    "owner": "lower(a.owner), a.due, a.ref",
    "status": "a.status, a.due, a.ref",
    "ref": "a.ref",
}
ORDER_NAMES = {"due": "due date", "owner": "owner", "status": "status", "ref": "ref"}


def next_order(order: str) -> str:
    """The order after `order` in the cycle due date → owner → status → ref → due date."""
    names = list(ORDERS)
    return names[(names.index(order) + 1) % len(names)] if order in ORDERS else names[0]


SELECT = (
    "SELECT a.id, a.ref, a.text, a.owner, a.due, a.original_due, a.status, a.latest_update, a.version, "
    "a.meeting_id, a.item_id, a.body_id, m.date AS meeting_date, b.name AS body, i.number AS item_number, "
    "coalesce(i.part, 1) AS part, "
    # How many times the due date moved: only the rows of one page pay for this (indexed by action).
    "(SELECT count(*) FROM action_updates u WHERE u.action_id = a.id AND u.new_due IS NOT NULL "
    "AND u.new_due <> coalesce(u.old_due, '')) AS moves "
    "FROM actions a LEFT JOIN meetings m ON m.id = a.meeting_id LEFT JOIN bodies b ON b.id = a.body_id "
    "LEFT JOIN agenda_items i ON i.id = a.item_id"
)


@dataclass(frozen=True)
class ActionFilter:
    """What the action log shows. Every field narrows; the defaults show everything."""

    text: str = ""
    owner: str = ""
    body_id: str | None = None
    statuses: tuple[str, ...] = ()
    overdue_on: date | None = None  # only actions open past their due date on this day
    public_only: bool = False  # leave out actions raised on Part 2 items
    order: str = "due"

    @property
    def reads_every_row(self) -> bool:
        """True when counting must read every action (a substring match); the other filters count from an index."""
        return bool(self.text or self.owner)

    def where(self, sqlite: bool = True) -> tuple[str, dict]:
        """The WHERE clause and its parameters, for SQLite or (`sqlite` False) PostgreSQL.

        The text and owner are found as typed: `%`, `_` and `\\` are themselves, not LIKE's wildcards, as in the
        palette's search and every other table's filter. Case is ignored as each engine's own case-insensitive
        match ignores it: SQLite's LIKE folds ASCII letters only (its `lower()` folds the same ones, at three times
        the cost), PostgreSQL's ILIKE folds every letter. On SQLite the text is one LIKE over `SEARCH_HAY`
        (migration 0006 indexes it) where three over the columns cost half as much again; a text holding the
        separator, which could match across two of the columns there, is looked for column by column instead."""
        clauses, params = [], {}
        if self.text:
            like = f"{'LIKE' if sqlite else 'ILIKE'} :q{_escape(self.text)}"
            if sqlite and SEARCH_SEPARATOR not in self.text:
                clauses.append(f"{SEARCH_HAY} {like}")
            else:
                clauses.append(f"(a.text {like} OR a.ref {like} OR a.owner {like})")
            params["q"] = _contains(self.text)
        if self.owner:
            clauses.append(f"a.owner {'LIKE' if sqlite else 'ILIKE'} :owner{_escape(self.owner)}")
            params["owner"] = _contains(self.owner)
        if self.body_id:
            clauses.append("a.body_id = :body")
            params["body"] = self.body_id
        if self.statuses:
            marks = []
            for i, s in enumerate(self.statuses):
                params[f"s{i}"] = s
                marks.append(f":s{i}")
            clauses.append(f"a.status IN ({', '.join(marks)})")
        if self.overdue_on:
            clauses.append("a.status <> 'closed' AND a.due < :today")
            params["today"] = self.overdue_on.isoformat()
        if self.public_only:
            clauses.append("(a.item_id IS NULL OR a.item_id NOT IN (SELECT id FROM agenda_items WHERE part = 2))")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _contains(text: str) -> str:
    """A LIKE pattern for `text` anywhere, with LIKE's own wildcards (and its escape) taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _escape(text: str) -> str:
    """The ESCAPE clause `_contains(text)` needs: none for a text without LIKE's special characters, which is
    nearly every text typed, as a LIKE with an ESCAPE clause costs SQLite ~15 % more over 100k rows."""
    return " ESCAPE '\\'" if any(c in text for c in "\\%_") else ""


# What a text filter searches on SQLite: an action's text, ref and owner as one value, parted by a character no one
# types (the unit separator), so a match is always within one of the three. Migration 0006 indexes it, with the
# owner, status and due date beside it: any mix of text, owner, "open only" and "overdue only" is counted and found
# from that index alone. Spelt here as in the index, for SQLite to match the two.
SEARCH_SEPARATOR = "\x1f"
SEARCH_HAY = "(a.text || char(31) || a.ref || char(31) || a.owner)"


def _searches_index(board: Board, flt: ActionFilter) -> bool:
    """True when the filter is a substring match, with or without "open only" and "overdue only", on SQLite:
    `actions_search` then answers it rather than every column of the table."""
    return (flt.reads_every_row and _on_sqlite(board)
            and replace(flt, text="", owner="", statuses=(), overdue_on=None, order="due") == ActionFilter())


def _counted_by_status_and_due(flt: ActionFilter) -> bool:
    """True when the filter asks only about status and due date: `action_counts` (migration 0005) answers it
    from a row per status and day instead of a count of the log (PostgreSQL: 100k actions, ~10 ms → ~1 ms)."""
    return replace(flt, statuses=(), overdue_on=None, order="due") == ActionFilter()


def _count_sql(board: Board, flt: ActionFilter) -> tuple[str, dict]:
    where, params = flt.where(_on_sqlite(board))
    if _counted_by_status_and_due(flt):  # the same clauses: the kept rows have the status and due columns
        return f"SELECT CAST(coalesce(sum(a.n), 0) AS BIGINT) FROM action_counts a{where}", params
    # Named, not left to the planner: a board upgraded to 0006 has no statistics for the index yet, and a freshly
    # analysed one had SQLite read migration 0004's search index through the table instead (~93 ms, not ~14).
    index = " INDEXED BY actions_search" if _searches_index(board, flt) else ""
    return f"SELECT count(*) FROM actions a{index}{where}", params


def _on_sqlite(board: Board) -> bool:
    return isinstance(board.conn, sqlite3.Connection)


def count(board: Board, flt: ActionFilter = ActionFilter()) -> int:
    return board.scalar(*_count_sql(board, flt))


def data_stamp(board: Board) -> int | None:
    """A value that changes whenever another connection commits to the board (SQLite's `data_version`; this
    connection's own commits do not change it), so a count can be kept while it is unchanged; None where the
    engine has no such value (PostgreSQL), so nothing is kept."""
    row = board.one("PRAGMA data_version")
    return None if row is None else row[0]


class Counter:
    """Counts the log on read-only connections of its own, so a count can run on another thread (a text filter
    reads all 100k rows, ~15 ms from migration 0006's index; the actions screen paints without it if slow) without
    waiting for, or holding, the board's connection. `cancel` stops the counts in flight (a newer filter
    replaced them); they then return None. `apart` is False where no second connection can be opened (a
    board on PostgreSQL, whose URL is kept only without its password): the caller counts with `count`."""

    def __init__(self, board: Board) -> None:
        self.board = board
        self.apart = isinstance(board.conn, sqlite3.Connection)
        self._lock = threading.Lock()
        self._live: set[sqlite3.Connection] = set()
        self._idle: list[sqlite3.Connection] = []
        self._cancels = 0  # how many times `cancel` was called: a count started before the last one is stale

    # A count's read-only connection is kept for the next one (at most IDLE of them; a count starts while a cancelled
    # one may still be running), with a page cache that holds the search index (13 MB at 100k actions): SQLite
    # keeps its cache between reads while no one has written, so typing on reads the index from memory, where a
    # fresh connection read it from the file each time (100k actions: ~15 ms a count, ~11 ms kept). Each count is
    # still a read of its own, seeing what was committed when it started.
    IDLE = 2
    CACHE = "PRAGMA cache_size = -32000"  # KiB
    # What `warm` reads. A condition on one of the index's columns makes SQLite read it: a bare count(*) is answered
    # from the table's smallest index whatever INDEXED BY names (~1 ms, and none of this index read).
    WARM = "SELECT count(*) FROM actions a INDEXED BY actions_search WHERE a.due IS NOT NULL"

    def count(self, flt: ActionFilter) -> int | None:
        return self.prepare(flt)()

    def prepare(self, flt: ActionFilter) -> Callable[[], int | None]:
        """Take or open the count's connection and make its query on the calling thread (all of a count's Python),
        and return the job that runs it. On another thread that job is SQLite alone, which releases the GIL: it
        neither waits for the GIL while the caller paints nor takes it back (made in the job, the opening and the
        query took turns with the UI thread's Python, and the count started up to 12 ms late).
        Raises sqlite3.Error when the file cannot be opened a second time."""
        with self._lock:
            started = self._cancels
        conn = self._take()
        sql = _count_sql(self.board, flt)

        def run() -> int | None:
            try:
                with self._lock:
                    if self._cancels != started:  # cancelled since the connection was opened
                        return None
                    self._live.add(conn)
                try:
                    return conn.execute(*sql).fetchall()[0][0]  # stepped to its end: the read is over
                except sqlite3.OperationalError as exc:
                    if "interrupt" in str(exc):
                        return None
                    raise
                finally:
                    with self._lock:
                        self._live.discard(conn)
            finally:
                self._keep(conn)

        return run

    def warm(self) -> None:
        """Read the search index into a kept connection's cache on another thread, ahead of the first count (the
        filter box has just opened): the first letter typed then counts from memory, where a fresh connection's
        first count read 13 MB from the file. No read is held once it is done; a failure here is left to the count
        itself to meet and report."""
        if not self.apart:
            return

        def run() -> None:
            try:
                conn = self._take()
            except sqlite3.Error:
                return
            try:
                conn.execute(self.WARM).fetchall()
            except sqlite3.Error:
                conn.close()
                return
            self._keep(conn)

        threading.Thread(target=run, name="action-count-warm", daemon=True).start()

    def _take(self) -> sqlite3.Connection:
        """A kept connection, or a new one with the counts' page cache. Raises sqlite3.Error when the file cannot
        be opened a second time."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        conn = open_reader(self.board.path)
        try:
            conn.execute(self.CACHE)
        except BaseException:
            conn.close()
            raise
        return conn

    def _keep(self, conn: sqlite3.Connection) -> None:
        """Keep a connection whose statement has ended (and with it its read) for the next count, or close it."""
        with self._lock:
            kept = len(self._idle) < self.IDLE
            if kept:
                self._idle.append(conn)
        if not kept:
            conn.close()

    def cancel(self) -> None:
        with self._lock:
            self._cancels += 1
            for conn in self._live:
                conn.interrupt()


# A substring filter's page walks the order's index and reads rows until it has a page of matches: ~1 ms when
# matches are common, but ~80 ms over 100k rows to find few or none, where a scan of the table and a sort of the
# matches takes ~30 ms whatever they are. On SQLite the walk therefore gets a budget of VM steps (~10 ms of
# walking), and past it the page is read from the matches `actions_search` finds (~15 ms over 100k), or, with a
# body or Part 2 filter that index does not hold, by a scan of the table (`NOT INDEXED`: SQLite's way to ask).
WALK_STEPS = 150_000
_STEPS_PER_CALL = 1_000


def page(board: Board, offset: int, limit: int, flt: ActionFilter = ActionFilter(), *, walk: bool = True) -> list:
    """One page of the log in the filter's order (offset paging on an index that matches the order). `walk` False:
    the filter is known to match few rows (a count made already bounds it), so a substring filter's page is read
    from its matches at once rather than after a walk that would spend its budget and give up."""
    conn = board.conn
    where, params = flt.where(_on_sqlite(board))
    params.update(limit=limit, offset=offset)
    order = ORDERS[flt.order]

    def sql(hint: str = "") -> str:
        # The offset is walked over the narrow index alone (refs are unique and in it), and the joins run for this
        # page's rows only: OFFSET on the joined SELECT built every skipped row (page 2,500 of 100k: 117 → 2 ms).
        return (f"{SELECT} WHERE a.ref IN (SELECT a.ref FROM actions a{hint}{where} ORDER BY {order} "
                f"LIMIT :limit OFFSET :offset) ORDER BY {order}")

    if not (flt.reads_every_row and _on_sqlite(board)):
        return board.query(sql(), params)
    if walk:
        calls = 0

        def spent() -> int:
            nonlocal calls
            calls += 1
            return calls * _STEPS_PER_CALL > WALK_STEPS  # non-zero interrupts the walk

        conn.set_progress_handler(spent, _STEPS_PER_CALL)
        try:
            return board.query(sql(), params)
        except sqlite3.OperationalError as exc:
            if "interrupt" not in str(exc):
                raise
        finally:
            conn.set_progress_handler(None, 0)
    return board.query(sql(" INDEXED BY actions_search" if _searches_index(board, flt) else " NOT INDEXED"), params)


def stream(board: Board, flt: ActionFilter = ActionFilter(), batch: int = 2_000) -> Iterator:
    """Every matching action in due order, fetched a batch at a time by keyset (due, ref).

    Each batch is fetched whole, so no read transaction stays open between batches while output is written.
    """
    where, params = flt.where(_on_sqlite(board))
    joiner = " AND " if where else " WHERE "
    last_due, last_ref = "", ""
    while True:
        p = dict(params, ld=last_due, lr=last_ref, n=batch)
        rows = board.query(
            f"{SELECT}{where}{joiner}(a.due > :ld OR (a.due = :ld AND a.ref > :lr)) ORDER BY a.due, a.ref LIMIT :n", p
        )
        yield from rows
        if len(rows) < batch:
            return
        last_due, last_ref = rows[-1]["due"], rows[-1]["ref"]


def get(board: Board, action_id: str):
    """One action with where it was raised, or None."""
    return board.one(f"{SELECT} WHERE a.id = :id", {"id": action_id})


# ---- history and writes -----------------------------------------------------------------------------------------

def updates(board: Board, action_id: str) -> list:
    """An action's dated updates and re-datings, oldest first."""
    return board.query("SELECT * FROM action_updates WHERE action_id = :a ORDER BY at, id", {"a": action_id})


def due_history(board: Board, action_id: str) -> list[str]:
    """Every due date the action has had, oldest first and the current one last (for `slip_summary`)."""
    row = board.one("SELECT due, original_due FROM actions WHERE id = :a", {"a": action_id})
    if row is None:
        return []
    dates = [row["original_due"] or row["due"]]
    for u in updates(board, action_id):
        if u["new_due"]:
            if u["old_due"] and u["old_due"] != dates[-1]:
                dates.append(u["old_due"])
            dates.append(u["new_due"])
    if dates[-1] != row["due"]:
        dates.append(row["due"])
    return dates


def slip_text(board: Board, action) -> str:
    """"slipped twice, originally 14 Oct 2016" for an action row (asks for its history only if it moved)."""
    if not action["moves"] and (action["original_due"] or action["due"]) == action["due"]:
        return ""
    return slip_summary(due_history(board, action["id"]))


def _part(board: Board, item_id: str | None) -> int:
    if item_id is None:
        return 1
    row = board.one("SELECT part FROM agenda_items WHERE id = :i", {"i": item_id})
    return row["part"] if row else 1


def _text_fields(values: dict) -> dict:
    """Text and owner: both required, each refusal naming its field."""
    text = inputs.required(values.get("text"), "text", "Action")
    owner = inputs.line(values.get("owner"))
    if not owner:
        raise ValidationError("Owner is required: name who will do it.", field="owner")
    return {"text": text, "owner": owner}


def check(board: Board, values: dict, meeting_id: str | None = None) -> tuple[dict, list[str]]:
    """Validate a new or edited action. Returns the clean values and warnings (a due date before the meeting
    it was raised at); raises ValidationError naming the field for a missing owner, due date or text."""
    row = _text_fields(values)
    due_text = inputs.line(values.get("due"))
    if not due_text:
        raise ValidationError("Due date is required (YYYY-MM-DD).", field="due")
    row["due"] = inputs.day(due_text, "due", "Due date")
    warnings = []
    if meeting_id:
        m = board.one("SELECT date FROM meetings WHERE id = :m", {"m": meeting_id})
        if m is not None and row["due"] < m["date"]:
            warnings.append(f"The due date {display_date(row['due'])} is before the meeting it was raised at "
                            f"({display_date(m['date'])}).")
    return row, warnings


def create(board: Board, values: dict, *, body_id: str | None = None, meeting_id: str | None = None,
           item_id: str | None = None) -> str:
    """Raise an action (owner and due date required); its ref follows the body's style ("TH-07")."""
    row, _ = check(board, values, meeting_id)
    if meeting_id and body_id is None:
        m = board.one("SELECT body_id FROM meetings WHERE id = :m", {"m": meeting_id})
        body_id = m["body_id"] if m else None
    status = ActionStatus.parse(values.get("status")).value
    with writing(board) as w:
        ref = next_ref(w.conn, "actions", f"{body_stem(w.conn, body_id)}-")
        return w.insert("actions", {
            **row, "ref": ref, "original_due": row["due"], "status": status, "body_id": body_id,
            "meeting_id": meeting_id, "item_id": item_id,
        }, entity="action", ref=ref, confidential=_part(board, item_id) == 2)


def edit(board: Board, action_id: str, version: int | None, values: dict) -> None:
    """Change an action's text, owner or status (a new due date goes through `redate`)."""
    current = get(board, action_id)
    if current is None:
        raise NotFound("That action no longer exists: someone may have deleted it.")
    row = _text_fields(values)
    if values.get("status"):
        try:
            row["status"] = ActionStatus.parse(values["status"]).value
        except ValidationError as exc:
            raise ValidationError(exc.message, field="status") from None
    with writing(board) as w:
        w.update("actions", action_id, version, row, entity="action", ref=current["ref"],
                 confidential=current["part"] == 2)


def set_status(board: Board, action_id: str, version: int | None, status: str) -> None:
    current = get(board, action_id)
    if current is None:
        raise NotFound("That action no longer exists.")
    value = ActionStatus.parse(status).value
    with writing(board) as w:
        w.update("actions", action_id, version, {"status": value}, entity="action", ref=current["ref"],
                 confidential=current["part"] == 2)


def redate(board: Board, action_id: str, version: int | None, new_due: str, note: str | None = None) -> None:
    """Move the due date; the old one is kept in the action's updates (and `original_due` never changes)."""
    current = get(board, action_id)
    if current is None:
        raise NotFound("That action no longer exists.")
    due = inputs.day(new_due, "due", "New due date")
    if due == current["due"]:
        raise ValidationError(f"The action is already due on {display_date(due)}.", field="due")
    text = inputs.text(note)
    with writing(board) as w:
        w.insert("action_updates", {"action_id": action_id, "at": w.at, "who": board.who, "text": text,
                                    "old_due": current["due"], "new_due": due},
                 entity="action_update", ref=current["ref"], confidential=current["part"] == 2)
        changes: dict = {"due": due}
        if current["original_due"] is None:
            changes["original_due"] = current["due"]
        if text:
            changes["latest_update"] = text
        w.update("actions", action_id, version, changes, entity="action", ref=current["ref"],
                 confidential=current["part"] == 2)


def add_update(board: Board, action_id: str, version: int | None, text: str) -> None:
    """A dated progress note; it becomes the action's latest update."""
    current = get(board, action_id)
    if current is None:
        raise NotFound("That action no longer exists.")
    body = inputs.required(text, "text", "Update")
    with writing(board) as w:
        w.insert("action_updates", {"action_id": action_id, "at": w.at, "who": board.who, "text": body},
                 entity="action_update", ref=current["ref"], confidential=current["part"] == 2)
        w.update("actions", action_id, version, {"latest_update": body}, entity="action", ref=current["ref"],
                 confidential=current["part"] == 2)


def for_meeting(board: Board, meeting_id: str, item_id: str | None = None, *, public_only: bool = False) -> list:
    """Actions raised at a meeting (on one item when `item_id` is given), in agenda then ref order."""
    sql = f"{SELECT} WHERE a.meeting_id = :m"
    params: dict = {"m": meeting_id}
    if item_id is not None:
        sql += " AND a.item_id = :i"
        params["i"] = item_id
    if public_only:
        sql += " AND coalesce(i.part, 1) <> 2"
    return board.query(sql + " ORDER BY coalesce(i.position, 0), a.ref", params)


def carried_forward(board: Board, body_id: str, before: str, *, public_only: bool = False,
                    limit: int = 500) -> list:
    """Open actions of a body raised before `before` (a meeting's date): what its action-log item reviews."""
    sql = (f"{SELECT} WHERE a.body_id = :b AND a.status <> 'closed' "
           "AND (a.meeting_id IS NULL OR m.date < :d)")
    if public_only:
        sql += " AND coalesce(i.part, 1) <> 2"
    return board.query(sql + " ORDER BY a.due, a.ref LIMIT :n", {"b": body_id, "d": before, "n": limit})


def count_carried_forward(board: Board, body_id: str, before: str, *, part2_only: bool = False) -> int:
    sql = ("SELECT count(*) FROM actions a LEFT JOIN meetings m ON m.id = a.meeting_id "
           "LEFT JOIN agenda_items i ON i.id = a.item_id WHERE a.body_id = :b AND a.status <> 'closed' "
           "AND (a.meeting_id IS NULL OR m.date < :d)")
    if part2_only:
        sql += " AND i.part = 2"
    return board.scalar(sql, {"b": body_id, "d": before})


def log_for_meeting(board: Board, meeting_id: str, *, public_only: bool) -> list:
    """The action log printed at the end of a meeting's minutes: the body's actions still live, raised at or
    before this meeting, and every action raised at it (whatever its status)."""
    m = board.one("SELECT body_id, date FROM meetings WHERE id = :m", {"m": meeting_id})
    if m is None:
        return []
    sql = (f"{SELECT} WHERE a.body_id = :b AND (a.meeting_id = :m OR (a.status <> 'closed' "
           "AND (a.meeting_id IS NULL OR m.date <= :d)))")
    if public_only:
        sql += " AND coalesce(i.part, 1) <> 2"
    return board.query(sql + " ORDER BY a.due, a.ref", {"b": m["body_id"], "m": meeting_id, "d": m["date"]})


def owner_names(board: Board, body_id: str | None = None, limit: int = 300) -> list[str]:
    """Names to suggest as an owner: the body's members, then owners already used on the log."""
    names: list[str] = []
    if body_id:
        names += [r["name"] for r in board.query(
            "SELECT name FROM members WHERE body_id = :b ORDER BY lower(name)", {"b": body_id})]
    for r in board.query("SELECT DISTINCT owner FROM actions ORDER BY owner LIMIT :n", {"n": limit}):
        if r["owner"] not in names:
            names.append(r["owner"])
    return names
