"""Hostile batches: whatever bytes arrive, no exception escapes, every input is accounted
for, and the good document in the batch is stored whatever its neighbours are."""

from __future__ import annotations

import gzip
import json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimdesk import pipeline
from claimdesk.store import Store

SKELETONS = [
    "<html><head><title>{t}</title></head><body><p>{t}</p></body></html>",
    "<?xml version='1.0'?><rss version='2.0'><channel><title>{t}</title><item><title>{t}</title><description>{t}</description></item></channel></rss>",
    "<feed xmlns='http://www.w3.org/2005/Atom'><title>{t}</title><entry><title>{t}</title><content>{t}</content></entry></feed>",
    '{{"text": {j}, "title": {j}}}\n{{"html": {j}}}\n',
    "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 10\r\n\r\n{t}",
    "{t}\n\n{t}\n\nShare this\n",
    # shapes that once stopped a batch or stored junk (issue 15)
    "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY a '{t}'><!ENTITY b '&a;&a;&a;&a;'>]><rss version='2.0'><channel>"
    "<title>&b;</title><item><title>{t}</title><description>&b;</description></item></channel></rss>",
    "<html><body>" + "<div>" * 600 + "<p>{t}</p>" + "</div>" * 600 + "</body></html>",
    "<html><body><p " + " ".join(f"a{n}='{n}'" for n in range(2000)) + ">{t}</p></body></html>",
    '{{"text": {j}}}\n{{"text": "nul \x00 byte"}}\n{{"text": {j}, "title": "after"}}\n',
]
GOOD = "Harbour reopens in May\n\nMinister Ivan Petrov said that the harbour would reopen in May.\n"


def near_valid(draw_text: str, skeleton: str, cut: float, gz: bool) -> bytes:
    data = skeleton.format(t=draw_text, j=json.dumps(draw_text)).encode("utf-8", "surrogatepass")
    data = data[: max(1, int(len(data) * cut))]
    return gzip.compress(data) if gz else data


inputs = st.one_of(
    st.binary(max_size=400),
    st.builds(near_valid, st.text(max_size=200), st.sampled_from(SKELETONS), st.floats(0.05, 1.0), st.booleans()),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(inputs, min_size=1, max_size=6))
def test_no_exception_escapes_a_batch_and_every_input_is_accounted_for(tmp_path_factory, batch):
    folder = tmp_path_factory.mktemp("batch")
    paths = []
    for n, data in enumerate([*batch, GOOD.encode()]):
        path = folder / f"input-{n}.bin"
        path.write_bytes(data)
        paths.append(str(path))
    class Seen(pipeline.Sink):
        def __init__(self):
            self.paths = set()

        def article(self, analysis, added):
            self.paths.add(analysis.article.raw.path)

    seen = Seen()
    with Store(f"sqlite:///{folder / 'c.db'}") as store:
        summary = pipeline.ingest(paths, store, sink=seen)
        stored = store.stats()["documents"]
        recorded = store.stats()["errors"]
    for path in paths:  # each input gave a document, or an error that names it
        assert path in seen.paths or any(e.input.startswith(path) and e.cause for e in summary.errors)
    assert paths[-1] in seen.paths  # nothing good lost
    assert recorded == len(summary.errors)
    assert stored == summary.new + summary.versions
