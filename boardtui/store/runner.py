"""The chair's runner, persisted: which item is current and since when its clock has been running.

Every move is written at once, so quitting (or a flat battery) mid-meeting loses nothing: the next start finds
the runner on the same item. The clock is never written as it ticks: the meeting keeps `runner_running_since`
(when the current item's clock was last started, UTC) and each item keeps the seconds it ran before that
(`elapsed_seconds`); what the clock shows is computed from the two. Moving to another item, pausing, or ending
the meeting folds the running time into the item it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from boardtui.domain.entities import MeetingStatus
from boardtui.domain.errors import NotFound
from boardtui.store.connection import Board
from boardtui.store.tx import Writer, writing

REASON = "meeting runner"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_moment(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class RunnerState:
    meeting_id: str
    item_id: str | None
    running_since: datetime | None
    started_at: str | None
    ended_at: str | None

    @property
    def running(self) -> bool:
        return self.running_since is not None


def state(board: Board, meeting_id: str) -> RunnerState:
    row = board.one("SELECT id, runner_item_id, runner_running_since, started_at, ended_at FROM meetings "
                    "WHERE id = :m", {"m": meeting_id})
    if row is None:
        raise NotFound("That meeting no longer exists.")
    return RunnerState(row["id"], row["runner_item_id"], parse_moment(row["runner_running_since"]),
                       row["started_at"], row["ended_at"])


def elapsed(item_elapsed_seconds: int, item_id: str, st: RunnerState, now: datetime) -> int:
    """Seconds an item's clock shows now: what it ran before, plus the running stretch if it is current."""
    seconds = item_elapsed_seconds or 0
    if st.running_since is not None and st.item_id == item_id:
        seconds += max(0, int((now - st.running_since).total_seconds()))
    return seconds


def _fold(w: Writer, meeting_id: str, now: datetime) -> None:
    """Add the running stretch to the current item and stop the clock (inside a write)."""
    row = w.conn.execute("SELECT runner_item_id, runner_running_since FROM meetings WHERE id = :m",
                         {"m": meeting_id}).fetchone()
    since = parse_moment(row["runner_running_since"])
    if since is None:
        return
    if row["runner_item_id"]:
        item = w.conn.execute("SELECT elapsed_seconds, number, part FROM agenda_items WHERE id = :i",
                              {"i": row["runner_item_id"]}).fetchone()
        if item is not None:
            run = max(0, int((now - since).total_seconds()))
            w.update("agenda_items", row["runner_item_id"], None,
                     {"elapsed_seconds": (item["elapsed_seconds"] or 0) + run}, entity="agenda_item",
                     ref=f"item {item['number']}", confidential=item["part"] == 2, reason=REASON)
    w.update("meetings", meeting_id, None, {"runner_running_since": None}, entity="meeting", reason=REASON)


def open_runner(board: Board, meeting_id: str) -> RunnerState:
    """The runner's state, put on the first item when the meeting has not been run before."""
    st = state(board, meeting_id)
    valid = st.item_id and board.one("SELECT 1 FROM agenda_items WHERE id = :i AND meeting_id = :m",
                                     {"i": st.item_id, "m": meeting_id})
    if not valid:
        first = board.one("SELECT id FROM agenda_items WHERE meeting_id = :m ORDER BY position, number LIMIT 1",
                          {"m": meeting_id})
        if first is not None and not board.read_only:
            with writing(board, reason=REASON) as w:
                w.update("meetings", meeting_id, None, {"runner_item_id": first["id"], "runner_running_since": None},
                         entity="meeting")
            st = state(board, meeting_id)
        elif first is not None:
            st.item_id = first["id"]
    return st


def go_to(board: Board, meeting_id: str, item_id: str, now: datetime | None = None) -> None:
    """Make `item_id` current. A running clock moves with the chair: it keeps running, on the new item."""
    now = now or utc_now()
    st = state(board, meeting_id)
    if st.item_id == item_id:
        return
    with writing(board, reason=REASON) as w:
        was_running = st.running
        _fold(w, meeting_id, now)
        changes: dict = {"runner_item_id": item_id}
        if was_running:
            changes["runner_running_since"] = _iso(now)
        w.update("meetings", meeting_id, None, changes, entity="meeting")


def toggle_clock(board: Board, meeting_id: str, now: datetime | None = None) -> bool:
    """Start the clock (the meeting starts with its first start) or pause it. Returns True when now running."""
    now = now or utc_now()
    st = state(board, meeting_id)
    with writing(board, reason=REASON) as w:
        if st.running:
            _fold(w, meeting_id, now)
            return False
        changes: dict = {"runner_running_since": _iso(now)}
        if not st.started_at:
            changes["started_at"] = _iso(now)
        if st.ended_at:
            changes["ended_at"] = None  # resumed after being ended by mistake
        w.update("meetings", meeting_id, None, changes, entity="meeting")
        return True


def end_meeting(board: Board, meeting_id: str, now: datetime | None = None) -> None:
    """Stop the clock, record when the meeting ended, and mark it held (unless its minutes are approved)."""
    now = now or utc_now()
    st = state(board, meeting_id)
    status = board.scalar("SELECT status FROM meetings WHERE id = :m", {"m": meeting_id})
    with writing(board, reason=REASON) as w:
        _fold(w, meeting_id, now)
        changes: dict = {"ended_at": _iso(now)}
        if not st.started_at:
            changes["started_at"] = _iso(now)
        if status != MeetingStatus.MINUTES_APPROVED.value:
            changes["status"] = MeetingStatus.HELD.value
        w.update("meetings", meeting_id, None, changes, entity="meeting")

