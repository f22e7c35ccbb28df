"""Languages (issue 17): every document gets the language it is in, identified from its
cleaned text with the declared one as evidence; only a language with a registered pipeline
is analysed, and any other is stored, cleaned, searchable and shown as not analysed, never
run through the English models.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from claimdesk import pipeline
from claimdesk.analyze import language, registry
from claimdesk.clean import clean
from claimdesk.ingest.html import html_document
from claimdesk.model import Analysis, RawDocument, not_analysed_note
from claimdesk.publish.contract import analysis_json
from claimdesk.store import Store
from claimdesk.web import create_app

RUSSIAN = """Мэрия закрыла мост <b>через</b> Неву на ремонт

Мэрия Санкт-Петербурга объявила в понедельник, что Литейный мост будет закрыт для движения на две недели.

"Ремонт необходим, опоры моста пострадали от паводка", - заявил журналистам вице-губернатор Николай Бондаренко.

По его словам, общественный транспорт пустят по Троицкому мосту, а пешеходы смогут пользоваться временным переходом.
"""

GERMAN_PAGE_TAGGED_EN = """<!doctype html><html lang="en"><head><title>Hafen bleibt geschlossen</title></head>
<body><article><h1>Hafen bleibt geschlossen</h1>
<p>Der Hafen von Kiel bleibt nach dem Sturm bis Ende der Woche geschlossen, teilte die Hafenbehörde am Montag mit.</p>
<p>Ein Sprecher sagte, die Schäden an den Kaimauern seien größer als zunächst angenommen, und die Reparaturen würden mehrere Tage dauern.</p>
<p>Fähren nach Norwegen und Schweden fahren vorerst von Lübeck-Travemünde aus, wie die Reedereien mitteilten.</p>
</article></body></html>"""

ENGLISH = """Port reopens after storm

The port of Kiel will reopen on Friday, the harbour authority said on Monday.

