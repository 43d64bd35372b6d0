"""The pay charts' axis: one for every chart of a page, from round figures.

A bar that starts at $0 squeezes every range into the right third of the chart, and an axis
per chart makes two charts of the same page impossible to compare. So a page's charts share
one axis, from just below the lowest 25th percentile to just above the highest 75th, in
steps of a round amount ($5k, $10k, ...) that give at most six intervals."""
import math
from dataclasses import dataclass

STEPS = (1_000, 2_000, 2_500, 5_000, 10_000, 20_000, 25_000, 50_000, 100_000)
MAX_INTERVALS = 6


@dataclass(frozen=True)
class Axis:
    low: int
    high: int
    ticks: tuple[int, ...]

    def x(self, value: float, left: float, width: float) -> float:
        """Where a figure falls on a chart drawn from `left`, `width` wide."""
        return left + width * (value - self.low) / (self.high - self.low)

    @staticmethod
    def label(value: int) -> str:
        thousands = value / 1000
        return f"${thousands:g}k"


def pay_axis(*group_lists) -> Axis | None:
    """The shared axis of these lists of groups (only those with a figure count); None when
    no group has one."""
    values = [v for groups in group_lists for g in groups if g.pay.enough
              for v in (g.pay.p25, g.pay.p75)]
    if not values:
        return None
    lo, hi = min(values), max(values)
    for step in STEPS:
        low, high = math.floor(lo / step) * step, math.ceil(hi / step) * step
        if high == low:
            high += step
        if (high - low) / step <= MAX_INTERVALS:
            break
    return Axis(low, high, tuple(range(low, high + 1, step)))
