"""Temporal expressions, normalised to TIMEX3 values relative to the document date.

``find_dates(doc, published)`` reads the one spaCy parse of an article and returns every
temporal expression as a ``model.DateMention``: its span, TIMEX3 value and type (DATE,
TIME, DURATION, SET), and, when the year cannot be known, the earliest value the text
supports.

How it works, and why:

* **Candidates** come from a small grammar of regular expressions over the document text
  (dates, deictic and anaphoric phrases, offsets, durations, sets, times, *_REF words),
  plus spaCy's DATE/TIME entities that the grammar did not cover. spaCy alone splits
  "Thursday, May 7, 2015" into three entities, misses "now" and "recently", and calls
  ages ("a 14-year-old") dates; the grammar fixes the first two, and ages are dropped
  (they describe a person, not when something happened).
* **Values** come from rules: the arithmetic of "two months ago" or "last week" is a line
  of code, and a rule keeps the granularity TIMEX3 asks for (``2023-10``, ``2023-W50``),
  which dateparser's datetimes lose. dateparser (``languages=['en']``, the document date
  as its relative base) normalises what is left: spaCy entities in formats the grammar
  does not know ("19/12/2023", "Dec. 19th"). It is called only on those spans and
  cached, so it costs nothing on most articles; its slow language detection never runs.
* **Ambiguity**: a day and month without a year ("December 19") and a bare weekday are
  resolved around the document date with the tense of the verb they attach to: past
  tense picks the latest such day on or before the document date, future the next.
  Anaphoric phrases ("the day before", "two days later", "the year before") count from
  the last date the text mentioned at that granularity, else the document date.
* **No document date**: nothing relative can be computed, so values keep ``X``
  placeholders at their granularity (``XXXX-12-19``, ``XXXX-XX`` for "two months ago"),
  never an invented year. What the text does support is a lower bound: it speaks of the
  latest year it names in the past tense ("manufactured in 2021") as past, so it was
  written no earlier than that year, and the undated days, months and offsets it speaks
  of belong to the time of writing (or, in a news text, the months around it). Each
  year-unknown mention gets ``earliest`` = that year. This is a plausibility bound for
  news, not a proof: a text written on 2 January could call 19 December "last month's"
  meeting of the previous year.

``time_frame(dates)`` turns a list of mentions into year-level bounds for the headline
check (a headline about 2016 over a body whose events are no earlier than 2021).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LENGTH, LOWER
from spacy.tokens import Doc, Token

from ..model import DateMention, Span

# --------------------------------------------------------------------------- vocabulary

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}  # WI: December of its year to February
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a couple of": 2,
    "couple of": 2, "a dozen": 12, "dozen": 12,
}
VAGUE_NUMBERS = {"few", "a few", "several", "many", "some", "a number of", "numerous", "countless"}
# unit -> (TIMEX3 duration letter, multiplier, is a time unit); decades and centuries are counted in years
UNITS = {
    "second": ("S", 1, True), "minute": ("M", 1, True), "hour": ("H", 1, True),
    "day": ("D", 1, False), "night": ("D", 1, False), "week": ("W", 1, False), "fortnight": ("W", 2, False),
    "month": ("M", 1, False), "quarter": ("M", 3, False), "year": ("Y", 1, False),
    "decade": ("Y", 10, False), "century": ("Y", 100, False), "millennium": ("Y", 1000, False),
}
DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                "eighties": 8, "nineties": 9}
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                 "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                 "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                 "nineteenth": 19, "twentieth": 20, "twenty-first": 21}
# words after which a bare year or month name is a date ("in 2021", "since May"), not a count or a verb
TEMPORAL_PREPOSITIONS = {
    "in", "since", "until", "till", "by", "from", "to", "of", "during", "before", "after", "between", "and",
    "early", "late", "mid", "around", "circa", "c.", "through", "throughout", "year", "the", "last", "next",
    "this", "every", "each", "for", "on", "as", "or", "fiscal", "spring", "summer", "autumn", "fall", "winter",
}
# hedges kept out of the span: the value is that of the core expression ("nearly two decades" -> P20Y)
MODIFIERS = re.compile(
    r"(?:(?:just|only|nearly|almost|about|around|roughly|approximately|some|over|under|more than|less than|"
    r"fewer than|at least|at most|up to|barely|well over|just over|just under|between|within|another|"
    r"an additional|the entire|the whole|all)\s+)+", re.IGNORECASE)

# --------------------------------------------------------------------------- the grammar

_M = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
      r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_WD = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_D = r"(?P<day>[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_Y = r"(?P<year>1[0-9]{3}|20[0-9]{2}|21[0-9]{2})"
_NUM = (r"(?P<num>\d+(?:\.\d+)?|a couple of|couple of|a dozen|a few|a number of|several|few|many|some|numerous|"
        r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|"
        r"eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
        r"fifteen|sixteen|seventeen|eighteen|nineteen|hundred|dozen|an|a)")
_UNIT = r"(?P<unit>second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|centur(?:y|ie)|millenni(?:um|a))"
_SEASON = r"(?P<season>spring|summer|autumn|fall|winter)"
_POD = r"(?P<pod>morning|afternoon|evening|night)"
_EDGE = r"(?:(?:earlier|later|early|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)\s+|mid-\s*)?"
_CLOCK = (r"(?P<hour>[01]?[0-9]|2[0-3])(?:[:.](?P<minute>[0-5][0-9]))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b)|"
          r"(?P<hour24>[01]?[0-9]|2[0-3]):(?P<minute24>[0-5][0-9])(?:\s*(?:GMT|UTC|[A-Z]{2,3}T)\b)?")


@dataclass
class _Context:
    """What a rule needs to resolve a match: the document date, the last dates mentioned, the tense."""

    dct: date | None
    tense: Callable[[int, int], str | None]
    day: date | None = None  # last day mentioned (or the document date)
    month: tuple[int, int] | None = None
    year: int | None = None


Rule = tuple[re.Pattern[str], Callable[[re.Match[str], _Context, int], tuple[str, str] | None]]


def _number(word: str) -> float | None:
    """A count as a number; None for vague counts ("several"), which TIMEX3 writes as X."""
    word = word.lower().replace("-", " ").strip()
    if word in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    if word in SMALL_NUMBERS:
        return float(SMALL_NUMBERS[word])
    parts = word.split()
    if len(parts) == 2 and parts[0] in SMALL_NUMBERS and parts[1] in SMALL_NUMBERS:
        return float(SMALL_NUMBERS[parts[0]] + SMALL_NUMBERS[parts[1]])
    return None


def _unit(word: str) -> str:
    word = word.lower()
    if word.startswith("centur"):
        return "century"
    if word.startswith("millenni"):
        return "millennium"
    return word.rstrip("s") if word != "days" else "day"


def _fmt_number(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def duration(n: float | None, unit: str) -> str:
    """TIMEX3 duration: P2M, PT3H, P20Y (decades in years), PXY when the count is vague."""
    letter, times, is_time = UNITS[unit]
    count = "X" if n is None else _fmt_number(n * times)
    return f"P{'T' if is_time else ''}{count}{letter}"


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, 28))


def _week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def at_granularity(d: date, unit: str) -> str:
    """The TIMEX3 value of the period of ``unit`` containing ``d`` (2023-12-19, 2023-W51, 2023-12, 2023)."""
    if unit in ("second", "minute", "hour", "day", "night"):
        return d.isoformat()
    if unit in ("week", "fortnight"):
        return _week(d)
    if unit == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if unit == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if unit == "decade":
        return f"{d.year // 10:03d}"
    if unit == "century":
        return f"{d.year // 100:02d}"
    return f"{d.year:04d}"


def unknown_at_granularity(unit: str) -> str:
    """The same shape with the unknown parts as X: what a relative expression is worth without a date."""
    return {"week": "XXXX-WXX", "fortnight": "XXXX-WXX", "month": "XXXX-XX", "quarter": "XXXX-QX",
            "year": "XXXX", "decade": "XXX", "century": "XX", "millennium": "X"}.get(unit, "XXXX-XX-XX")


def shift(d: date, n: int, unit: str) -> date:
    """``d`` moved by ``n`` units (negative: into the past)."""
    letter, times, is_time = UNITS[unit]
    if is_time:
        hours = n * times * {"S": 1 / 3600, "M": 1 / 60, "H": 1}[letter]
        return d + timedelta(days=int(hours // 24) if hours >= 0 else -int(-hours // 24))
    if letter == "D":
        return d + timedelta(days=n * times)
    if letter == "W":
        return d + timedelta(weeks=n * times)
    if letter == "M":
        return _add_months(d, n * times)
    return _add_months(d, 12 * n * times)


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _nearest_year(month: int, day: int, dct: date, tense: str | None) -> date:
    """The year of an undated day and month: nearest to the document date, on the side the tense points to."""
    options = []
    for year in (dct.year - 1, dct.year, dct.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:  # 29 February
            continue
    if tense == "past":
        options = [d for d in options if d <= dct + timedelta(days=1)] or options
    elif tense == "future":
        options = [d for d in options if d >= dct - timedelta(days=1)] or options
    return min(options, key=lambda d: abs((d - dct).days))


def _weekday_near(weekday: int, dct: date, direction: str) -> date:
    """The given weekday on or before (``past``) or on or after (``future``) the document date."""
    if direction == "future":
        return dct + timedelta(days=(weekday - dct.weekday()) % 7)
    return dct - timedelta(days=(dct.weekday() - weekday) % 7)


def _season_value(code: str, year: int) -> str:
    return f"{year:04d}-{code}"


def _season_of(d: date) -> tuple[str, int]:
    """The season a day falls in, with the year TIMEX3 gives it (winter: the year of its December)."""
    if d.month in (12, 1, 2):
        return "WI", d.year if d.month == 12 else d.year - 1
    return next((c for c, (a, b) in SEASON_MONTHS.items() if a <= d.month <= b)), d.year


def _season_span(code: str, year: int) -> tuple[date, date]:
    """First and last day of a season (winter runs from December of ``year`` into February)."""
    first, last = SEASON_MONTHS[code]
    if code == "WI":
        return date(year, 12, 1), date(year + 1, 3, 1) - timedelta(days=1)
    return date(year, first, 1), _add_months(date(year, last, 1), 1) - timedelta(days=1)


def _season_shift(code: str, dct: date, which: str) -> str:
    """this/last/next summer: the nearest occurrence, the latest one over, or the next one to begin."""
    years = range(dct.year - 2, dct.year + 2)
    if which in ("last", "past", "previous"):
        year = max(y for y in years if _season_span(code, y)[1] < dct)
    elif which in ("next", "coming"):
        year = min(y for y in years if _season_span(code, y)[0] > dct)
    else:
        def distance(y: int) -> int:
            first, last = _season_span(code, y)
            return 0 if first <= dct <= last else min(abs((first - dct).days), abs((last - dct).days))
        year = min(years, key=distance)
    return _season_value(code, year)


def _tense_direction(tense: str | None) -> str:
    """Which way an undated weekday points: past and undetermined tenses look back (news reports the past)."""
    return "future" if tense in ("future", "present", "future-in-past") else "past"


def _reported_from(ctx: _Context) -> date:
    """Where a future seen from the past counts from ("said on Friday the talks would resume
    on Monday": the Monday after that Friday): the last day the text mentioned, when it is
    in the week before the document date, else the document date."""
    if ctx.day is not None and ctx.dct - timedelta(days=7) <= ctx.day <= ctx.dct:
        return ctx.day
    return ctx.dct


def _time_of_day(m: re.Match[str]) -> str:
    if m.group("hour24") is not None:
        return f"T{int(m.group('hour24')):02d}:{m.group('minute24')}"
    hour = int(m.group("hour")) % 12
    if m.group("ampm").lower().startswith("p"):
        hour += 12
    return f"T{hour:02d}:{m.group('minute') or '00'}"


# --------------------------------------------------------------------------- rules: match -> (value, kind)


def _r_full_date(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """"Friday, July 21, 2017", "19 December 2023", "December 19" (year from the document date or X)."""
    month, day = _month(m.group("month")), int(m.group("day"))
    if m.group("year"):
        try:
            return date(int(m.group("year")), month, day).isoformat(), "DATE"
        except ValueError:
            return None
    if ctx.dct is None:
        return (f"XXXX-{month:02d}-{day:02d}", "DATE") if 1 <= day <= 31 else None
    try:
        return _nearest_year(month, day, ctx.dct, ctx.tense(start, m.end())).isoformat(), "DATE"
    except ValueError:
        return None


def _r_month_year(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str]:
    return f"{int(m.group('year')):04d}-{_month(m.group('month')):02d}", "DATE"


def _r_iso(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    try:
        return date(int(m.group("year")), int(m.group("mm")), int(m.group("dd"))).isoformat(), "DATE"
    except ValueError:
        return None


def _r_month(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """A month name alone ("in March"): the nearest such month, on the side the tense points to."""
    month = _month(m.group("month"))
    if ctx.dct is None:
        return f"XXXX-{month:02d}", "DATE"
    return f"{_nearest_year(month, 15, ctx.dct, ctx.tense(start, m.end())).year:04d}-{month:02d}", "DATE"


def _r_year(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str]:
    return m.group("year"), "DATE"


def _r_decade(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """"the 1960s" -> 196; "the '60s" and "the sixties" -> 196 (the twentieth century assumed)."""
    if m.group("decade4"):
        return m.group("decade4")[:3], "DATE"
    if m.group("decade2"):
        return "19" + m.group("decade2")[0], "DATE"
    return f"19{DECADE_WORDS[m.group('decadeword').lower()]}", "DATE"


def _r_century(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    word = m.group("ordinal").lower()
    n = int(re.match(r"\d+", word).group()) if word[0].isdigit() else ORDINAL_WORDS.get(word)
    return (f"{n - 1:02d}", "DATE") if n else None


def _r_weekday(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """"Tuesday", "Thursday night", "last Friday", "next Monday"."""
    weekday = WEEKDAYS[m.group("weekday").lower()]
    which = (m.group("which") or "").lower()
    pod = PARTS_OF_DAY.get((m.group("pod") or "").lower())
    if ctx.dct is None:
        value = f"XXXX-WXX-{weekday + 1}"  # TIMEX3: that weekday of an unknown week (Monday = 1)
    else:
        if which == "last":
            d = _weekday_near(weekday, ctx.dct - timedelta(days=1), "past")
        elif which == "next":
            d = _weekday_near(weekday, ctx.dct + timedelta(days=1), "future")
        else:
            tense = ctx.tense(start, m.end())
            d = _weekday_near(weekday, _reported_from(ctx) if tense == "future-in-past" else ctx.dct,
                              _tense_direction(tense))
        value = d.isoformat()
    return (f"{value}T{pod}", "TIME") if pod else (value, "DATE")


def _r_deictic_day(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """yesterday, today, tomorrow, tonight, last night, this morning, the day before yesterday."""
    word = re.sub(r"\s+", " ", m.group("deixis").lower())
    offset = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "last night": -1, "this morning": 0,
              "this afternoon": 0, "this evening": 0, "the day before yesterday": -2,
              "the day after tomorrow": 2}[word]
    pod = PARTS_OF_DAY.get((m.group("pod") or "").lower())
    if word in ("tonight", "last night"):
        pod = "NI"
    elif word.startswith("this "):
        pod = PARTS_OF_DAY[word.split()[1]]
    value = "XXXX-XX-XX" if ctx.dct is None else (ctx.dct + timedelta(days=offset)).isoformat()
    return (f"{value}T{pod}", "TIME") if pod else (value, "DATE")


def _r_deictic_period(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """this/last/next week, month, year, weekend, decade, century; "earlier this year"; "this past week"."""
    which = re.sub(r"\s+", " ", m.group("which").lower())
    if which == "this past":
        which = "last"
    unit = _unit(m.group("unit"))
    if ctx.dct is None:
        return ("XXXX-WXX-WE" if unit == "weekend" else unknown_at_granularity(unit)), "DATE"
    if unit == "weekend":
        direction = {"last": "past", "past": "past", "next": "future", "coming": "future"}.get(
            which, _tense_direction(ctx.tense(start, m.end())))
        saturday = _weekday_near(5, ctx.dct - timedelta(days=1 if which in ("last", "past") else 0), direction)
        if which == "next":
            saturday = _weekday_near(5, ctx.dct + timedelta(days=1), "future")
        return f"{_week(saturday)}-WE", "DATE"
    step = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[which]
    if unit in ("second", "minute", "hour", "night", "day", "millennium"):
        return None
    if unit == "decade":
        return f"{ctx.dct.year // 10 + step:03d}", "DATE"
    if unit == "century":
        return f"{ctx.dct.year // 100 + step:02d}", "DATE"
    return at_granularity(shift(ctx.dct, step, unit), unit), "DATE"


def _r_deictic_named(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """this/last/next December, last summer."""
    which = m.group("which").lower()
    which = "last" if which == "this past" else which
    if m.group("season"):
        code = SEASONS[m.group("season").lower()]
        return (f"XXXX-{code}" if ctx.dct is None else _season_shift(code, ctx.dct, which)), "DATE"
    month = _month(m.group("month"))
    if ctx.dct is None:
        return f"XXXX-{month:02d}", "DATE"
    year = ctx.dct.year
    if which in ("last", "past", "previous"):
        year = year if month < ctx.dct.month else year - 1
    elif which in ("next", "coming"):
        year = year if month > ctx.dct.month else year + 1
    return f"{year:04d}-{month:02d}", "DATE"


def _r_season(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """"summer 2022", "the summer of 2022", "in the summer" (the nearest one, tense-wise)."""
    code = SEASONS[m.group("season").lower()]
    if m.group("year"):
        return _season_value(code, int(m.group("year"))), "DATE"
    if ctx.dct is None:
        return f"XXXX-{code}", "DATE"
    if _season_of(ctx.dct)[0] == code:
        return _season_shift(code, ctx.dct, "this"), "DATE"
    return _season_shift(code, ctx.dct, "last" if _tense_direction(ctx.tense(start, m.end())) == "past" else "next"), "DATE"


def _r_ago(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """"two months ago" -> 2023-10, "in two weeks' time", "three years from now"; vague counts -> PAST_REF."""
    unit = _unit(m.group("unit"))
    n = _number(m.group("num")) if m.group("num") else None
    future = m.group("dir").lower() != "ago"
    if n is None:
        return ("FUTURE_REF" if future else "PAST_REF"), "DATE"
    if ctx.dct is None:
        return unknown_at_granularity(unit), "DATE"
    d = shift(ctx.dct, int(n) if future else -int(n), unit)
    return at_granularity(d, "year" if unit in ("decade", "century", "millennium") else unit), "DATE"


def _anchor_for(unit: str, ctx: _Context) -> date | None:
    """The last date mentioned at a granularity fine enough for ``unit`` (else the document date)."""
    if unit in ("second", "minute", "hour", "day", "night", "week", "fortnight"):
        return ctx.day
    if unit in ("month", "quarter"):
        return date(ctx.month[0], ctx.month[1], 1) if ctx.month else None
    return date(ctx.year, 1, 1) if ctx.year else None


def _r_anaphoric(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """"the day before", "the following year", "two days later": counted from the last date mentioned."""
    unit = _unit(m.group("unit"))
    word = (m.groupdict().get("rel") or "").lower()
    if word in ("before", "earlier", "previous", "prior", "preceding"):
        step = -1
    elif word in ("after", "later", "next", "following", "afterwards", "afterward"):
        step = 1
    else:  # "the same day", "that year"
        step = 0
    n = _number(m.group("num")) if m.groupdict().get("num") else 1.0
    if n is None:
        return None
    anchor = _anchor_for(unit, ctx)
    if anchor is None:
        return unknown_at_granularity(unit), "DATE"
    granularity = "year" if unit in ("decade", "century", "millennium") else unit
    return at_granularity(shift(anchor, int(n) * step, unit), granularity), "TIME" if UNITS[unit][2] else "DATE"


def _r_duration(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """"four months", "the past 30 days", "a decade", "11-year", "half an hour", "several years"."""
    unit = _unit(m.group("unit"))
    if m.group("half"):
        n: float | None = 0.5
    else:
        n = _number(m.group("num")) if m.group("num") else 1.0
        if n is not None and (m.group("andhalf") or m.group("andhalf2")):
            n += 0.5
    if unit == "night":
        unit = "day"
    return duration(n, unit), "DURATION"


def _r_plural_duration(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str]:
    """"for years", "the past few days" without a count: a duration of unknown length (PXY)."""
    return duration(None, _unit(m.group("unit"))), "DURATION"


def _r_set(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """every Monday -> XXXX-WXX-1, every December -> XXXX-12, each year / annually -> P1Y, twice a week -> P1W."""
    g = m.groupdict()
    if g.get("weekday"):
        return f"XXXX-WXX-{WEEKDAYS[g['weekday'].lower().rstrip('s')] + 1}", "SET"
    if g.get("month"):
        return f"XXXX-{_month(g['month']):02d}", "SET"
    if g.get("season"):
        return f"XXXX-{SEASONS[g['season'].lower()]}", "SET"
    if g.get("adverb"):
        unit = {"daily": "day", "nightly": "day", "weekly": "week", "biweekly": "fortnight", "monthly": "month",
                "quarterly": "quarter", "annually": "year", "annual": "year", "yearly": "year",
                "hourly": "hour", "biannual": "year", "semiannual": "year"}[g["adverb"].lower()]
        n = 0.5 if g["adverb"].lower() in ("biannual", "semiannual") else 1.0
        return duration(n, unit), "SET"
    unit = _unit(g.get("unit") or g["unit2"])
    n = _number(g["num"]) if g.get("num") else (2.0 if g.get("other") else 1.0)
    return duration(n, "day" if unit == "night" else unit), "SET"


def _r_plural_weekday(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str]:
    return f"XXXX-WXX-{WEEKDAYS[m.group('weekday').lower()] + 1}", "SET"


def _r_time(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str]:
    """"2 p.m.", "15:11 GMT", "midnight": on the last day mentioned (else unknown)."""
    word = (m.group("named") or "").lower()
    clock = {"noon": "T12:00", "midday": "T12:00", "midnight": "T24:00"}.get(word) or _time_of_day(m)
    day = ctx.day.isoformat() if ctx.day else "XXXX-XX-XX"
    return day + clock, "TIME"


def _r_ref(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str]:
    word = m.group(0).lower()
    if re.match(r"now|currently|nowadays|at present|presently|the present|these days|at the moment|today's", word):
        return "PRESENT_REF", "DATE"
    if re.match(r"the future|the coming|the near future|the years to come", word):
        return "FUTURE_REF", "DATE"
    return "PAST_REF", "DATE"


def _r_edge_of(m: re.Match[str], ctx: _Context, start: int) -> tuple[str, str] | None:
    """"the end of the year", "year end", "the beginning of the month": in news, the document date's period."""
    unit = _unit(m.group("unit") or m.group("unit2"))
    return (unknown_at_granularity(unit) if ctx.dct is None else at_granularity(ctx.dct, unit)), "DATE"


def _c(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_COUNT = _NUM + r"[\s-]+"
RULES: list[Rule] = [
    (_c(rf"\b(?:{_WD},?\s+)?{_M}\s+{_D}(?:,?\s+{_Y})?\b"), _r_full_date),
    (_c(rf"\b(?:{_WD},?\s+)?(?:the\s+)?{_D}(?:\s+of)?\s+{_M}(?:,?\s+{_Y})?\b"), _r_full_date),
    (_c(rf"\b{_M},?\s+(?:of\s+)?{_Y}\b"), _r_month_year),
    (_c(rf"\b{_Y}-(?P<mm>0[1-9]|1[0-2])-(?P<dd>[0-3][0-9])\b"), _r_iso),
    (_c(rf"\b{_EDGE}{_M}(?!\.?\s*\d)"), _r_month),
    (_c(rf"\b{_EDGE}{_Y}\b(?![-\u2013\s]?(?:year|yr)s?\b)(?!\s*(?:%|per\s?cent))"), _r_year),
    (_c(r"\b(?:(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?P<decade4>1[0-9]{2}0|20[0-9]0)'?s"
        r"|(?:the\s+)?'(?P<decade2>[0-9]0)s|the\s+(?:early\s+|late\s+|mid-?)?(?P<decadeword>twenties|thirties|"
        r"forties|fifties|sixties|seventies|eighties|nineties))\b"), _r_decade),
    (_c(r"\b(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?P<ordinal>\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|"
        r"fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|"
        r"seventeenth|eighteenth|nineteenth|twentieth|twenty-first)[\s-]+century\b"), _r_century),
    (_c(rf"\b(?:(?P<which>last|next|this|this\s+past|coming)\s+)?{_WD}(?:\s+{_POD})?\b"), _r_weekday),
    (_c(rf"\b(?P<deixis>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|"
        rf"tonight|last\s+night|this\s+(?:morning|afternoon|evening))(?:\s+{_POD})?\b"), _r_deictic_day),
    (_c(rf"\b{_EDGE}(?P<which>this\s+past|this|last|next|past|coming|current)\s+(?P<unit>week|weekend|month|"
        r"quarter|year|decade|century)\b"), _r_deictic_period),
    (_c(rf"\b{_EDGE}(?P<which>this\s+past|this|last|next|coming)\s+(?:{_SEASON}|{_M})\b"), _r_deictic_named),
    (_c(r"\b(?P<which>the|that)\s+(?P<unit>weekend)\b"), _r_deictic_period),
    (_c(rf"\b(?:the\s+)?{_EDGE}{_SEASON}(?:\s+(?:of\s+)?{_Y})?\b"), _r_season),
    (_c(rf"\b(?:{_COUNT})?{_UNIT}s?\s+(?P<dir>ago|from\s+now|hence)\b"), _r_ago),
    (_c(rf"\b(?<=\bin\s)(?:{_COUNT})?{_UNIT}s?(?:'|'s)?\s+(?P<dir>time)\b"), _r_ago),
    (_c(r"\bthe\s+(?P<unit>day|week|month|year|decade)\s+(?P<rel>before|after|earlier|later|prior)"
        r"(?!\s+(?:the|a|an|his|her|their|its|this|that|he|she|they|it|we|I)\b)\b"), _r_anaphoric),
    (_c(r"\b(?:the|that)\s+(?P<rel>previous|next|following|preceding|same|prior)\s+(?P<unit>day|week|month|year)\b"),
     _r_anaphoric),
    (_c(r"\b(?:that|the\s+same)\s+(?P<unit>day|week|month|year)\b"), _r_anaphoric),
    (_c(rf"\b{_COUNT}{_UNIT}s?\s+(?P<rel>later|earlier|afterwards?|before|after|prior)"
        r"(?=\s*(?:[,.;:!?)]|$|and\b|when\b|on\b|in\b|he\b|she\b|they\b|it\b))"), _r_anaphoric),
    (_c(r"\b(?:the\s+end|the\s+beginning|the\s+start|the\s+middle)\s+of\s+the\s+(?P<unit>week|month|year|decade)\b"
        r"|\b(?P<unit2>year)[\s-]end\b"), _r_edge_of),
    (_c(rf"\b(?:(?:every|each)\s+(?:(?P<other>other)\s+)?(?:(?:{_COUNT})?{_UNIT}s?|{_WD}|{_M}|{_SEASON})"
        rf"|(?P<adverb>daily|nightly|weekly|biweekly|monthly|quarterly|annually|annual|yearly|hourly|biannual|"
        rf"semiannual)|(?:once|twice|thrice|\w+\s+times)\s+(?:a|an|per|each|every)\s+(?P<unit2>second|minute|hour|day|night|week|"
        r"fortnight|month|quarter|year|decade))\b"), _r_set),
    (_c(r"\b(?:on\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s\b"), _r_plural_weekday),
    (_c(rf"\b(?:(?:the\s+)?(?:past|last|next|coming|previous|following|first|final|recent)\s+)?"
        rf"(?:(?P<half>half\s+an?\s+)|{_COUNT}(?P<andhalf>and\s+a\s+half\s+)?){_UNIT}s?"
        r"(?P<andhalf2>\s+and\s+a\s+half)?\b"), _r_duration),
    (_c(rf"\b(?:the\s+(?:past|last|next|coming)\s+(?:few\s+)?)?{_UNIT}s\b"), _r_plural_duration),
    (_c(rf"\b(?:{_CLOCK}|(?P<named>noon|midday|midnight))"), _r_time),
    (_c(r"\b(?:now|currently|nowadays|presently|at\s+present|these\s+days|at\s+the\s+moment|recently|lately|"
        r"formerly|(?<=\bin\s)the\s+(?:distant\s+|recent\s+)?past\b(?!\s+(?:\d|few|several|two|three|four|five|six|"
        r"seven|eight|nine|ten|week|month|year|day|decade|century))|(?<=\bin\s)the\s+(?:near\s+|distant\s+)?future"
        r"|recent\s+(?:years|months|weeks|days|decades)|the\s+coming\s+(?:years|months|weeks|days|decades))\b"),
     _r_ref),
]
# the trigger classes (see TRIGGERS) one of which each rule's match must contain
RULE_CLASSES = {
    _r_full_date: {"month"}, _r_month_year: {"month"}, _r_iso: {"digit"}, _r_month: {"month"},
    _r_year: {"digit"}, _r_decade: {"digit", "decade"}, _r_century: {"unit"}, _r_weekday: {"weekday"},
    _r_deictic_day: {"deixis", "unit"}, _r_deictic_period: {"unit"}, _r_deictic_named: {"month", "season"},
    _r_season: {"season"}, _r_ago: {"unit"}, _r_anaphoric: {"unit"}, _r_edge_of: {"unit"},
    _r_set: {"unit", "weekday", "month", "season", "setword"}, _r_plural_weekday: {"weekday"},
    _r_duration: {"unit"}, _r_plural_duration: {"unit"}, _r_time: {"digit", "clockword"}, _r_ref: {"ref", "unit"},
}

# --------------------------------------------------------------------------- filters

_AGE_AFTER = re.compile(r"(?:[\s-]*old\b|[\s-]+of\s+age\b|-olds?\b)", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged|age|ages|age\s+of|the\s+age\s+of|at\s+age)\s*$", re.IGNORECASE)
_NAMES = {"ORG", "WORK_OF_ART", "PERSON", "FAC", "PRODUCT", "GPE", "LAW", "NORP", "LOC"}
_PREVIOUS_WORD = re.compile(r"([A-Za-z.]+)[\s-]*$")


def _previous_word(text: str, start: int) -> str:
    m = _PREVIOUS_WORD.search(text, max(0, start - 20), start)
    return m.group(1).lower() if m else ""


_SEASON_CONTEXT = {"in", "during", "by", "until", "over", "since", "through", "throughout", "this", "last",
                   "next", "the", "that", "each", "every", "early", "late", "mid"}
_PLURAL_DURATION_CONTEXT = {"for", "over", "within", "took", "take", "takes", "lasted", "lasts", "spent", "spend",
                            "spends", "spending", "after", "in"}


def _plausible(rule: Rule, m: re.Match[str], doc: Doc, text: str, labels: dict[int, str]) -> bool:
    """Structural checks that need the surrounding text: capitalised names, ages, years that are counts."""
    g = m.groupdict()
    start, end = m.span()
    handler = rule[1]
    if g.get("month") and not g["month"][0].isupper():
        return False
    if g.get("weekday") and not g["weekday"][0].isupper():
        return False
    if _AGE_AFTER.match(text, end) or _AGE_BEFORE.search(text, max(0, start - 16), start):
        return False
    if labels.get(start) in _NAMES:
        return False  # "the Daily Mail", "Theresa May", "Weekly Shonen Jump"
    if handler in (_r_month, _r_year):
        # a bare month name or year is a date after a temporal word ("in May", "since 2021") or
        # where spaCy calls it a DATE; otherwise it is a modal, a verb, a count or a name
        label = labels.get(m.start("month" if handler is _r_month else "year"))
        if label in ("DATE", "TIME"):
            return True
        if label in ("MONEY", "PERCENT", "QUANTITY", "PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "LAW"):
            return False
        if handler is _r_year and _counts_something(doc, m.start("year"), m.end("year")):
            return False  # "a survey of 1709 schoolchildren"
        edged = m.group(0) != g["month" if handler is _r_month else "year"]
        return edged or _previous_word(text, start) in TEMPORAL_PREPOSITIONS
    if handler is _r_season and not g.get("year"):
        return m.group(0)[0].lower() == "t" or _previous_word(text, start) in _SEASON_CONTEXT
    if handler is _r_plural_duration and not m.group(0).lower().startswith("the"):
        return _previous_word(text, start) in _PLURAL_DURATION_CONTEXT
    unit = (g.get("unit") or "").lower()
    if unit == "quarter" and re.match(r"\s+of\b", text[end:end + 4]):
        return False  # "a quarter of citizens"
    if g.get("num") and re.fullmatch(r"\d{4,}", g["num"]) and not unit.endswith("s"):
        return False  # "the 2018 day five": a year, not a count of days
    if handler is _r_duration and g.get("num") and g["num"].lower() in ("a", "an"):
        previous = _previous_word(text, start)
        if unit == "second":  # "a second time": an ordinal, unless "for a second"
            return previous in ("for", "within", "in", "than", "just")
        # "a day" after "once", "per", "times" is a rate (the SET rule reads those)
        return previous not in ("once", "twice", "thrice", "times", "per")
    return True


# --------------------------------------------------------------------------- tense from the parse


def _counts_something(doc: Doc, start: int, end: int) -> bool:
    """A number the parse attaches to a common noun as its count ("1709 schoolchildren")."""
    span = doc.char_span(start, end)
    if span is None or len(span) != 1:
        return False
    token = span[0]
    return token.dep_ == "nummod" and token.head.pos_ == "NOUN" and token.head.lemma_.lower() not in UNITS


_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_PAST_PERFECT = {"has", "have", "had", "'ve", "'s", "'d"}
# verbs whose infinitive complement lies ahead of them
_FUTURE_HEADS = {"set", "schedule", "due", "expect", "plan", "intend", "aim", "hope", "go", "want", "prepare",
                 "promise", "threaten", "vow", "pledge", "seek", "propose", "announce"}


# participles that place what they describe ahead: "the meeting, set for Monday"
_FUTURE_PARTICIPLES = {"set", "schedule", "slate", "plan", "due", "expect"}


def _verb_tense(verb: Token, depth: int = 0) -> str | None:
    """past / present / future / future-in-past for a verb, from its tag and auxiliaries
    (following participles up).

    A modal looks ahead ("may vote on Monday", "could come as early as Monday"), unless
    it has a perfect ("could have come"); "would" looks ahead from a reported past ("said
    the talks would resume on Monday"); a bare infinitive heading its sentence is a
    headline's future ("Ministers to meet Monday"); "set for", "scheduled for" too."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "aux:pass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & _FUTURE_AUX or any(a.lower_ == "going" for a in auxes):
        return "future"
    modals = [a for a in auxes if a.tag_ == "MD"]
    if modals and not (verb.tag_ == "VBN" and lowers & {"have", "'ve"}):
        return "future-in-past" if any(a.lower_ in ("would", "'d") for a in modals) else "future"
    if "to" in lowers and verb.tag_ == "VB" and (verb.dep_ == "ROOT" or (verb.dep_ == "acl" and verb.head.dep_ == "ROOT")):
        return "future"  # the parse hangs a headline's verb on its subject: "Ministers to meet Monday"
    if verb.tag_ == "VBN" and not auxes and verb.lemma_.lower() in _FUTURE_PARTICIPLES:
        return "future"
    if any(a.tag_ == "VBD" for a in auxes) or verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN" and lowers & _PAST_PERFECT:
        return "past"
    if "to" in lowers and (any(a.lemma_ == "be" for a in auxes) or verb.head.lemma_ in _FUTURE_HEADS):
        return "future"  # "is to be held", "set to take place", "plans to visit"
    if (verb.tag_ in ("VBN", "VB", "VBG") and not auxes or "to" in lowers) and depth < 3 and verb.head is not verb:
        if verb.dep_ in ("conj", "acl", "xcomp", "advcl", "relcl", "ccomp") and verb.head.pos_ in ("VERB", "AUX"):
            return _verb_tense(verb.head, depth + 1)
        if verb.tag_ == "VBN" and not auxes:
            return "past"  # "mines manufactured in 2021": a bare participle reports the past
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


def _tense_at(doc: Doc, start: int, end: int) -> str | None:
    """The tense of the verb a span attaches to (None for verbless fragments such as datelines)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX"):
            return _verb_tense(token)
        if token.head is token:
            return None
        token = token.head
    return None


# --------------------------------------------------------------------------- dateparser, for what the grammar does not know

_DATEPARSER_HINT = re.compile(
    r"\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{1,4})?|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _dateparser_value(phrase: str, dct: date | None) -> str | None:
    """dateparser's reading of a leftover phrase, at the granularity it reports (None if it has none).

    Only phrases that look like written-out dates reach it ("19/12/2023", "Dec. 19th"):
    its relative parsing of arbitrary entity text invents values ("the 12 year" -> 2011).
    Without a document date it is asked only about phrases carrying their own year.
    """
    if not _DATEPARSER_HINT.search(phrase):
        return None
    has_year = re.search(r"\b(1[0-9]{3}|20[0-9]{2})\b", phrase) is not None
    if dct is None and not has_year:
        return None
    import dateparser

    base = datetime.combine(dct, datetime.min.time()) if dct else datetime(2000, 1, 1)
    parsed = dateparser.date.DateDataParser(
        languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "current_period",
                                    "RETURN_AS_TIMEZONE_AWARE": False}).get_date_data(phrase)
    if parsed.date_obj is None or parsed.period not in ("day", "month", "year"):
        return None
    d = parsed.date_obj.date()
    return {"day": d.isoformat(), "month": f"{d.year:04d}-{d.month:02d}", "year": f"{d.year:04d}"}[parsed.period]


# --------------------------------------------------------------------------- the pass over a document


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _entities(doc: Doc) -> list[tuple[int, int, str]]:
    """(start char, end char, label) of spaCy's entities, read through arrays.

    ``doc.ents`` builds a Python Token for every token of the document on each access,
    which costs more than all of this module's other work together.
    """
    if len(doc) == 0:
        return []
    arr = doc.to_array([IDX, LENGTH, ENT_IOB, ENT_TYPE])
    strings = doc.vocab.strings
    out: list[tuple[int, int, str]] = []
    for i in (arr[:, 2] == 3).nonzero()[0]:  # 3: B, 1: I
        j = i + 1
        while j < len(arr) and arr[j, 2] == 1:
            j += 1
        out.append((int(arr[i, 0]), int(arr[j - 1, 0] + arr[j - 1, 1]), strings[int(arr[i, 3])]))
    return out


def _labels(entities: list[tuple[int, int, str]], text: str) -> dict[int, str]:
    """Entity label at the start of each word inside an entity, to tell a year from a count."""
    return {m.start(): label for start, end, label in entities for m in _WORD.finditer(text, start, end)}


_WORD = re.compile(r"\S+")

# Every rule's match contains a trigger word of one of its classes; the grammar runs only in
# windows around the triggers spaCy's tokens show, and in each window only the rules whose
# classes occur there. This keeps find_dates at a small fraction of the parse.
TRIGGERS = {
    "month": [*MONTHS, *(f"{m}." for m in MONTHS if len(m) <= 4)],
    "weekday": [*WEEKDAYS, *(f"{w}s" for w in WEEKDAYS)],
    "unit": [*(f"{u}{s}" for u in UNITS for s in ("", "s")), "weekend", "weekends", "centuries", "millennia"],
    "season": list(SEASONS),
    "deixis": ["yesterday", "today", "tomorrow", "tonight", "morning", "afternoon", "evening"],
    "setword": ["daily", "nightly", "weekly", "biweekly", "monthly", "quarterly", "annually", "annual", "yearly",
                "hourly", "biannual", "semiannual"],
    "clockword": ["noon", "midday", "midnight", "a.m.", "p.m.", "am", "pm"],
    "ref": ["now", "currently", "nowadays", "presently", "present", "moment", "recently", "recent", "lately",
            "formerly", "past", "future"],
    "decade": list(DECADE_WORDS),
}
_DIGITS = re.compile(r"\d+")
# how far a match reaches before its first trigger ("the beginning of the year") and after its last
# ("days from now", and the look-aheads that check what follows)
_BEFORE, _AFTER = 40, 32


@lru_cache(maxsize=4)
def _trigger_table(strings) -> tuple:
    """Hashes of the trigger words in this vocabulary's string store, and their classes."""
    import numpy as np

    classes: dict[int, str] = {}
    for name, words in TRIGGERS.items():
        for word in words:
            classes[strings.add(word)] = name
    return np.array(sorted(classes), dtype="uint64"), classes


def _regions(doc: Doc, text: str) -> list[tuple[int, int, frozenset[str]]]:
    """Stretches of text around trigger words, merged, with the trigger classes each holds."""
    import numpy as np

    hashes, classes = _trigger_table(doc.vocab.strings)
    triggers: list[tuple[int, int, str]] = []
    if len(doc):
        arr = doc.to_array([LOWER, IDX, LENGTH])
        for i in np.isin(arr[:, 0], hashes).nonzero()[0]:
            triggers.append((int(arr[i, 1]), int(arr[i, 1] + arr[i, 2]), classes[int(arr[i, 0])]))
    triggers += [(m.start(), m.end(), "digit") for m in _DIGITS.finditer(text)]
    triggers.sort()
    regions: list[list] = []
    size = len(text)
    for t_start, t_end, name in triggers:
        start, end = max(0, t_start - _BEFORE), min(size, t_end + _AFTER)
        if regions and start <= regions[-1][1]:
            regions[-1][1] = max(end, regions[-1][1])
            regions[-1][2].add(name)
        else:
            regions.append([start, end, {name}])
    return [(s, e, frozenset(c)) for s, e, c in regions]


def _grammar_candidates(doc: Doc, text: str, labels: dict[int, str]) -> list[tuple[int, int, Rule, re.Match[str]]]:
    """Every plausible rule match, longest first when they overlap."""
    found = []
    for region_start, region_end, present in _regions(doc, text):
        for rule in RULES:
            if RULE_CLASSES[rule[1]].isdisjoint(present):
                continue
            for m in rule[0].finditer(text, region_start, region_end):
                if m.end() > m.start() and _plausible(rule, m, doc, text, labels):
                    found.append((m.start(), m.end(), rule, m))
    return _longest_first(found)


def _longest_first(found: list) -> list:
    """Non-overlapping matches, preferring the longest (ties: the earlier rule), in text order."""
    chosen: list = []
    taken: list[tuple[int, int]] = []
    for item in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if all(item[1] <= s or item[0] >= e for s, e in taken):
            chosen.append(item)
            taken.append((item[0], item[1]))
    return sorted(chosen, key=lambda f: f[0])


def _leftover_entities(entities: list[tuple[int, int, str]], text: str,
                       taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spaCy DATE/TIME entities the grammar did not cover, trimmed of hedges and possessives."""
    out = []
    for ent_start, ent_end, label in entities:
        if label not in ("DATE", "TIME"):
            continue
        if any(ent_start < e and s < ent_end for s, e in taken):
            continue
        lead = MODIFIERS.match(text, ent_start, ent_end)
        start = lead.end() if lead else ent_start
        core = re.sub(r"(?:'s|\u2019s|')$", "", text[start:ent_end]).rstrip()
        if core:
            out.append((start, start + len(core)))
    return out


def find_dates(doc: Doc, published: str | None) -> list[DateMention]:
    """Every temporal expression in the parse with its TIMEX3 value, type and (undated) lower bound.

    ``published`` is the document date (ISO) or None; relative expressions count from it,
    anaphoric ones from the last date mentioned before them.
    """
    text = doc.text
    dct = _parse_published(published)
    entities = _entities(doc)
    labels = _labels(entities, text)
    tenses: dict[tuple[int, int], str | None] = {}

    def tense(start: int, end: int) -> str | None:
        if (start, end) not in tenses:
            tenses[(start, end)] = _tense_at(doc, start, end)
        return tenses[(start, end)]

    ctx = _Context(dct=dct, tense=tense, day=dct, month=(dct.year, dct.month) if dct else None,
                   year=dct.year if dct else None)
    candidates = _grammar_candidates(doc, text, labels)
    leftovers = _leftover_entities(entities, text, [(s, e) for s, e, _, _ in candidates])
    items = sorted([(s, e, rule, m) for s, e, rule, m in candidates] + [(s, e, None, None) for s, e in leftovers],
                   key=lambda c: c[0])
    mentions: list[DateMention] = []
    for start, end, rule, m in items:
        if rule is not None:
            reading = rule[1](m, ctx, start)
        else:
            value = _dateparser_value(text[start:end], dct)
            reading = (value, "DATE") if value else None
        if reading is None:
            continue
        value, kind = reading
        mentions.append(DateMention(Span(start, end), value, kind))
        _remember(ctx, value)
    if dct is None:
        mentions = with_lower_bound(mentions, tense)
    return mentions


def _remember(ctx: _Context, value: str) -> None:
    """A resolved date becomes the anchor, at its own granularity, for anaphoric expressions after it."""
    m = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T|$)", value)
    if not m:
        return
    year, month, day = m.group(1), m.group(2), m.group(3)
    ctx.year = int(year)
    if month:
        ctx.month = (int(year), int(month))
    if day:
        ctx.day = date(int(year), int(month), int(day))


_DEFINITE_YEAR = re.compile(r"^(\d{4})(?:$|-)")


def past_year_bound(mentions: Iterable[DateMention], tense: Callable[[int, int], str | None]) -> str | None:
    """The latest year the text names in the past tense: the text was written no earlier.

    Only explicit years count ("manufactured in 2021", "on 3 May 2022"); a year in a
    verbless line (a headline fragment such as "The year 2016") or in the future
    ("by 2050") says nothing about when the text was written.
    """
    years = [int(m.value[:4]) for m in mentions
             if m.kind == "DATE" and _DEFINITE_YEAR.match(m.value) and tense(m.span.start, m.span.end) == "past"]
    return str(max(years)) if years else None


def with_lower_bound(mentions: list[DateMention], tense: Callable[[int, int], str | None]) -> list[DateMention]:
    """Year-unknown mentions (XXXX-12-19, XXXX-XX) with ``earliest`` = the past-year bound, when there is one."""
    bound = past_year_bound(mentions, tense)
    if bound is None:
        return mentions
    return [DateMention(m.span, m.value, m.kind, bound) if m.value.startswith("X") and m.kind in ("DATE", "TIME")
            else m for m in mentions]


def time_frame(dates: Iterable[DateMention]) -> tuple[str | None, str | None]:
    """The earliest and latest years the given mentions support, as ("2021", "2023"); None where open.

    For the headline check: pass the body's mentions (not the headline's). Lower bound:
    the smallest year among dated mentions and the ``earliest`` bounds of undated ones.
    Upper bound: the largest year among dated mentions, or None when an undated mention
    is bounded only from below (it could be any later year). Durations, sets and
    PAST/PRESENT/FUTURE_REF carry no year and are ignored; so the sample's body gives
    ("2021", None): a headline year 2016 is before everything it speaks of.
    """
    lows: list[int] = []
    highs: list[int] = []
    open_above = False
    for mention in dates:
        if mention.kind not in ("DATE", "TIME"):
            continue
        m = _DEFINITE_YEAR.match(mention.value)
        if m:
            lows.append(int(m.group(1)))
            highs.append(int(m.group(1)))
        elif re.match(r"^\d{3}$", mention.value):  # a decade: 196 -> 1960..1969
            lows.append(int(mention.value) * 10)
            highs.append(int(mention.value) * 10 + 9)
        elif re.match(r"^\d{2}$", mention.value):  # a century: 19 -> 1900..1999
            lows.append(int(mention.value) * 100)
            highs.append(int(mention.value) * 100 + 99)
        elif mention.value.startswith("X") and mention.earliest:
            lows.append(int(mention.earliest[:4]))
            open_above = True
    low = str(min(lows)) if lows else None
    high = None if open_above or not highs else str(max(highs))
    return low, high
