"""Schedule intervals in hours: the worst-case time between two backups of one schedule.

Both DLM and AWS Backup write schedules as AWS cron expressions (six fields:
minutes, hours, day-of-month, month, day-of-week, year), DLM also as an
interval in hours, AWS Backup and EventBridge also as ``rate(...)``. The
interval of a cron schedule is the longest gap between two consecutive runs,
which is what data written just after a run risks losing. Expressions using
``L``, ``W`` or ``#``, or a fixed year, are not recurring in a way we can bound
here and give ``None`` (not derivable), never a guess.

- https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html
- https://docs.aws.amazon.com/AmazonCloudWatch/latest/events/ScheduledEvents.html
- https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html
"""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}
_DAYS = {
    d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 1)
}  # AWS: 1 = Sunday
_RATE = re.compile(r"rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)", re.IGNORECASE)
_CRON = re.compile(r"cron\((.*)\)", re.IGNORECASE)
_HOURS_PER_UNIT = {"minute": 1 / 60, "hour": 1.0, "day": 24.0}
_WINDOW_START = date(2027, 1, 1)  # any date; the window spans leap years' February too
_WINDOW_DAYS = 366 * 4 + 1


def dlm_interval_hours(create_rule: dict[str, Any] | None) -> float | None:
    """A DLM schedule's ``CreateRule``: ``Interval`` in ``HOURS``, or its cron expression."""
    if not create_rule:
        return None
    if create_rule.get("cron_expression"):
        return expression_interval_hours(create_rule["cron_expression"])
    interval, unit = create_rule.get("interval"), (create_rule.get("interval_unit") or "HOURS")
    if isinstance(interval, int | float) and interval > 0 and unit.upper() == "HOURS":
        return float(interval)
    return None


def expression_interval_hours(expression: str | None) -> float | None:
    """``cron(...)`` or ``rate(...)``; None when not derivable."""
    if not expression:
        return None
    text = expression.strip()
    rate = _RATE.fullmatch(text)
    if rate:
        amount = int(rate.group(1))
        unit = rate.group(2).lower().rstrip("s")
        return amount * _HOURS_PER_UNIT[unit] if amount > 0 else None
    cron = _CRON.fullmatch(text)
    return _cron_interval_hours(cron.group(1).strip()) if cron else None


@lru_cache(maxsize=1024)
def _cron_interval_hours(fields_text: str) -> float | None:
    fields = fields_text.split()
    if len(fields) != 6 or any(ch in fields_text.upper() for ch in "LW#"):
        return None
    minutes_f, hours_f, dom_f, month_f, dow_f, year_f = fields
    if year_f not in ("*", "?"):
        return None
    minutes = _values(minutes_f, 0, 59)
    hours = _values(hours_f, 0, 23)
    days_of_month = _values(dom_f, 1, 31)
    months = _values(month_f, 1, 12, _MONTHS)
    days_of_week = _values(dow_f, 1, 7, _DAYS)
    if not all((minutes, hours, days_of_month, months, days_of_week)):
        return None
    times = sorted(h * 60 + m for h in hours for m in minutes)
    longest_in_day = max((b - a for a, b in itertools.pairwise(times)), default=0)
    matching = [
        offset
        for offset in range(_WINDOW_DAYS)
        if _day_matches(_WINDOW_START + timedelta(days=offset), days_of_month, months, days_of_week)
    ]
    if not matching or (len(matching) == 1 and len(times) == 1):
        return None
    between_days = max(
        ((b - a) * 1440 - times[-1] + times[0] for a, b in itertools.pairwise(matching)),
        default=0,
    )
    return max(longest_in_day, between_days) / 60


def _day_matches(
    day: date, dom: frozenset[int], months: frozenset[int], dow: frozenset[int]
) -> bool:
    weekday = (day.isoweekday() % 7) + 1  # Sunday -> 1
    return day.day in dom and day.month in months and weekday in dow


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    """The values one cron field allows: ``*``, ``?``, lists, ranges, ``/`` steps, names."""
    found: set[int] = set()
    for part in field.upper().split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) < 1:
                return frozenset()
            step = int(step_text)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = _number(first, names), _number(last, names)
        else:
            start = _number(part, names)
            end = high if step > 1 else start
        if start is None or end is None or not (low <= start <= high and low <= end <= high):
            return frozenset()
        found.update(range(start, end + 1, step))
    return frozenset(found)


def _number(text: str, names: dict[str, int] | None) -> int | None:
    if text.isdigit():
        return int(text)
    return (names or {}).get(text)
