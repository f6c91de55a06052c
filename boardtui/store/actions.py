"""Action log queries: a filtered count (also on a connection of its own, for a worker thread) and one page at
a time in one of four orders (the log reaches 100k rows), and a stream;
and the writes: raise an action, edit it, re-date it (every earlier due date is kept), dated updates, status."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field, replace
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


def like_operator(board: Board) -> str:
    """The engine's case-insensitive LIKE. SQLite's LIKE already ignores ASCII case, exactly as its `lower()`
    does (neither folds other letters), so `lower(col) LIKE lower(:q)` matched the same rows at three times the
    cost (85 ms against 27 ms over 100k actions); PostgreSQL's LIKE is case-sensitive and ILIKE is not."""
    return "ILIKE" if getattr(board.conn, "engine", "sqlite") == "postgresql" else "LIKE"

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

    def where(self, like: str = "LIKE", owners: bool = True) -> tuple[str, dict]:
        """The WHERE clause and its parameters; `like` is the engine's case-insensitive LIKE (`like_operator`).
        Without `owners` the text is not looked for in the owner column: for a text no owner contains
        (`_owners_may_match`), which leaves out a third of the work of a search."""
        clauses, params = [], {}
        if self.text:
            owner = f" OR a.owner {like} :q" if owners else ""
            clauses.append(f"(a.text {like} :q OR a.ref {like} :q{owner})")
            params["q"] = f"%{self.text}%"
        if self.owner:
            clauses.append(f"a.owner {like} :owner")
            params["owner"] = f"%{self.owner}%"
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


# `actions_search` (migration 0006) holds the searched values, status and due date of the rows whose values are this
# short, `actions_search_long` the size of the others: a count of a text filter is the sum over the two, each read
# from its index. The sum is spelt as the index's own condition, for SQLite to match the two.
SEARCH_SIZE = "length(a.text) + length(a.ref) + length(a.owner) + length(a.status) + length(a.due)"
SEARCH_SHORT = 600


def _searches_index(board: Board, flt: ActionFilter) -> bool:
    """True when the filter is a substring match, with or without "open only" and "overdue only", on SQLite:
    `actions_search` then answers it from the columns it holds rather than every column of the table."""
    return (flt.reads_every_row
            and replace(flt, text="", owner="", statuses=(), overdue_on=None, order="due") == ActionFilter()
            and getattr(board.conn, "engine", "sqlite") != "postgresql")


# The log's distinct owners are few (tens to hundreds against 100k rows) and `actions_owner_order` (migration 0003)
# holds them in order: a loose scan finds each with one seek (19 owners: 0.03 ms) where `a.owner LIKE` costs ~5 ms
# over 100k rows. Owners are compared lower-cased: SQLite's lower() folds exactly the letters its LIKE ignores the
# case of (ASCII). Past OWNER_STEPS owners the scan gives up and the owner column is searched row by row.
OWNER_STEPS = 1_000
_OWNERS_MATCHING = (
    "WITH RECURSIVE o(v, n) AS (SELECT (SELECT min(lower(owner)) FROM actions), 0 UNION ALL "
    "SELECT (SELECT min(lower(owner)) FROM actions WHERE lower(owner) > o.v), o.n + 1 FROM o "
    f"WHERE o.v IS NOT NULL AND o.n < {OWNER_STEPS}) "
    "SELECT max(v IS NULL), max(v LIKE :q) FROM o"  # (every owner seen, one of them contains the text)
)


def _owners_may_match(conn, flt: ActionFilter) -> bool:
    """False when no owner on the log contains the filter's text (SQLite): the text is then looked for in the text
    and ref columns only, an exact answer at two thirds of the cost. `conn` is the connection that then reads."""
    if not flt.text:
        return True
    every_owner, matched = conn.execute(_OWNERS_MATCHING, {"q": f"%{flt.text}%"}).fetchall()[0]
    return not every_owner or bool(matched)


def _counted_by_status_and_due(flt: ActionFilter) -> bool:
    """True when the filter asks only about status and due date: `action_counts` (migration 0005) answers it
    from a row per status and day instead of a count of the log (PostgreSQL: 100k actions, ~10 ms → ~1 ms)."""
    return replace(flt, statuses=(), overdue_on=None, order="due") == ActionFilter()


def _count_sql(board: Board, flt: ActionFilter, owners: bool = True) -> tuple[str, dict]:
    where, params = flt.where(like_operator(board), owners)
    if _counted_by_status_and_due(flt):  # the same clauses: the kept rows have the status and due columns
        return f"SELECT CAST(coalesce(sum(a.n), 0) AS BIGINT) FROM action_counts a{where}", params
    if _searches_index(board, flt):
        # The two halves split the rows by the index's own condition (written as it is, so SQLite can match it).
        # Named, not left to the planner: a board upgraded to 0006 has no statistics for the new index yet, and
        # without them SQLite read the short half through `actions_search_long` and the table (~100 ms, not ~15).
        return (f"SELECT (SELECT count(*) FROM actions a INDEXED BY actions_search{where} "
                f"AND {SEARCH_SIZE} < {SEARCH_SHORT}) + "
                f"(SELECT count(*) FROM actions a{where} AND {SEARCH_SIZE} >= {SEARCH_SHORT})", params)
    return f"SELECT count(*) FROM actions a{where}", params


def _on_sqlite(board: Board) -> bool:
    return isinstance(board.conn, sqlite3.Connection)


