"""The runner (`g`): the chair's live view of a meeting, one agenda item at a time, against the clock.

The current item is shown large — number, title, purpose, presenter, recommendations — beside its clock
(elapsed of allotted, amber when nearly out and red when over, always with words too), the meeting's
projected finish given the overruns so far, the quorum for this item (re-checked after conflicted members
step back, with a warning when inquorate), the live figures of the records it links to, and what has been
recorded against it. In Part 2 a banner says the session is closed.

Keys (DESIGN.md): `right`/`left` next/previous item (a running clock moves with the chair), `space` starts or
pauses the clock, `a`/`d`/`m` record an action/decision/minute note on the current item; `p` attendance,
`i` declarations of interest on the item, `x` ends the meeting and offers to write the minutes, `w` writes
them at any time. Every change is saved at once (store/runner.py), so a restart resumes on the same item.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Digits, Static

from boardtui.domain.agenda import (
    add_minutes, clock_state, clock_text, is_action_log, mmss, planned_starts, projected_finish,
)
from boardtui.domain.errors import BoardError
from boardtui.domain.periods import display_date
from boardtui.store import actions as actions_store
from boardtui.store import agenda as agenda_store
from boardtui.store import attendance as attendance_store
from boardtui.store import decisions as decisions_store
from boardtui.store import linked
from boardtui.store import meetings as meetings_store
from boardtui.store import notes as notes_store
from boardtui.store import runner as runner_store
from boardtui.ui.literal import add, lit, lit_text
from boardtui.ui.modals.action_form import new_action
from boardtui.ui.modals.attendance import AttendanceScreen, quorum_text
from boardtui.ui.modals.confirm import ConfirmScreen
from boardtui.ui.modals.decision_form import new_decision
from boardtui.ui.modals.declarations import DeclarationsScreen
from boardtui.ui.modals.meeting_forms import minutes_form
from boardtui.ui.modals.note_form import new_note
from boardtui.ui.screens.meeting_detail import action_line, safe_start
from boardtui.ui.screens.pushed import PushedScreen
from boardtui.ui.widgets.rag import rag_word

CLOCK_LEVELS = ("none", "ok", "warn", "over")


class RunnerScreen(PushedScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the scrolling panel below must not take left/right/space for itself.
        Binding("right", "step(1)", "Next item", id="runner.next", priority=True),
        Binding("left", "step(-1)", "Previous item", id="runner.previous", priority=True),
        Binding("space", "clock", "Start/pause clock", id="runner.clock", priority=True),
        Binding("a", "record_action", "Action", id="runner.action"),
        Binding("d", "record_decision", "Decision", id="runner.decision"),
        Binding("m", "record_note", "Minute note", id="runner.note"),
        Binding("p", "attendance", "Attendance", id="runner.attendance"),
        Binding("i", "declarations", "Declarations", id="runner.declarations"),
        Binding("x", "end", "End meeting", id="runner.end"),
        Binding("w", "minutes", "Write minutes", show=False, id="runner.minutes"),
    ]

    DEFAULT_CSS = """
    RunnerScreen #banner {
        display: none;
        height: auto;
        background: $error;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    RunnerScreen.part2 #banner {
        display: block;
    }
    RunnerScreen #top {
        height: auto;
    }
    RunnerScreen #item-pane {
        width: 1fr;
        height: auto;
        padding: 0 1;
    }
    RunnerScreen #position {
        color: $text-muted;
    }
    RunnerScreen #item-title {
        text-style: bold;
        background: $boost;
        border-left: thick $accent;
        padding: 0 1;
    }
    RunnerScreen #clock-pane {
        width: 26;
        height: auto;
        padding: 0 1;
    }
    RunnerScreen Digits {
        width: auto;
    }
    RunnerScreen .clock-warn {
        color: $warning;
    }
    RunnerScreen .clock-over {
        color: $error;
        text-style: bold;
    }
    RunnerScreen #projection, RunnerScreen #quorum {
        height: auto;
        padding: 0 1;
    }
    RunnerScreen #lower {
        height: 1fr;
        border-top: solid $primary;
        padding: 0 1;
    }
    RunnerScreen .panel-heading {
        text-style: bold;
        margin-top: 1;
    }
    """

    def __init__(self, meeting_id: str, *, now: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.now = now or runner_store.utc_now
        self.items: list = []
        self.current_id: str | None = None
        self.state: runner_store.RunnerState | None = None
        self._figures_for: str | None = None

    # ---- building ----------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        m = meetings_store.get(self.app.board, self.meeting_id)
        yield from self.compose_header(f"Runner — {meetings_store.label(m)}" if m else "Runner")
        yield Static(lit(""), id="banner")
        with Horizontal(id="top"):
            with Vertical(id="item-pane"):
                yield Static(lit(""), id="position")
                yield Static(lit(""), id="item-title")
                yield Static(lit(""), id="item-who")
            with Vertical(id="clock-pane"):
                yield Digits("0:00", id="clock")
                yield Static(lit(""), id="clock-words")
        yield Static(lit(""), id="projection")
        yield Static(lit(""), id="quorum")
        with VerticalScroll(id="lower"):
            yield Static(lit(""), id="recommendations")
            yield Static(lit(""), id="linked")
            yield Static(lit(""), id="captured")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        board = self.app.board
        self.state = self.attempt(runner_store.open_runner, board, self.meeting_id) or runner_store.state(
            board, self.meeting_id)
        self.current_id = self.state.item_id
        self.load()
        self.set_interval(1.0, self.tick)

    def on_screen_resume(self) -> None:
        if self.state is not None:
            self._figures_for = None  # figures may have moved while another screen was open
            self.load()

    # ---- state -------------------------------------------------------------------------------------------------

    def load(self) -> None:
        """Re-read the agenda and the runner's state, then show everything."""
        board = self.app.board
        self.meeting = meetings_store.get(board, self.meeting_id)
        self.items = meetings_store.agenda(board, self.meeting_id)
        self.state = runner_store.state(board, self.meeting_id)
        ids = [r["id"] for r in self.items]
        if self.state.item_id in ids and not board.read_only:
            self.current_id = self.state.item_id
        if self.current_id not in ids:
            self.current_id = ids[0] if ids else None
        self.render_all()

    @property
    def index(self) -> int:
        ids = [r["id"] for r in self.items]
        return ids.index(self.current_id) if self.current_id in ids else 0

    @property
    def item(self):
        return self.items[self.index] if self.items else None

    def elapsed_of(self, row) -> int:
        return runner_store.elapsed(row["elapsed_seconds"], row["id"], self.state, self.now())

    # ---- showing -----------------------------------------------------------------------------------------------

    def render_all(self) -> None:
        item = self.item
        title = self.query_one("#screen-title", Static)
        m = self.meeting
        label = meetings_store.label(m) if m else ""
        if item is None:
            title.update(lit(f"Runner — {label}"))
            self.query_one("#item-title", Static).update(lit("This meeting has no agenda items."))
            return
        ended = " — meeting ended" if self.state.ended_at else ""
        title.update(lit(f"Runner — {label}{ended}"))
        part2 = item["part"] == 2
        self.set_class(part2, "part2")
        body = meetings_store.body(self.app.board, m["body_id"]) if m else None
        basis = f" under {body['exclusion_basis']}" if body and body["exclusion_basis"] else ""
        self.query_one("#banner", Static).update(lit(
            f"PART 2 — CLOSED SESSION: press and public excluded{basis}. Confidential business."))
        self.render_item(item)
        self.render_clock()
        self.render_quorum(item)
        self.render_lower(item)

    def render_item(self, item) -> None:
        starts = planned_starts(safe_start(self.meeting["start_time"]), [r["minutes"] for r in self.items])
        at = starts[self.index]
        bits = [f"Item {item['number']} of {len(self.items)}"]
        if item["purpose"]:
            bits.append(f"for {item['purpose']}")
        if item["part"] == 2:
            bits.append("PART 2")
        if at is not None:
            end = clock_text(add_minutes(at, item["minutes"] or 0))
            bits.append(f"planned {clock_text(at)}–{end}")
        self.query_one("#position", Static).update(lit(" · ".join(bits)))
        self.query_one("#item-title", Static).update(lit(item["title"]))
        who = []
        if item["presenter"]:
            who.append(f"Presenter: {item['presenter']}")
        if item["sponsor"]:
            who.append(f"Sponsor: {item['sponsor']}")
        self.query_one("#item-who", Static).update(lit(" · ".join(who)))

    def render_clock(self) -> None:
        item = self.item
        if item is None:
            return
        seconds = self.elapsed_of(item)
        st = clock_state(seconds, item["minutes"])
        digits = self.query_one("#clock", Digits)
        words = self.query_one("#clock-words", Static)
        for widget in (digits, words):
            for level in CLOCK_LEVELS:
                widget.set_class(level == st.level, f"clock-{level}")
        digits.update(mmss(seconds))
        running = "RUNNING" if self.state.running and self.state.item_id == item["id"] else "paused"
        allotted = f" of {item['minutes']} min" if item["minutes"] else ""
        words.update(lit(f"{mmss(seconds)}{allotted} · {running}\n{st.words}"))
        timings = [(r["minutes"], self.elapsed_of(r)) for r in self.items]
        projection = projected_finish(safe_start(self.meeting["start_time"]), timings, self.index)
        nxt = self.items[self.index + 1] if self.index + 1 < len(self.items) else None
        after = f" · next: {nxt['number']}. {nxt['title']}" if nxt else " · last item"
        self.query_one("#projection", Static).update(lit(projection.words().capitalize() + after))

    def render_quorum(self, item) -> None:
        check = attendance_store.quorum(self.app.board, self.meeting_id, item["id"])
        text = quorum_text(check)
        if check.quorate is False:
            add(text, " — THIS ITEM IS INQUORATE: no decision can be taken", style="bold")
        self.query_one("#quorum", Static).update(text)

    def render_lower(self, item) -> None:
        board = self.app.board
        recs = agenda_store.recommendations(item)
        rec_text = lit_text("Recommendations", style="bold") if recs else lit_text("")
        for i, r in enumerate(recs):
            add(rec_text, f"\n {chr(ord('a') + i % 26)}) {r}")
        self.query_one("#recommendations", Static).update(rec_text)
        if self._figures_for != item["id"]:
            self._figures_for = item["id"]
            links = agenda_store.links(board, item["id"])
            figures = lit_text("")
            if links:
                add(figures, "Linked figures", style="bold")
                for f in linked.figures(board, links, self.app.today):
                    add(figures, "\n ")
                    if f.rag is not None:
                        figures.append_text(rag_word(f.rag))
                        add(figures, " ")
                    add(figures, f"{f.label}: {f.figures}")
            self.query_one("#linked", Static).update(figures)
        self.query_one("#captured", Static).update(self.captured_text(item))

    def captured_text(self, item) -> Text:
        board = self.app.board
        text = lit_text("Recorded on this item", style="bold")
        notes = notes_store.of_meeting(board, self.meeting_id, item["id"])
        decisions = decisions_store.of_meeting(board, self.meeting_id, item["id"])
        actions = actions_store.for_meeting(board, self.meeting_id, item["id"])
        declared = attendance_store.declarations(board, self.meeting_id, item["id"])
        if not (notes or decisions or actions or declared):
            add(text, "\n nothing yet: a action · d decision · m minute note · i declaration")
        for d in declared:
            add(text, f"\n Interest: {d['member_name']} — {d['interest'] or '—'} ({d['handling'] or 'noted'})")
        for n in notes:
            add(text, f"\n Note: {n['text']}")
        for d in decisions:
            outcome = f" ({d['outcome']})" if d["outcome"] else ""
            add(text, f"\n Decision {d['ref']}{outcome}: {d['resolution']}")
        for a in actions:
            add(text, f"\n Action {a['ref']}: {a['text']} — {a['owner']} — due {display_date(a['due'])}")
        m = self.meeting
        if m is not None and is_action_log(item["kind"], item["title"]):
            # In public session the screen may be on the wall: Part 2 actions wait for the closed session.
            public = item["part"] != 2
            carried = actions_store.carried_forward(board, m["body_id"], m["date"], public_only=public, limit=200)
            add(text, "\n\n")
            add(text, f"Action log: open actions carried forward ({len(carried)})", style="bold")
            for a in carried:
                add(text, "\n" + action_line(a, self.app.today))
            if public:
                hidden = actions_store.count_carried_forward(board, m["body_id"], m["date"], part2_only=True)
                if hidden:
                    add(text, f"\n  ({hidden} Part 2 action(s) are reviewed in closed session)")
        return text

    def tick(self) -> None:
        if self.state is not None and self.state.running and self.item is not None:
            self.render_clock()

    # ---- keys --------------------------------------------------------------------------------------------------

    def action_step(self, step: int) -> None:
        if not self.items:
            return
        target = self.index + step
        if not 0 <= target < len(self.items):
            self.notify("That is the last item." if step > 0 else "That is the first item.", markup=False)
            return
        new_id = self.items[target]["id"]
        board = self.app.board
        if not board.read_only:
            try:
                runner_store.go_to(board, self.meeting_id, new_id, self.now())
            except BoardError as exc:
                self.notify(f"Not moved: {exc}", severity="error", markup=False)
                return
        # On a read-only board the chair can still step through; the position is just not saved.
        self.current_id = new_id
        self.load()

    def action_clock(self) -> None:
        if self.item is None:
            return
        board = self.app.board
        if self.state.item_id != self.current_id and not board.read_only:
            self.attempt(runner_store.go_to, board, self.meeting_id, self.current_id, self.now())
        self.attempt(runner_store.toggle_clock, board, self.meeting_id, self.now())
        self.load()

    def _item_context(self) -> str:
        item = self.item
        part = " (Part 2: confidential)" if item["part"] == 2 else ""
        return f"On item {item['number']}: {item['title']}{part}"

    def _after_record(self, what: str):
        def done(result) -> None:
            if result:
                self.notify(f"{what} saved.", markup=False)
            self.load()
        return done

    def action_record_action(self) -> None:
        item = self.item
        if item is not None:
            self.app.push_screen(new_action(self.app.board, meeting_id=self.meeting_id, item_id=item["id"],
                                            body_id=self.meeting["body_id"], context=self._item_context()),
                                 self._after_record("Action"))

    def action_record_decision(self) -> None:
        item = self.item
        if item is not None:
            self.app.push_screen(new_decision(self.app.board, self.meeting_id, item["id"], self._item_context()),
                                 self._after_record("Decision"))

    def action_record_note(self) -> None:
        item = self.item
        if item is not None:
            self.app.push_screen(new_note(self.app.board, self.meeting_id, item["id"], self._item_context()),
                                 self._after_record("Note"))

    def action_attendance(self) -> None:
        self.app.push_screen(AttendanceScreen(self.app.board, self.meeting_id), lambda _: self.load())

    def action_declarations(self) -> None:
        item = self.item
        if item is not None:
            self.app.push_screen(DeclarationsScreen(self.app.board, self.meeting_id, item), lambda _: self.load())

    def action_end(self) -> None:
        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                runner_store.end_meeting(self.app.board, self.meeting_id, self.now())
            except BoardError as exc:
                self.notify(f"Not ended: {exc}", severity="error", markup=False)
                return
            self.load()
            self._write_minutes("The meeting has ended: write the minutes now? (escape: later, with w)")

        self.app.push_screen(ConfirmScreen(
            "End the meeting", "Stop the clock and mark the meeting held? Everything recorded stays; you can "
            "come back to it.", yes="end the meeting", no="carry on"), answer)

    def action_minutes(self) -> None:
        self._write_minutes("Write the minutes")

    def _write_minutes(self, title: str) -> None:
        m = meetings_store.get(self.app.board, self.meeting_id)

        def written(path) -> None:
            if path and path is not True:
                self.notify(f"Minutes written to {path}", markup=False)

        self.app.push_screen(minutes_form(self.app.board, m, title=title), written)
