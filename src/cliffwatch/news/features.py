"""Terms of a text for the learned layer: lemma word n-grams plus lexicon tokens.

The classifier (:mod:`cliffwatch.news.classifier`) sees each sentence as a bag of terms:

* ``w:<key>`` and ``b:<key> <key>`` - lemma-key unigrams and bigrams
  (:mod:`cliffwatch.news.lemmas`; numbers become one ``#`` key, punctuation is dropped);
* ``c:<concept>`` and ``m:<movement>`` - every subject concept and movement class of the rules
  file (``catalysts.yaml``) found in the sentence;
* ``p:<concept>__<movement>`` - a concept and a movement in the same sentence, at any distance;
* ``n:<concept>__<movement>`` - the same pair with a negator between them or just before the
  first of them ("spreads did not widen").

The lexicon tokens let the model generalise through the editable lexicon rather than memorise
words: a new synonym added to a concept reaches every item mentioning it. The rules' final
catalyst decisions are deliberately *not* terms (they were tuned on the training items, so a
model would learn to trust them where they miss).
"""

from __future__ import annotations

from functools import lru_cache

from cliffwatch.news.catalysts import _any
from cliffwatch.news.compose import _find, lexicon
from cliffwatch.news.lemmas import Token, tokens
from cliffwatch.news.rules import CatalystRules
from cliffwatch.news.sentences import sentences

NUMBER_KEY = "#"
"""Key of every number ("110,000", "4.5", "2027"): amounts differ by writer, not by event."""
_PUNCT = frozenset(",;:()\u2014\u2013")


def _word_terms(words: list[str]) -> list[str]:
    uni = [f"w:{k}" for k in words]
    return uni + [f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def _negated_between(sentence: str, toks: list[Token], a: tuple[int, int], b: tuple[int, int],
                     rules: CatalystRules) -> bool:
    """A negator between the starts of the two spans, or within ``negation_window_words``
    before the first of them (as the rules' own negation test)."""
    first, last = sorted((a, b))
    lo = max(0, first[0] - rules.negation_window_words)
    region = sentence[toks[lo].start:toks[max(last[0], first[0])].start]
    neg = _any(rules.negators)
    return neg is not None and neg.search(region) is not None


def lexicon_terms(sentence: str, rules: CatalystRules) -> list[str]:
    """``c:``, ``m:``, ``p:`` and ``n:`` terms of one sentence (see the module docstring)."""
    lex, toks = lexicon(rules), tokens(sentence)
    keys = [t.key for t in toks]
    concepts = {c: _find(keys, e, lex) for c, e in lex.concepts.items()}
    moves = {m: _find(keys, e, lex) for m, e in lex.movements.items()}
    concepts = {c: s for c, s in concepts.items() if s}
    moves = {m: s for m, s in moves.items() if s}
    out = [f"c:{c}" for c in concepts] + [f"m:{m}" for m in moves]
    for c, cspans in concepts.items():
        for m, mspans in moves.items():
            out.append(f"p:{c}__{m}")
            if any(_negated_between(sentence, toks, a, b, rules) for a in cspans for b in mspans):
                out.append(f"n:{c}__{m}")
    return out


_RULES: dict[int, CatalystRules] = {}


@lru_cache(maxsize=65536)
def _sentence_terms(sentence: str, rules_id: int) -> tuple[str, ...]:
    rules = _RULES[rules_id]
    words = [NUMBER_KEY if t.key[0].isdigit() else t.key
             for t in tokens(sentence) if t.key not in _PUNCT]
    return tuple(_word_terms(words) + lexicon_terms(sentence, rules))


def sentence_terms(sentence: str, rules: CatalystRules) -> tuple[str, ...]:
    """Every term of one sentence (word n-grams, then lexicon tokens); cached per rules
    object (the rules objects are kept alive by the registry, so ids are never reused)."""
    _RULES.setdefault(id(rules), rules)
    return _sentence_terms(sentence, id(rules))


def text_terms(text: str, rules: CatalystRules) -> tuple[list[str], list[tuple[str, ...]]]:
    """The sentences of ``text`` (:func:`cliffwatch.news.sentences.sentences`) and their terms;
    a document's terms are the concatenation of its sentences' terms."""
    sents = sentences(text)
    return sents, [sentence_terms(s, rules) for s in sents]
