"""The HTML report's trend chart, laid out in Python: an inline SVG needs no script or library."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 180, 40, 30, 10


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    label: str
    open: int
    new: int
    fixed: int
    unknown: int
    complete: bool


def trend_chart(rows: list[Any]) -> dict[str, Any] | None:
    """Points of the open-findings line, one per recorded scan (the latest last)."""
    if not rows:
        return None
    top = max(max(row.open for row in rows), 1)
    span = WIDTH - LEFT - 20
    step = span / max(len(rows) - 1, 1)
    plot = HEIGHT - BOTTOM - TOP
    points = [
        TrendPoint(
            x=round(LEFT + index * step, 1),
            y=round(TOP + plot - plot * row.open / top, 1),
            label=str(row.finished_at)[:10],
            open=row.open,
            new=row.new,
            fixed=row.fixed,
            unknown=row.unknown,
            complete=row.complete,
        )
        for index, row in enumerate(rows)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "top": top,
        "baseline": HEIGHT - BOTTOM,
        "points": points,
        "polyline": " ".join(f"{p.x},{p.y}" for p in points),
    }
