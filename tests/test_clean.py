"""The cleaner: title and body chosen as ranges, everything else put aside with a reason."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimdesk.clean import batch_counts, clean
from claimdesk.clean.lines import split_lines
from claimdesk.model import RawDocument


def cleaned(text: str, fmt: str = "text", **kw):
    return clean(RawDocument(text=text, format=fmt, **kw))


def removed_texts(article, reason=None):
    return [article.raw.text[r.start : r.end] for r in article.removed if reason in (None, r.reason)]


P1 = "The council voted on Monday to close the old bridge to heavy traffic after engineers found cracks in two of its piers."
P2 = "Engineers said the repairs would take at least six months and cost the city about four million euros in total."
P3 = "Residents of the east bank, who depend on the bridge to reach the hospital, asked for a temporary ferry service."


def test_sample_has_one_title_four_chrome_lines_and_every_paragraph(sample_text):
    article = cleaned(sample_text)
    assert article.title_text == "Sergei Shoigu held a conference call. The year 2016"
    assert removed_texts(article, "duplicate-title") == ["Sergei Shoigu held a conference call. The year 2016"]
    assert removed_texts(article, "site-chrome") == ["Leave a review", "Social", "Follow us on social networks", "News Line"]
    paragraphs = [p.strip() for p in sample_text.split("\n\n")[2:-4]]
    assert len(paragraphs) == 8
    assert article.paragraphs() == paragraphs
    assert all(r.detail for r in article.removed)


def test_spans_point_into_the_unchanged_text(sample_text):
    article = cleaned(sample_text)
    assert article.raw.text == sample_text
    pieces = [article.title] + article.body + article.removed
    covered = sorted((p.start, p.end) for p in pieces)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(covered, covered[1:]))
    assert [sample_text[s:e] for s, e in covered] == [line.text for line in split_lines(sample_text)]


def test_one_line_paragraph_inside_body_is_kept():
    text = f"Bridge closed\n\n{P1}\n\n\"We have no choice,\" the mayor said.\n\nWhat comes next\n\n{P2}\n\n{P3}\n"
    article = cleaned(text)
    assert "\"We have no choice,\" the mayor said." in article.paragraphs()
    assert "What comes next" in article.paragraphs()
    assert article.removed == []


def test_menu_before_the_first_paragraph_and_footer_after_the_last_are_chrome():
    text = f"Bridge closed\nHome\nNews\nSport\nWeather\n{P1}\n{P2}\n{P3}\nShare this article\nTerms of use\nCity Herald 2026\n"
    article = cleaned(text)
    assert article.paragraphs() == [P1, P2, P3]
    assert removed_texts(article, "site-chrome") == [
        "Home", "News", "Sport", "Weather", "Share this article", "Terms of use", "City Herald 2026"]
    details = {article.raw.text[r.start:r.end]: r.detail for r in article.removed}
    assert details["Weather"] == "before the first paragraph"
    assert details["City Herald 2026"] == "after the last paragraph"
    assert details["Terms of use"] == "the site speaking about itself"


def test_comments_section_after_the_article_is_cut_but_advertisement_only_drops_itself():
    comment = "I live on the east bank and this closure will add an hour to my commute every single day."
    text = f"Bridge closed\n{P1}\nAdvertisement\n{P2}\n{P3}\n12 Comments\n{comment}\n{comment} Really.\n"
    article = cleaned(text)
    assert article.paragraphs() == [P1, P2, P3]
    details = {article.raw.text[r.start:r.end]: r.detail for r in article.removed}
    assert details["12 Comments"] == "in the “12 Comments” section after the article"
    assert details[comment] == details["12 Comments"]
    assert details["Advertisement"] == "the site speaking about itself"


def test_teasers_go_but_prose_starting_with_the_same_word_stays():
    more = "More than 300 people crossed the bridge on foot on Tuesday morning, police said."
    text = f"Bridge closed\n{P1}\nRelated: City budget faces a shortfall\n{more}\nREAD MORE: Ferry plans revealed\n{P2}\n{P3}\n"
    article = cleaned(text)
    assert article.paragraphs() == [P1, more, P2, P3]
    assert removed_texts(article) == ["Related: City budget faces a shortfall", "READ MORE: Ferry plans revealed"]


def test_a_bare_teaser_heading_takes_the_headlines_under_it():
    text = f"Bridge closed\n{P1}\nDON'T MISS\nMayor under pressure over bridge\nFerry company wins contract\n{P2}\n{P3}\n"
    article = cleaned(text)
    assert article.paragraphs() == [P1, P2, P3]


def test_title_repeated_with_site_suffix_is_a_duplicate_title():
    text = f"Bridge closed to heavy traffic | City Herald\nBridge closed to heavy traffic\n{P1}\n{P2}\n"
    article = cleaned(text)
    assert article.title_text == "Bridge closed to heavy traffic | City Herald"
    assert removed_texts(article, "duplicate-title") == ["Bridge closed to heavy traffic"]


def test_stated_title_is_found_among_the_first_lines():
    text = f"City Herald\nBridge closed to heavy traffic\n{P1}\n{P2}\n"
    article = cleaned(text, title="Bridge closed to heavy traffic")
    assert article.title_text == "Bridge closed to heavy traffic"


def test_a_long_first_paragraph_is_not_taken_for_a_title():
    long_first = " ".join([P1, P2, P3])
    article = cleaned(long_first + "\n" + P1.replace("Monday", "Friday"))
    assert article.title is None
    assert article.paragraphs()[0] == long_first


def test_repeated_pull_quote_is_a_duplicate_line():
    quote = "\"This bridge is the only road to the hospital,\" one resident said."
    text = f"Bridge closed\n{P1}\n{quote}\n{P2}\n{quote}\n{P3}\n"
    article = cleaned(text)
    assert article.paragraphs() == [P1, quote, P2, P3]
    assert [r.reason for r in article.removed] == ["duplicate-line"]


def distinct_story(n: int, middle: str) -> str:
    """A story of its own (no two share body lines) with ``middle`` set into its body."""
    return (f"Story {n}\nOn day {n} the council met for the {n}th time to discuss the bridge and its future use.\n"
            f"{middle}\nEngineer number {n} said that the piers had been inspected {n} times this year already.\n"
            f"Story {n} ends here with a line of its own, said the editor on duty.")


def test_recurring_lines_of_a_scope_are_chrome_with_the_evidence():
    banner = "City Herald live: roads and rail"
    docs = [distinct_story(n, banner) for n in range(4)]
    counts = batch_counts("cityherald.example", docs)
    article = clean(RawDocument(text=docs[0], format="text", scope="cityherald.example"), counts)
    assert banner not in article.paragraphs()
    detail = next(r.detail for r in article.removed if article.raw.text[r.start:r.end] == banner)
    assert detail == "recurs in 4 of 4 documents of cityherald.example"
    # a line seen once is not learned chrome
    first = clean(RawDocument(text=docs[0], format="text", scope="cityherald.example"), batch_counts("x", docs[:1]))
    assert banner in first.paragraphs()


def test_recurring_prose_inside_the_body_is_kept():
    wire = "The agency said the figures had not been independently verified by any other source."
    docs = [distinct_story(n, wire) for n in range(5)]
    article = clean(RawDocument(text=docs[0], format="text", scope="wire"), batch_counts("wire", docs))
    assert wire in article.paragraphs()


def test_near_copies_in_a_batch_are_counted_once():
    docs = [distinct_story(1, "A middle line.") + f"\nCopy {n} adds a line." for n in range(5)]
    assert batch_counts("wire", docs).documents == 1


def test_a_very_short_article_is_kept_whole():
    article = cleaned("Quake hits coast\nA strong quake hit the coast.\n")
    assert article.title_text == "Quake hits coast"
    assert article.paragraphs() == ["A strong quake hit the coast."]


line = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.lists(line, max_size=30), st.sampled_from(["text", "html"]))
def test_any_text_is_split_without_loss(lines, fmt):
    text = "\n".join(lines)
    article = cleaned(text, fmt)
    pieces = ([article.title] if article.title else []) + article.body + article.removed
    spans = sorted((p.start, p.end) for p in pieces)
    assert [text[s:e] for s, e in spans] == [x.text for x in split_lines(text)]
    assert all(0 <= s < e <= len(text) for s, e in spans)
