"""The learned layer: features, the linear scorer against scikit-learn, the shipped file
(no pickle, fresh, deterministic), and the combined detector's rules (negation, hedging,
evidence, direction conflicts, thresholds)."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from cliffwatch.news import train
from cliffwatch.news.catalysts import Catalyst, Evidence, detect
from cliffwatch.news.classifier import Classifier, default_model_path, load, save
from cliffwatch.news.detector import (
    MODEL_ONLY_UNREAD_THRESHOLD,
    ModelOnlyGate,
    ModelScores,
    combine_catalysts,
    combine_tags,
    detect_all,
    has_reading,
    model_scores,
)
from cliffwatch.news.errors import NewsError
from cliffwatch.news.evaluate import main
from cliffwatch.news.features import NUMBER_KEY, lexicon_terms, sentence_terms, text_terms
from cliffwatch.news.labelled import DEFAULT_ITEMS
from cliffwatch.news.rules import TAGS, load_catalyst_rules

RULES = load_catalyst_rules()
STALE = "classifier is stale: run python -m cliffwatch.news.train"


# --- features ---------------------------------------------------------------------------

def test_lexicon_tokens_name_concept_movement_and_their_pair() -> None:
    terms = lexicon_terms("Credit spreads widened sharply.", RULES)
    assert {"c:credit_spreads", "m:widen", "p:credit_spreads__widen"} <= set(terms)
    assert not [t for t in terms if t.startswith("n:")]


def test_pairs_count_at_any_distance_and_negation_is_marked() -> None:
    far = lexicon_terms("Spreads, after a quiet month of thin trading in the market, widened.",
                        RULES)
    assert "p:credit_spreads__widen" in far and "n:credit_spreads__widen" not in far
    neg = lexicon_terms("Spreads did not widen.", RULES)
    assert {"p:credit_spreads__widen", "n:credit_spreads__widen"} <= set(neg)


def test_word_terms_are_lemma_unigrams_and_bigrams_with_one_number_key() -> None:
    terms = sentence_terms("Rents fell 12% to 110,000 dollars.", RULES)
    assert {"w:rent", "w:fall", f"w:{NUMBER_KEY}", "b:rent fall", f"b:fall {NUMBER_KEY}"} \
        <= set(terms)
    assert "w:110,000" not in terms and "w:12" not in terms


def test_text_terms_split_sentences_with_the_title_as_one() -> None:
    sents, terms = text_terms("Title here.\nFirst sentence. Second one.", RULES)
    assert sents == ["Title here.", "First sentence.", "Second one."]
    assert len(terms) == 3 and "w:titl" in terms[0]


# --- the linear scorer ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_model() -> tuple[Classifier, list[list[str]], list[dict[str, object]]]:
    items = train.seen_items([DEFAULT_ITEMS])
    model = train.fit(items, RULES, c_catalysts=5.0, c_tags=5.0)
    docs = [[t for s in text_terms(train.text_of(i), RULES)[1] for t in s] for i in items]
    return model, docs, items


def test_numpy_scores_equal_scikit_learn_predict_proba(
        small_model: tuple[Classifier, list[list[str]], list[dict[str, object]]]) -> None:
    model, docs, items = small_model
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, min_df=train.MIN_DF)
    x = vec.fit_transform(docs)
    assert list(vec.get_feature_names_out()) == list(model.terms)
    np.testing.assert_allclose(model.matrix(docs).toarray(), x.toarray(), rtol=0, atol=1e-12)
    k = model.index("spread_widening:stress")
    y = np.array(["spread_widening:stress" in train.truth(i) for i in items])
    ref = LogisticRegression(C=5.0, class_weight="balanced", max_iter=5000).fit(x, y)
    unseen = [["w:spread", "w:widen", "p:credit_spreads__widen", "w:never-seen-term"]]
    for d in (docs, unseen):
        ours = model.probabilities(d)[:, k]
        theirs = ref.predict_proba(vec.transform(d))[:, 1]
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)


def test_a_label_without_examples_never_fires(
        small_model: tuple[Classifier, list[list[str]], list[dict[str, object]]]) -> None:
    model, docs, _ = small_model
    empty = dataclasses.replace(model, intercept=np.full_like(model.intercept, -np.inf))
    assert np.all(empty.probabilities(docs) == 0.0)


# --- the shipped file -----------------------------------------------------------------------

def test_shipped_model_is_fresh() -> None:
    # fails when a seen labelled set, catalysts.yaml or topics.yaml changed since training
    assert load().digest == train.digest(train.seen_items()), STALE


def test_digest_sees_labels_texts_and_rules(tmp_path: Path) -> None:
    items = train.seen_items([DEFAULT_ITEMS])
    base = train.digest(items)
    relabelled = [items[0] | {"tags": [*items[0]["tags"], "energy"]}, *items[1:]]
    assert train.digest(relabelled) != base
    assert train.digest([items[0] | {"body": items[0]["body"] + " "}, *items[1:]]) != base
    rules = tmp_path / "catalysts.yaml"
    rules.write_bytes(Path(str(default_model_path()).replace("classifier.npz",
                                                             "catalysts.yaml")).read_bytes()
                      + b"\n# edited\n")
    topics = Path(str(default_model_path()).replace("classifier.npz", "topics.yaml"))
    assert train.digest(items, [rules, topics]) != base
    assert not any(i["split"] == "blind" for i in train.seen_items())


def test_shipped_model_has_no_object_arrays_and_is_small() -> None:
    path = default_model_path()
    assert path.stat().st_size < 3_000_000
    with np.load(path, allow_pickle=False) as z:
        assert all(z[k].dtype.kind != "O" for k in z.files)
    model = load()
    assert model.labels == train.LABELS
    assert model.coef.shape == (len(train.LABELS), len(model.terms))
    is_tag = np.array([lab in TAGS for lab in model.labels])
    assert np.all(model.thresholds[is_tag] == train.THRESHOLD_TAGS)
    assert np.all(model.thresholds[~is_tag] == train.THRESHOLD_CATALYSTS)


def test_a_pickled_array_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    np.savez(bad, format_version=np.array(1), terms=np.array([{"x": 1}], dtype=object))
    with pytest.raises(NewsError, match="cannot read the news classifier"):
        load(bad)
    with pytest.raises(NewsError, match="cannot read"):
        load(tmp_path / "missing.npz")


def test_training_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    train.train(a, [DEFAULT_ITEMS])
    train.train(b, [DEFAULT_ITEMS])
    assert a.read_bytes() == b.read_bytes()
    assert zipfile.ZipFile(a).namelist()[0] == "format_version.npy"
    m = load(a)
    save(m, tmp_path / "c.npz")
    assert (tmp_path / "c.npz").read_bytes() == a.read_bytes()


# --- the combined detector ------------------------------------------------------------------

def _firing(model: Classifier) -> Classifier:
    """The shipped model with every threshold at 0: it fires on every label."""
    return dataclasses.replace(model, thresholds=np.zeros_like(model.thresholds))


def test_negated_sentence_is_not_revived_by_the_model() -> None:
    for text in ("Spreads did not widen.", "High-yield spreads did not widen this week."):
        cats, _ = detect_all(text, classifier=_firing(load()))
        assert "spread_widening" not in {c.name for c in cats}, text
        cats, _ = detect_all(text)
        assert "spread_widening" not in {c.name for c in cats}, text


LABELS = train.LABELS


def _scores(sentences: list[str], doc: dict[str, float],
            per_sentence: dict[str, list[float]]) -> ModelScores:
    d = np.zeros(len(LABELS))
    s = np.zeros((len(sentences), len(LABELS)))
    for lab, p in doc.items():
        d[LABELS.index(lab)] = p
    for lab, ps in per_sentence.items():
        s[:, LABELS.index(lab)] = ps
    return ModelScores(sentences, d, s)


THR = np.full(len(LABELS), 0.5)


def test_model_evidence_is_its_best_sentence_and_a_hedge_halves_it() -> None:
    sents = ["Lenders met on Monday.", "Only a handful of funds may end up holding the paper."]
    sc = _scores(sents, {"crowded_funding:stress": 0.9}, {"crowded_funding:stress": [0.2, 0.7]})
    [c] = combine_catalysts([], sc, LABELS, THR, RULES)
    assert (c.name, c.direction) == ("crowded_funding", "stress")
    assert c.confidence == pytest.approx(0.9 * RULES.hedge_factor)
    [e] = c.evidence
    assert (e.sentence, e.source, e.hedged) == (sents[1], "model", True)
    sc = _scores(sents, {"crowded_funding:stress": 0.49}, {"crowded_funding:stress": [0.2, 0.7]})
    assert combine_catalysts([], sc, LABELS, THR, RULES) == []


def test_direction_conflict_goes_to_the_higher_confidence() -> None:
    sents = ["Spreads tightened."]
    rule = Catalyst("spread_widening", "stress", 0.8,
                    (Evidence(sents[0], "x", "stress", 0.8, False),))
    sc = _scores(sents, {"spread_widening:relief": 0.9}, {"spread_widening:relief": [0.9]})
    [c] = combine_catalysts([rule], sc, LABELS, THR, RULES)
    assert (c.direction, c.confidence, c.evidence[0].source) == ("relief", 0.9, "model")
    strong = dataclasses.replace(rule, confidence=0.95)
    [c] = combine_catalysts([strong], sc, LABELS, THR, RULES)
    assert c == strong
    agree = _scores(sents, {"spread_widening:stress": 0.9}, {"spread_widening:stress": [0.9]})
    [c] = combine_catalysts([rule], agree, LABELS, THR, RULES)
    assert (c.direction, c.confidence, c.evidence) == ("stress", 0.9, rule.evidence)


def test_tags_are_rules_or_model_in_taxonomy_order() -> None:
    sc = _scores(["x"], {"energy": 0.6, "real_estate": 0.4}, {})
    assert combine_tags(["technology"], sc, LABELS, THR) == ["technology", "energy"]


def test_rules_only_is_the_rule_detector() -> None:
    text = "Junk bond spreads widened by 60 basis points. Oracle missed earnings estimates."
    cats, _ = detect_all(text, classifier=False)
    assert cats == detect(text, RULES)
    both, _ = detect_all(text)
    assert {(c.name, c.direction) for c in cats} <= {(c.name, c.direction) for c in both}


def test_model_finds_what_the_rules_miss() -> None:
    # wordings the final rules miss (docs/NEWS.md step 20; "40% of the racks have yet to find a
    # customer" is a rule family since step 25), none of them a training item
    text = "Clusters built for a customer who walked away remain dark."
    assert detect(text, RULES) == []
    [c] = [c for c in detect_all(text)[0] if c.name == "utilization_lag"]
    assert c.direction == "stress" and c.evidence[0].source == "model"


def test_model_only_gate_holds_back_an_unread_finding() -> None:
    # the model scores "concentrated" funding as crowded at its own threshold, but no subject
    # and movement of the catalyst's compositions pair up in the sentence: below the
    # no-reading threshold the shipped gate does not report it (docs/NEWS.md)
    text = "Funding for neocloud loans has become concentrated."
    model = load()
    s = model_scores(text, model, RULES)
    p = s.doc[model.index("crowded_funding:stress")]
    assert detect(text, RULES) == [] and not has_reading(text, "crowded_funding", "stress", RULES)
    assert model.thresholds[model.index("crowded_funding:stress")] <= p < \
        MODEL_ONLY_UNREAD_THRESHOLD
    open_gate = ModelOnlyGate(0.0, 0.0)
    assert [c.name for c in combine_catalysts([], s, model.labels, model.thresholds, RULES,
                                              open_gate)] == ["crowded_funding"]
    assert "crowded_funding" not in {c.name for c in detect_all(text)[0]}


def test_train_refuses_unknown_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert train.main(["--bogus"]) == 2 and train.main(["--out"]) == 2
    assert "usage" in capsys.readouterr().err


def test_evaluate_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rules-only", str(DEFAULT_ITEMS)]) == 0
    assert "detector: rules only" in capsys.readouterr().out
    assert main([str(DEFAULT_ITEMS)]) == 0
    assert "detector: rules OR learned layer" in capsys.readouterr().out
    assert main(["--bogus"]) == 2
    assert "unknown option" in capsys.readouterr().err
