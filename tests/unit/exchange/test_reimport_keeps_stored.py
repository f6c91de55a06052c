"""Re-importing a file that lacks a column leaves that field as stored (it never reopens closed actions)."""

from boardtui.exchange.canonical import import_file


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_actions_without_a_status_column_keep_their_status(demo_board, tmp_path):
    before = demo_board.one("SELECT status, latest_update FROM actions WHERE ref = 'HWB-01'")
    assert before["status"] == "closed"
    f = _write(tmp_path / "a.csv", "ref,text,owner,due\nHWB-01,Email draft STP to members,STP Programme Director,2016-10-07\n")
    import_file(demo_board, "actions", f)
    after = demo_board.one("SELECT status, latest_update FROM actions WHERE ref = 'HWB-01'")
    assert after["status"] == "closed"
    assert after["latest_update"] == before["latest_update"]


def test_a_given_blank_status_still_means_open(demo_board, tmp_path):
    f = _write(tmp_path / "a.csv", "ref,text,owner,due,status\nHWB-01,Email draft STP,STP Programme Director,2016-10-07,\n")
    import_file(demo_board, "actions", f)
    assert demo_board.scalar("SELECT status FROM actions WHERE ref = 'HWB-01'") == "open"


def test_milestones_without_forecast_or_dependencies_keep_them(demo_board, tmp_path):
    m = demo_board.one("SELECT id, forecast FROM milestones WHERE ref = 'W06'")
    deps = demo_board.scalar("SELECT count(*) FROM milestone_deps WHERE milestone_id = :m", {"m": m["id"]})
    assert m["forecast"] and deps
    f = _write(tmp_path / "m.csv", "ref,title,baseline\nW06,Programme-area budgets recommended,2016-09-30\n")
    import_file(demo_board, "milestones", f)
    assert demo_board.scalar("SELECT forecast FROM milestones WHERE ref = 'W06'") == m["forecast"]
    assert demo_board.scalar("SELECT count(*) FROM milestone_deps WHERE milestone_id = :m", {"m": m["id"]}) == deps