def count(board: Board, flt: ActionFilter = ActionFilter()) -> int:
    owners = not _on_sqlite(board) or _owners_may_match(board.conn, flt)
    return board.scalar(*_count_sql(board, flt, owners))


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
        self._cancels = 0  # how many times `cancel` was called: a count started before the last one is stale

    def count(self, flt: ActionFilter) -> int | None:
        return self.prepare(flt)()

    def prepare(self, flt: ActionFilter) -> Callable[[], int | None]:
        """Open the count's connection and make its query on the calling thread (~0.6 ms: all of a count's Python),
        and return the job that runs it. On another thread that job is SQLite alone, which releases the GIL: it
        neither waits for the GIL while the caller paints nor takes it back (made in the job, the opening and the
        query took turns with the UI thread's Python, and the count started up to 12 ms late).
        Raises sqlite3.Error when the file cannot be opened a second time."""
        with self._lock:
            started = self._cancels
        # Read-only, with the pragmas of every connection, and a fresh one each time: nothing to close when the
        # screen goes, and each count sees what was committed when it started, as the board's own connection would.
        conn = open_reader(self.board.path)
        try:
            # One read from here to the count's end: the owners looked at are the owners counted over.
            conn.execute("BEGIN")
            sql = _count_sql(self.board, flt, _owners_may_match(conn, flt))
        except BaseException:
            conn.close()
            raise

        def run() -> int | None:
            try:
                with self._lock:
                    if self._cancels != started:  # cancelled since the connection was opened
                        return None
                    self._live.add(conn)
                try:
                    return conn.execute(*sql).fetchone()[0]
                except sqlite3.OperationalError as exc:
                    if "interrupt" in str(exc):
                        return None
                    raise
                finally:
                    with self._lock:
                        self._live.discard(conn)
            finally:
                conn.close()  # which ends the read

        return run

    def cancel(self) -> None:
        with self._lock:
            self._cancels += 1
            for conn in self._live:
                conn.interrupt()


# A substring filter's page walks the order's index and reads rows until it has a page of matches: ~1 ms when
# matches are common, but ~80 ms over 100k rows to find few or none, where a scan of the table and a sort of the
# matches takes ~30 ms whatever they are. On SQLite the walk therefore gets a budget of VM steps (~10 ms of
# walking), and past it the page is read by the scan instead (`NOT INDEXED`, SQLite's way to ask for it) or, for
# a substring match alone, from the refs `actions_search` finds (~20 ms against the scan's ~35 over 100k).
WALK_STEPS = 150_000
_STEPS_PER_CALL = 1_000


def page(board: Board, offset: int, limit: int, flt: ActionFilter = ActionFilter(), *, walk: bool = True) -> list:
    """One page of the log in the filter's order (offset paging on an index that matches the order). `walk` False:
    the filter is known to match few rows (a count made already bounds it), so a substring filter's page is read
    from its matches at once rather than after a walk that would spend its budget and give up."""
    if not (flt.text and _on_sqlite(board)) or board.conn.in_transaction:
        return _page(board, offset, limit, flt, walk, owners=True)
    # One read for the owners looked at and the page: an owner added in between would otherwise be left out.
    board.conn.execute("BEGIN")
    try:
        return _page(board, offset, limit, flt, walk, owners=_owners_may_match(board.conn, flt))
    finally:
        if board.conn.in_transaction:  # nothing was written: this ends the read
            board.conn.execute("ROLLBACK")


def _page(board: Board, offset: int, limit: int, flt: ActionFilter, walk: bool, owners: bool) -> list:
    conn = board.conn
    where, params = flt.where(like_operator(board), owners)
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
    if not _searches_index(board, flt):
        return board.query(sql(" NOT INDEXED"), params)
    matches = (f"SELECT a.ref FROM actions a INDEXED BY actions_search{where} AND {SEARCH_SIZE} < {SEARCH_SHORT} "
               f"UNION ALL SELECT a.ref FROM actions a{where} AND {SEARCH_SIZE} >= {SEARCH_SHORT}")
    return board.query(f"{SELECT} WHERE a.ref IN (SELECT a.ref FROM actions a WHERE a.ref IN ({matches}) "
                       f"ORDER BY {order} LIMIT :limit OFFSET :offset) ORDER BY {order}", params)


def stream(board: Board, flt: ActionFilter = ActionFilter(), batch: int = 2_000) -> Iterator:
    """Every matching action in due order, fetched a batch at a time by keyset (due, ref).

    Each batch is fetched whole, so no read transaction stays open between batches while output is written.
    """
    where, params = flt.where(like_operator(board))
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


@dataclass
class ActionCounts:
    """The action log's counts by status, and how many are open past their due date."""

    open: int = 0
    overdue: int = 0
    proposed: int = 0
    closed: int = 0
    by_status: dict = field(default_factory=dict)


def counts(board: Board, today: date) -> ActionCounts:
    """Open, overdue, proposed-for-closure and closed counts for the dashboard and the log's status line: summed
    from `action_counts`, kept by status and due date (migration 0005; 100k actions: ~10 → ~0.7 ms)."""
    c = ActionCounts()
    for row in board.query("SELECT status, sum(n) FROM action_counts GROUP BY status"):
        c.by_status[row[0]] = int(row[1])
    c.open = c.by_status.get("open", 0)
    c.proposed = c.by_status.get("proposed for closure", 0)
    c.closed = c.by_status.get("closed", 0)
    c.overdue = int(board.scalar(
        "SELECT coalesce(sum(n), 0) FROM action_counts WHERE status IN ('open', 'proposed for closure') "
        "AND due < :t", {"t": today.isoformat()},
    ))
    return c


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
