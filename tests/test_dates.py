"""Dates: every temporal expression with its TIMEX3 value, on short sentences written for the purpose.

Each test parses its text with the project's spaCy pipeline, as ``analyze`` does, and
checks what a reader of the dates would see: the words, the value, the type, the bound.
"""

from __future__ import annotations

import pytest

from claimdesk.analyze.dates import find_dates, time_frame
from claimdesk.analyze.nlp import load_nlp
from claimdesk.analyze.parse import kept_text, with_paragraphs
from claimdesk.model import DateMention, Span


@pytest.fixture(scope="module")
def nlp():
    return with_paragraphs(load_nlp())


@pytest.fixture
def dates(nlp):
    def run(text: str, published: str | None = "2023-12-20") -> dict[str, DateMention]:
        found = find_dates(nlp(text), published)
        return {text[m.span.start:m.span.end]: m for m in found}
    return run


def values(found: dict[str, DateMention]) -> dict[str, tuple[str, str]]:
    return {words: (m.value, m.kind) for words, m in found.items()}


# ---------------------------------------------------------------- absolute dates


def test_full_dates_are_one_mention_with_their_day(dates):
    found = values(dates("Friday, July 21, 2017\n\nThe ceasefire was signed on 10 November 2020 in Moscow."))
    assert found == {"Friday, July 21, 2017": ("2017-07-21", "DATE"), "10 November 2020": ("2020-11-10", "DATE")}


def test_years_months_decades_and_centuries(dates):
    found = values(dates("The law passed in 2021, the mines date from March 2019, and the dispute goes back "
                         "to the 1990s and indeed the 20th century."))
    assert found == {"2021": ("2021", "DATE"), "March 2019": ("2019-03", "DATE"), "the 1990s": ("199", "DATE"),
                     "the 20th century": ("19", "DATE")}


def test_a_count_is_not_a_year_and_an_age_is_not_a_date(dates):
    found = dates("A survey of 1709 schoolchildren found that a 14-year-old boy had walked 2000 miles.")
    assert found == {}


def test_may_the_verb_is_not_may_the_month(dates):
    assert dates("Officials may resign, and the talks may fail.") == {}
    assert values(dates("The talks collapsed in May.")) == {"May": ("2023-05", "DATE")}


# ---------------------------------------------------------------- month and day without a year


def test_month_day_takes_the_year_of_the_document_date(dates):
    assert values(dates("The meeting was held on December 19.")) == {"December 19": ("2023-12-19", "DATE")}


def test_month_day_in_the_past_early_in_a_year_is_last_year(dates):
    found = dates("The meeting was held on December 19.", published="2024-01-05")
    assert found["December 19"].value == "2023-12-19"


def test_month_day_in_the_future_is_ahead_of_the_document_date(dates):
    found = dates("The vote will take place on January 10.", published="2023-12-20")
    assert found["January 10"].value == "2024-01-10"
    found = dates("The first meeting is set to take place in Christchurch on May 16.", published="2015-05-07")
    assert found["May 16"].value == "2015-05-16"


def test_month_day_without_a_document_date_keeps_the_year_unknown(dates):
    found = dates("The meeting was held on December 19.", published=None)
    assert found["December 19"].value == "XXXX-12-19"
    assert found["December 19"].earliest is None  # nothing in the text bounds it


# ---------------------------------------------------------------- relative expressions


def test_offsets_from_the_document_date_keep_their_granularity(dates):
    found = values(dates("Two months ago the leader resigned. Last week the minister spoke, and earlier this year "
                         "he was re-elected. Three years ago nobody cared; yesterday everybody did."))
    assert found == {"Two months ago": ("2023-10", "DATE"), "Last week": ("2023-W50", "DATE"),
                     "earlier this year": ("2023", "DATE"), "Three years ago": ("2020", "DATE"),
                     "yesterday": ("2023-12-19", "DATE")}


def test_weekdays_point_back_in_the_past_tense_and_forward_in_the_future(dates):
    # 2023-12-20 is a Wednesday
    assert dates("The court ruled on Tuesday.")["Tuesday"].value == "2023-12-19"
    assert dates("The court will rule on Friday.")["Friday"].value == "2023-12-22"
    assert dates("He arrived on Monday night.")["Monday night"].value == "2023-12-18TNI"


def test_a_weekday_without_a_document_date_is_that_day_of_an_unknown_week(dates):
    assert dates("The court ruled on Tuesday.", published=None)["Tuesday"].value == "XXXX-WXX-2"
    assert dates("The talks resume on Friday.", published=None)["Friday"].value == "XXXX-WXX-5"


