"""Ledes survive extraction, and what is set into an article (pop-up boxes, share prompts) is put aside
with its reason (issue 17). Short pages written for these tests, shaped like the pages that lost them."""

from __future__ import annotations

import trafilatura

from claimdesk.clean import clean
from claimdesk.ingest.html import html_document

LEDE = "Three people have died during protests in the capital after clashes between supporters of the former president and the police."
P1 = "In addition to the three deaths at a fuel plant on Tuesday, the public defender's office said another thirty people had been injured."
P2 = "The ombudsman's office said the deaths were caused by gunshot wounds and called on the government to withdraw the army from policing."
P3 = "The interim government denied that soldiers had fired on the crowd and said it would open an inquiry into the events of the day."


def page(body: str, description: str = "", title: str = "Deaths in the capital") -> str:
    meta = f'<meta property="og:description" content="{description}">' if description else ""
    return (f"<html><head><title>{title}</title>{meta}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<main>{body}</main><footer>© 2026 Example News</footer></body></html>")


def article_of(html: str):
    return clean(html_document(html, url="https://example.com/news/1"))


def removed(article, detail_part: str) -> list[str]:
    return [article.raw.text[r.start:r.end] for r in article.removed if detail_part in r.detail]


def test_lede_held_loose_in_its_container_before_a_break_is_kept():
    """trafilatura's default drops the text a <section> holds before its first block child (IGN's shape)."""
    html = page(f'<h1>Deaths in the capital</h1><section class="article-page">{LEDE}<p></p><h2>At the fuel plant</h2>'
                f'<p>{P1}</p><p>{P2}</p><p>{P3}</p></section>')
    assert LEDE not in (trafilatura.extract(html) or "")  # what the fix is for
    article = article_of(html)
    assert article.paragraphs() == [LEDE, "At the fuel plant", P1, P2, P3]


def test_summary_beside_the_body_container_is_put_back_before_it():
    """The extractor keeps the body container; the page's description names the lede standing right before it."""
    html = page(f'<article><h1>Deaths in the capital</h1><div class="article__summary summary">{LEDE}</div>'
                f'<div class="article__text text"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></article>', description=LEDE)
    article = article_of(html)
    assert article.paragraphs() == [LEDE, P1, P2, P3]


def test_standfirst_set_apart_by_the_byline_stays_out():
    dek = "The government says the army will stay in the streets until the protests end, whatever the cost."
    html = page(f'<article><h1>Deaths in the capital</h1><p class="dek">{dek}</p><div class="byline">By A. Reporter</div>'
                f'<div class="date">Nov. 19, 2026</div><div class="article-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></article>',
                description=dek)
    assert dek not in article_of(html).body_text


def test_pop_up_box_of_a_linked_name_is_cut_out_of_the_sentence_with_its_reason():
    box = ("<span class='rollover'><a href='/people/kristi-noem'>Kristi Noem</a><span class='rollover-block'>"
           "<a class='name' href='/people/kristi-noem'>Kristi Lynn Noem</a><a href='/a'>South Dakota drops pipeline protest laws after lawsuit</a> "
           "<a href='/b'>New law requiring sign to hang in public schools goes into effect</a> <a class='more' href='/people/kristi-noem'>MORE</a>"
           "</span></span>")
    html = page(f"<article><h1>Deaths in the capital</h1><p>South Dakota Gov. {box} (R) is defending the state's launch of an "
                f"anti-drug campaign with the slogan that drew ridicule online.</p><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>")
    article = article_of(html)
    [cut] = removed(article, "pop-up box")
    assert cut.startswith("Kristi Lynn Noem") and cut.endswith("MORE")
    assert "“Kristi Noem”" in next(r.detail for r in article.removed if "pop-up box" in r.detail)
    assert all(r.reason == "site-chrome" for r in article.removed if "pop-up box" in r.detail)
    body = article.body_text
    assert "South Dakota Gov. Kristi Noem" in body and "(R) is defending the state's launch" in body
    assert "Lynn" not in body and "MORE" not in body
    # the spans point into the unchanged text, and the sentence's two pieces come from one line
    first, second = article.body[0], article.body[1]
    assert "\n" not in article.raw.text[first.start:second.end]


def test_share_prompts_are_removed_with_their_reason_wherever_they_stand():
    html = page(f"<article><h1>Deaths in the capital</h1><p>{LEDE}</p><p>{P1}</p><p>Share this article</p><p>{P2}</p>"
                f"<p>{P3}</p><p>Like this story? Share it with a friend!</p></article>")
    article = article_of(html)
    assert removed(article, "share") == ["Share this article", "Like this story? Share it with a friend!"]
    assert article.paragraphs() == [LEDE, P1, P2, P3]


def test_headings_in_capitals_stay_and_a_teaser_headline_in_capitals_goes():
    """Opening the article or short (a label, not a sentence), a line in capitals is a heading."""
    html = page(f"<article><h1>Deaths in the capital</h1><h2>WHAT HAPPENED AT THE PLANT</h2><p>{LEDE}</p><p>{P1}</p>"
                f"<p><a href='/other'><strong>SENATE PASSES BUDGET AFTER LONG NIGHT OF TALKS</strong></a></p><p>{P2}</p>"
                f"<h2>WHO WILL PAY?</h2><p>{P3}</p></article>")
    article = article_of(html)
    assert article.paragraphs() == ["WHAT HAPPENED AT THE PLANT", LEDE, P1, P2, "WHO WILL PAY?", P3]
    assert removed(article, "another story") == ["SENATE PASSES BUDGET AFTER LONG NIGHT OF TALKS"]


def test_ordinary_article_is_unchanged():
    """Capitals inside words and a "MORE" in the text are not a pop-up box; sharing as news is not a prompt."""
    p4 = "Staff at a McDonald's near the plant filmed the clashes and posted them on YouTube, asking for MORE police at night."
    p5 = "Share prices of the state fuel company fell after the clashes, and analysts said they expected further losses this week."
    html = page(f"<article><h1>Deaths in the capital</h1><p>{LEDE}</p><p>{P1}</p><p>{P2}</p><p>{p4}</p><p>{p5}</p><p>{P3}</p></article>",
                description=LEDE)
    article = article_of(html)
    assert article.title_text == "Deaths in the capital"
    assert article.paragraphs() == [LEDE, P1, P2, p4, p5, P3]
    assert article.removed == [] or all(r.reason == "duplicate-title" for r in article.removed)
