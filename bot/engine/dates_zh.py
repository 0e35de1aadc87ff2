"""Find the dates a Chinese text names: 2024年4月, 4月3号, 明年一月, 下个月.

dateparser reads "2024年4月" as the year 2 and "4月" as July, so the few forms
candidates use (年, 月, 日/号, 下个月, 明年) are matched here directly.
"""

from __future__ import annotations

import datetime as dt
import re

_ZH_NUMERALS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_ZH_NUMBER = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
# Typeset Chinese puts spaces around Arabic numerals ("2027 年 1 月 11 日"): they may stand between the parts.
_ZH_DATE = re.compile(
    rf"(?:(\d{{4}})\s?年\s?|(明年|今年|去年))?{_ZH_NUMBER}\s?月份?(?:\s?{_ZH_NUMBER}\s?[日号])?|(下个?月|上个?月|这个月|本月)"
)

_YEAR_FIRST = re.compile(r"(?<!\d)(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)")


def _zh_number(text: str) -> int:
    return int(text) if text.isdigit() else _ZH_NUMERALS[text]


def _add_months(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + date.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def chinese_dates(text: str, today: dt.date) -> list[tuple[str, dt.date, bool, bool]]:
    """Return each Chinese date in a text: what was said, the date, and whether a year and a day were given."""
    mentions: list[tuple[str, dt.date, bool, bool]] = []
    for match in _ZH_DATE.finditer(text):
        year, relative_year, month, day, relative_month = match.groups()
        if relative_month:
            offset = 1 if relative_month.startswith("下") else -1 if relative_month.startswith("上") else 0
            mentions.append((match.group(), _add_months(today.replace(day=1), offset), True, False))
            continue
        number = _zh_number(month)
        if not 1 <= number <= 12:
            continue
        shift = {"明年": 1, "今年": 0, "去年": -1}.get(relative_year or "")
        when_year = int(year) if year else today.year + (shift or 0)
        day_number = _zh_number(day) if day else 1
        try:
            date = dt.date(when_year, number, day_number)
        except ValueError:
            continue
        mentions.append((match.group(), date, bool(year or relative_year), bool(day)))
    for match in _YEAR_FIRST.finditer(text):  # "2024/1/15", "2024-01-15": year first, in any language
        try:
            date = dt.date(*(int(n) for n in match.groups()))
        except ValueError:
            continue
        mentions.append((match.group(), date, True, True))
    return mentions
