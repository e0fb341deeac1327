"""When each survey wave is open for a learner of a cohort.

- Baseline: from joining until the cohort's last day.
- Endline: once the learner has done every required lesson of the cohort's courses (or the
  cohort has ended), until ENDLINE_GRACE_DAYS after the last day.
- Follow-up: FOLLOWUP_AFTER_DAYS after the last day, for FOLLOWUP_OPEN_DAYS.

A learner may change a sent response until its wave closes.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from .models import Wave

ENDLINE_GRACE_DAYS = 30
FOLLOWUP_AFTER_DAYS = 90
FOLLOWUP_OPEN_DAYS = 60


@dataclass(frozen=True)
class Window:
    opens: date | None  # None: open from joining
    closes: date  # last day on which answers are accepted


def _after(day: date, days: int) -> date:
    """day + days, held at date.max (a cohort saved with an absurd end date breaks no page)."""
    if day > date.max - timedelta(days=days):
        return date.max
    return day + timedelta(days=days)


def window(cohort, wave: str) -> Window:
    if wave == Wave.BASELINE:
        return Window(None, cohort.end_date)
    if wave == Wave.ENDLINE:
        return Window(None, _after(cohort.end_date, ENDLINE_GRACE_DAYS))
    start = _after(cohort.end_date, FOLLOWUP_AFTER_DAYS)
    return Window(start, _after(start, FOLLOWUP_OPEN_DAYS))


def is_open(cohort, wave: str, *, today: date, finished_lessons: bool) -> bool:
    """finished_lessons: every required lesson of the cohort's courses is done."""
    w = window(cohort, wave)
    if today > w.closes:
        return False
    if wave == Wave.ENDLINE:
        return finished_lessons or today > cohort.end_date
    return w.opens is None or today >= w.opens
