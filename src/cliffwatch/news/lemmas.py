"""Word tokens and lemmas by suffix rules: "widened", "widening", "widens" -> one key.

No model and no download: a few English suffix rules plus the irregular verbs the news uses,
applied alike to the text and to the lexicons of ``catalysts.yaml``, so a lexicon entry
"rise" matches "rose", "risen", "rises" and "rising". The keys are stems, not dictionary
words ("rise" -> "ris"); only equality between two keys matters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

IRREGULAR: dict[str, str] = {
    "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "slid": "slide",
    "sank": "sink", "sunk": "sink", "blew": "blow", "blown": "blow", "grew": "grow",
    "grown": "grow", "shrank": "shrink", "shrunk": "shrink", "held": "hold", "froze": "freeze",
    "frozen": "freeze", "swung": "swing", "drew": "draw", "drawn": "draw", "stood": "stand",
    "went": "go", "gone": "go", "took": "take", "taken": "take", "left": "leave",
    "sprang": "spring", "sprung": "spring", "beaten": "beat", "spent": "spend", "sold": "sell",
    "shot": "shoot", "struck": "strike", "dove": "dive", "ran": "run", "kept": "keep",
    "sought": "seek", "paid": "pay", "repaid": "repay", "prepaid": "prepay", "lent": "lend",
    "won": "win", "bought": "buy", "brought": "bring", "fought": "fight", "dealt": "deal",
    "led": "lead", "fled": "flee", "spun": "spin", "began": "begin", "begun": "begin",
    "became": "become", "got": "get", "gotten": "get", "gave": "give", "given": "give",
    "saw": "see", "seen": "see", "wrote": "write", "written": "write", "outran": "outrun",
    "overtook": "overtake", "overtaken": "overtake", "withdrew": "withdraw",
    "withdrawn": "withdraw", "undertook": "undertake", "wound": "wind", "found": "find",
    "signalled": "signal", "signalling": "signal", "totalled": "total", "equalled": "equal",
    "came": "come", "lost": "lose", "built": "build", "crept": "creep", "leapt": "leap",
    "sat": "sit", "swept": "sweep", "made": "make", "caught": "catch", "broke": "break",
    "broken": "break", "drove": "drive", "driven": "drive", "threw": "throw",
    "thrown": "throw", "laid": "lay", "bore": "bear", "borne": "bear", "flew": "fly",
    "flown": "fly", "overran": "overrun", "outgrew": "outgrow", "outgrown": "outgrow",
    "underwent": "undergo", "undergone": "undergo", "shook": "shake", "shaken": "shake",
    "stuck": "stick", "hung": "hang", "sped": "speed", "spilt": "spill", "tore": "tear",
    "torn": "tear", "wore": "wear", "worn": "wear", "rode": "ride", "ridden": "ride",
    # the verb "firmed" is a price rising; the plural noun "firms" (companies) is not
    "firmed": "firm up", "firming": "firm up",
}
"""Irregular past forms -> base form (the suffix rules cannot see these)."""
MIN_STEM = 3
"""Shortest stem a suffix may be stripped down to (letters): "bed" stays "bed"."""
_KEEP_DOUBLE = frozenset("lsz")
"""Doubled final letters kept after stripping -ed/-ing: "stalled" -> "stall", "missed"."""
_TOKEN = re.compile(r"(?<![\w.])[-+\u2212]\d+(?:[.,]\d+)*|\d+(?:[.,]\d+)*"
                    r"|[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*|[,;:()\u2014\u2013]")
"""A signed number ("-8" of "-8%", kept signed: a move written as a number), a number
("110,000" and "4.5" whole), a word (hyphenated compounds and apostrophes kept whole:
"lower-rated", "didn't") or a clause punctuation mark."""
_SIGNS = {"-": "-", "+": "+", "\u2212": "-"}
"""Leading signs of a signed number -> the sign kept in its key (a typographic minus is "-")."""


@dataclass(frozen=True)
class Token:
    """One token of a sentence: its lemma key and its character span."""

    key: str
    start: int
    end: int


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_BRITISH_DOUBLE_L = ("ell", "oll")
"""British spelling doubles a final l after an unstressed vowel: "cancelled", "labelled",
"controlled" -> cancel, label, control; one-syllable "swelled", "rolled" keep theirs."""


def _undouble(stem: str) -> str:
    if len(stem) > MIN_STEM and stem[-1] == stem[-2] and stem[-1] not in _KEEP_DOUBLE:
        return stem[:-1]
    if stem.endswith(_BRITISH_DOUBLE_L) and len(_VOWEL_GROUPS.findall(stem)) >= 2:
        return stem[:-1]
    return stem


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The comparison key of one word: lowercase, irregular forms mapped, then one of the
    suffixes -ies/-ied (-> y), -ing, -ed, -es (after s/sh/ch/x/z), -s stripped and a final e
    dropped ("rises", "rising", "rise" -> "ris"; "dropped" -> "drop")."""
    w = IRREGULAR.get(word.lower(), word.lower())
    if not w.isalpha():
        return w
    if w.endswith(("ies", "ied")) and len(w) > MIN_STEM + 2:
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) - 3 >= MIN_STEM:
        w = _undouble(w[:-3])
    elif w.endswith("ed") and not w.endswith("eed") and len(w) - 2 >= MIN_STEM:
        w = _undouble(w[:-2])
    elif w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > MIN_STEM:
        w = w[:-1]
    if w.endswith("e") and len(w) > MIN_STEM:
        w = w[:-1]
    return w


def word_key(word: str) -> str:
    """:func:`lemma` of a word; of a hyphenated compound, its last part's lemma joined to the
    rest ("lower-rated" -> "lower-rat": not the noun "rates")."""
    head, _, last = word.lower().rpartition("-")
    return f"{head}-{lemma(last)}" if head else lemma(last)


def _key(token: str) -> str:
    if token[0] in _SIGNS and len(token) > 1:
        return _SIGNS[token[0]] + token[1:]
    return word_key(token)


def tokens(text: str) -> list[Token]:
    """The tokens of ``text`` with lemma keys (punctuation marks keep themselves as key, a
    signed number its sign)."""
    return [Token(_key(m.group(0)), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def phrase_keys(phrase: str) -> tuple[str, ...]:
    """The lemma keys of a lexicon entry ("blew out" -> ("blow", "out"))."""
    return tuple(t.key for t in tokens(phrase))
