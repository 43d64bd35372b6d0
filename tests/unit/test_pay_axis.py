"""The pay charts' shared axis: round ticks around the figures, never from $0."""
from types import SimpleNamespace

from jobboard.insights.charts import pay_axis


def group(p25, p75, enough=True):
    return SimpleNamespace(pay=SimpleNamespace(p25=p25, p75=p75, enough=enough))


def test_one_axis_for_every_chart_of_a_page_with_round_ticks():
    by_mode = [group(61_200, 74_800), group(58_000, 69_500)]
    by_credential = [group(64_000, 81_300), group(1, 999_999, enough=False)]  # no figure
    axis = pay_axis(by_mode, by_credential)
    assert (axis.low, axis.high) == (55_000, 85_000)
    assert axis.ticks == (55_000, 60_000, 65_000, 70_000, 75_000, 80_000, 85_000)
    assert [axis.label(t) for t in axis.ticks[:2]] == ["$55k", "$60k"]
    assert axis.x(55_000, 10, 300) == 10 and axis.x(85_000, 10, 300) == 310


def test_a_wide_spread_takes_bigger_steps_and_no_figures_no_axis():
    axis = pay_axis([group(32_000, 118_000)])
    assert axis.ticks == (20_000, 40_000, 60_000, 80_000, 100_000, 120_000)
    assert pay_axis([group(1, 2, enough=False)]) is None
    narrow = pay_axis([group(60_000, 60_000)])
    assert narrow.low <= 60_000 < narrow.high and len(narrow.ticks) >= 2
