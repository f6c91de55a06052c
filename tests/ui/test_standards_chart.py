"""The text line chart and the sparkline: pure drawing, checked character by character."""

from __future__ import annotations

from boardtui.ui.widgets.linechart import LineChart, Series, grid_text, plot
from boardtui.ui.widgets.sparkline import sparkline


def test_sparkline_scales_and_leaves_gaps():
    assert sparkline([1, 2, None, 8]) == "▁▂ █"
    assert sparkline([92, 92, 92]) == "▄▄▄"  # steady reads as steady
    assert sparkline([None, None]) == "  "
    assert sparkline([]) == ""
    assert sparkline([0, 150], lo=0, hi=100) == "▁█"  # clamped to the given range


def test_chart_has_legend_threshold_markers_and_labels():
    rows = grid_text(plot(
        [Series("Actual", [90.0, 92.0, None, 94.0], "●"), Series("Trajectory", [91.0, 91.0, 91.0, 91.0], "○")],
        ["Jan", "Feb", "Mar", "Apr"], 95, width=60, height=12, threshold_label="Standard ≥ 95%",
    ))
    assert rows[0] == "● Actual   ○ Trajectory   ── Standard ≥ 95%"
    threshold_row = next(r for r in rows if r.lstrip().startswith("95 ┤"))
    assert threshold_row.count("─") > 40
    body = "\n".join(rows[1:-2])
    assert body.count("●") == 3 and body.count("○") == 4  # None leaves a gap, not a marker
    assert rows[-1].split() == ["Jan", "Feb", "Mar", "Apr"]
    assert rows[-2].strip().startswith("└")


def test_a_gap_is_not_joined_up():
    rows = grid_text(plot([Series("A", [1.0, None, 1.0], "x")], ["a", "b", "c"], None, width=40, height=7))
    line = next(r for r in rows[1:-2] if "x" in r)
    assert "·" not in line  # the two points either side of the gap are not joined


def test_markers_order_and_values_map_to_rows():
    rows = grid_text(plot([Series("Up", [0.0, 10.0], "u")], ["start", "end"], None, width=30, height=8))
    plot_rows = rows[1:-2]
    top = next(i for i, r in enumerate(plot_rows) if "u" in r)
    bottom = max(i for i, r in enumerate(plot_rows) if "u" in r)
    assert top < bottom  # 10 is drawn above 0
    assert plot_rows[top].rstrip().endswith("u") and plot_rows[bottom].split("┤")[-1].lstrip().startswith("u")


def test_custom_number_format_for_money():
    rows = grid_text(plot([Series("Plan", [100.0, 400.0], "P")], ["M1", "M2"], None, width=40, height=8,
                          y_format=lambda v: f"£{v:,.0f}k"))
    assert any(r.lstrip().startswith("£400k ┤") for r in rows)
    assert any(r.lstrip().startswith("£100k ┤P") for r in rows)


def test_empty_and_tiny_charts_do_not_fail():
    assert len(plot([], [], None, width=5, height=2)) == 5
    assert grid_text(plot([Series("x", [3.0], "x")], ["only"], 3, width=20, height=6))[-1].strip() == "only"


async def test_the_widget_renders_at_its_size():
    from textual.app import App

    class ChartApp(App):
        def compose(self):
            yield LineChart([Series("A", [1.0, 2.0], "●")], ["a", "b"], 1.5, threshold_label="Line")

    app = ChartApp()
    async with app.run_test(size=(50, 14)) as pilot:
        chart = app.query_one(LineChart)
        text = chart.render().plain.splitlines()
        assert text[0].startswith("● A") and "── Line" in text[0]
        chart.set_data([Series("B", [5.0], "○")], ["z"])
        await pilot.pause()
        assert chart.render().plain.splitlines()[0].startswith("○ B")