def test_the_day_before_counts_from_the_last_date_mentioned(dates):
    found = values(dates("The court ruled on Tuesday. The day before, protesters had gathered. "
                         "In 2015 the law changed; the year before, it had been debated."))
    assert found["The day before"] == ("2023-12-18", "DATE")
    assert found["the year before"] == ("2014", "DATE")


def test_next_month_this_weekend_and_last_summer(dates):
    found = values(dates("Next month the talks resume. Last summer they stalled.", published="2023-02-23"))
    assert found == {"Next month": ("2023-03", "DATE"), "Last summer": ("2022-SU", "DATE")}


def test_present_past_and_future_references(dates):
    found = values(dates("He is now in Baku. Recently, prices rose. In the future, he said, things will change."))
    assert found == {"now": ("PRESENT_REF", "DATE"), "Recently": ("PAST_REF", "DATE"),
                     "the future": ("FUTURE_REF", "DATE")}


# ---------------------------------------------------------------- durations and sets


def test_durations(dates):
    found = values(dates("The talks lasted four months. The truce held for nearly two decades, "
                         "and the meeting took half an hour."))
    assert found == {"four months": ("P4M", "DURATION"), "two decades": ("P20Y", "DURATION"),
                     "half an hour": ("PT0.5H", "DURATION")}


def test_sets(dates):
    found = values(dates("The committee meets every Monday, publishes a report weekly and holds an election "
                         "twice a year."))
    assert found == {"every Monday": ("XXXX-WXX-1", "SET"), "weekly": ("P1W", "SET"), "twice a year": ("P1Y", "SET")}


def test_spans_point_into_the_document(nlp):
    text = "Title line\n\nOn December 19, 2023, talks began. Two months ago, they failed."
    for mention in find_dates(nlp(text), "2023-12-20"):
        assert text[mention.span.start:mention.span.end] in ("December 19, 2023", "Two months ago")


# ---------------------------------------------------------------- no document date: the honest bound


UNDATED = ("Officials met on December 19 to discuss the mines.\n\n"
           "He claimed that the mines were manufactured in 2021. Two months ago, the leader resigned. "
           "The government plans to clear them by 2050.")


def test_without_a_date_the_latest_past_year_bounds_the_undated_mentions(dates):
    found = dates(UNDATED, published=None)
    assert (found["December 19"].value, found["December 19"].earliest) == ("XXXX-12-19", "2021")
    assert (found["Two months ago"].value, found["Two months ago"].earliest) == ("XXXX-XX", "2021")
    assert found["2021"].earliest is None  # a known year needs no bound
    assert found["2050"].value == "2050"  # a future year does not move the bound


def test_a_verbless_headline_year_does_not_bound_the_body(dates):
    found = dates("The year 2016\n\nOfficials met on December 19.", published=None)
    assert found["December 19"].earliest is None


def test_with_a_document_date_there_is_no_bound(dates):
    found = dates(UNDATED, published="2023-12-20")
    assert found["December 19"].value == "2023-12-19"
    assert all(m.earliest is None for m in found.values())


# ---------------------------------------------------------------- time frame for the headline check


def test_time_frame_is_open_above_when_an_undated_mention_has_only_a_lower_bound(dates):
    found = dates(UNDATED, published=None)
    assert time_frame(found.values()) == ("2021", None)


def test_time_frame_of_dated_mentions_ignores_durations_and_references():
    mentions = [DateMention(Span(0, 1), "2019-03", "DATE"), DateMention(Span(2, 3), "2022-11-02", "DATE"),
                DateMention(Span(4, 5), "P20Y", "DURATION"), DateMention(Span(6, 7), "PAST_REF", "DATE"),
                DateMention(Span(8, 9), "XXXX-WXX-1", "SET")]
    assert time_frame(mentions) == ("2019", "2022")
    assert time_frame([]) == (None, None)


# ---------------------------------------------------------------- the sample


def test_the_sample_dates_the_meeting_no_earlier_than_2021(nlp, sample_text):
    from claimdesk.clean import clean
    from claimdesk.model import RawDocument

    article = clean(RawDocument(text=sample_text, format="text"))
    assert article.raw.published is None
    found = find_dates(nlp(kept_text(article)), article.raw.published)
    meeting = next(m for m in found if sample_text[m.span.start:m.span.end] == "December 19")
    assert (meeting.value, meeting.kind, meeting.earliest) == ("XXXX-12-19", "DATE", "2021")
    title = article.title
    body = [m for m in found if not (title and title.start <= m.span.start < title.end)]
    assert time_frame(body) == ("2021", None)  # a headline about 2016 is before everything the body speaks of