"The damage to the quay walls is smaller than we feared," said Anna Berger, a spokeswoman for the authority.
"""


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def only(items) -> Analysis:
    (item,) = list(items)
    assert isinstance(item, Analysis), item
    return item


# -- the rule ---------------------------------------------------------------------------------------


def test_a_german_page_tagged_en_comes_out_german():
    raw = html_document(GERMAN_PAGE_TAGGED_EN)
    assert raw.language == "en"  # what the page declares, kept as evidence
    found = language.identify(clean(raw))
    assert found.code == "de" and found.confidence >= language.SURE


def test_a_russian_plain_text_is_russian():
    found = language.identify(clean(RawDocument(text=RUSSIAN, format="text")))
    assert found.code == "ru" and found.confidence > 0.9


def test_the_declaration_decides_a_text_too_short_to_overrule_it():
    """A one-line text may look like anything to n-grams: what its source declared stands."""
    assert language.identify_text("Hafen Kiel", declared="de").code == "de"
    assert language.identify_text("Status update", declared="en-GB").code == "en"


def test_the_declaration_decides_between_languages_the_text_cannot_tell_apart():
    text = ("Pemerintah daerah menutup jembatan itu selama dua minggu karena perbaikan, "
            "kata juru bicara kepada wartawan pada hari Senin.")
    assert language.identify_text(text, declared="id-ID").code == "id"
    assert language.identify_text(text, declared="ms").code == "ms"


def test_an_unsure_undeclared_short_text_is_taken_as_english_only_when_english_is_plausible():
    assert language.decide([("fr", 0.5), ("en", 0.3)], None, letters=20).code == "en"
    assert language.decide([("bg", 0.3), ("uk", 0.3), ("ru", 0.2), ("en", 0.0)], None, letters=10).code == "bg"
    assert language.decide([("de", 0.99), ("en", 0.01)], None, letters=10).code == "de"  # sure: the text decides


def test_a_text_without_letters_has_no_confidence_to_give():
    found = language.identify_text("12 345 — 67")
    assert found.code == "en" and found.confidence == 0.0


def test_language_tags_are_read_as_their_primary_subtag():
    assert [language.primary_subtag(t) for t in ("en-US", "pt_BR", " DE ", "", None, "x")] == ["en", "pt", "de", None, None, None]


# -- analysis goes by language ------------------------------------------------------------------------


def test_a_russian_text_is_not_analysed_and_says_why(tmp_path):
    analysis = only(pipeline.analyze([write(tmp_path, "most.txt", RUSSIAN)]))
    assert analysis.article.language.code == "ru"
    assert (analysis.claims, analysis.entities, analysis.dates, analysis.headline) == ([], [], [], None)
    assert analysis.analysed_end == 0
    assert analysis.note.startswith("analysis not available in Russian")
    found = analysis_json(analysis)
    assert found["language"] == "ru" and 0.9 < found["language_confidence"] <= 1
    assert found["language_declared"] is None
    assert found["claims"] == found["entities"] == found["dates"] == [] and found["headline"] is None
    assert found["analysed_end"] == 0 and "Russian" in found["analysis_note"]


def test_an_english_text_is_analysed_as_before(tmp_path):
    analysis = only(pipeline.analyze([write(tmp_path, "port.txt", ENGLISH)]))
    assert analysis.article.language.code == "en" and analysis.article.language.confidence > 0.9
    assert analysis.analysed_end is None and analysis.note is None
    assert any(analysis.article.raw.text[c.cue.start:c.cue.end] == "said" for c in analysis.claims)
    assert analysis.headline is not None
    assert analysis_json(analysis)["language"] == "en"


def test_a_registered_pipeline_gets_its_language_and_only_it(tmp_path):
    """The next language plugs in by registering a pipeline: its documents go to it, in
    order among the others, and nothing else does."""
    seen = []

    def german(articles, workers=1):
        for article in articles:
            seen.append(article.title_text)
            yield Analysis(article, analysed_end=None)

    inputs = [write(tmp_path, "a.html", GERMAN_PAGE_TAGGED_EN), write(tmp_path, "b.txt", RUSSIAN)]
    with registry.registered("de", german):
        assert "de" in registry.languages()
        first, second = list(pipeline.analyze(inputs))
    assert "de" not in registry.languages()
    assert seen == ["Hafen bleibt geschlossen"]
    assert first.article.language.code == "de" and first.analysed_end is None
    assert second.article.language.code == "ru" and second.analysed_end == 0


def test_ingest_without_analysis_still_identifies_the_language(tmp_path):
    with Store(str(tmp_path / "s.db")) as store:
        summary = pipeline.ingest([write(tmp_path, "most.txt", RUSSIAN)], store, analyze=False)
        stored = store.get(summary.ids[0])
    assert stored.article.language.code == "ru"


# -- stored, searchable, shown ---------------------------------------------------------------------------


def test_a_russian_text_is_stored_searchable_and_adds_nothing_to_the_corpus(tmp_path):
    with Store(str(tmp_path / "s.db")) as store:
        summary = pipeline.ingest([write(tmp_path, "most.txt", RUSSIAN), write(tmp_path, "page.html", GERMAN_PAGE_TAGGED_EN)],
                                  store)
        russian, german = (store.get(id_) for id_ in summary.ids)
        assert (russian.article.language.code, russian.article.raw.language) == ("ru", None)
        assert 0.9 < russian.article.language.confidence <= 1
        assert (german.article.language.code, german.article.raw.language) == ("de", "en")
        for stored in (russian, german):
            assert (stored.claims, stored.entities, stored.dates, stored.headline) == ([], [], [], None)
            assert stored.analysed_end == 0
        assert russian.analysis.note.startswith("analysis not available in Russian")
        assert [hit.id for hit in store.search("Бондаренко")] == [russian.article.raw.id]
        assert [hit.id for hit in store.search("Kaimauern")] == [german.article.raw.id]
        assert store.speakers() == []
        assert store.stats()["claims"] == 0


def test_the_desk_shows_a_russian_article_as_not_analysed(tmp_path):
    with Store(str(tmp_path / "s.db")) as store:
        (id_,) = pipeline.ingest([write(tmp_path, "most.txt", RUSSIAN)], store).ids
        client = TestClient(create_app(store, base_url="https://desk.example"))
        page = client.get(f"/articles/{id_}")
        api = client.get(f"/api/articles/{id_}").json()
        news = client.get("/").text
        feed = client.get("/feeds/articles.atom").text
    assert page.status_code == 200
    assert "<strong>Not analysed:</strong> analysis not available in Russian" in page.text
    assert "Analysed in part" not in page.text and "analysis-stop" not in page.text
    assert "No attributed claims found" not in page.text  # none were looked for
    assert 'lang="ru"' in page.text
    assert "&lt;b&gt;через&lt;/b&gt;" in page.text and "<b>через</b>" not in page.text  # the text stays escaped
    assert (api["language"], api["language_declared"], api["analysed_end"]) == ("ru", None, 0)
    assert "not analysed (Russian)" in news and "0 claims" not in news  # the news line does not say "0 claims"
    assert "not analysed (Russian)" in feed and "0 claims" not in feed


def test_the_not_analysed_note_names_the_language_in_words():
    from claimdesk.model import Language

    assert not_analysed_note(Language("pt", 0.99)).startswith("analysis not available in Portuguese")
    assert not_analysed_note(Language("ko", 0.99)).startswith("analysis not available in Korean")
    assert not_analysed_note(None).startswith("analysis not available in an unknown language")


def test_mandarin_is_chinese_not_wu():
    """py3langid calls most Mandarin sentences Wu; they are read as Chinese (``language.FOLD``)."""
    found = language.identify_text("上海市政府周一宣布，地铁二号线将关闭两周进行维修，市民可以改乘公共汽车。")
    assert found.code == "zh" and found.name == "Chinese"


def test_a_feed_or_export_language_is_evidence_too(tmp_path):
    """A JSONL record's (or a feed's) language is weighed like <html lang>: a long English
    text tagged de is English, a title-only record keeps its tag."""
    import json

    records = [{"text": ENGLISH, "language": "de-DE", "url": "https://news.example/a"},
               {"text": "Hafenbericht", "language": "de", "url": "https://news.example/b"}]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    with Store(str(tmp_path / "s.db")) as store:
        ids = pipeline.ingest([str(path)], store, analyze=False).ids
        long, short = (store.get(id_) for id_ in ids)
    assert (long.article.language.code, long.article.raw.language) == ("en", "de-DE")
    assert (short.article.language.code, short.article.raw.language) == ("de", "de")


def test_a_page_without_lang_declares_its_open_graph_locale():
    page = ('<html><head><title>Calendário</title><meta property="og:locale" content="pt_BR"></head>'
            "<body><article><p>O calendário da temporada foi divulgado nesta segunda-feira pela organização.</p>"
            "</article></body></html>")
    assert html_document(page).language == "pt"
    assert html_document(page.replace("<html>", '<html lang="es">')).language == "es"  # lang comes first
