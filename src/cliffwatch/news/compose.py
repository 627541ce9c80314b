"""Compositional catalyst matching: a SUBJECT concept and a MOVEMENT with a direction.

"H100 rental rates slipped", "the cost to rent a GPU by the hour tumbled" and "rents for
Blackwell systems have been falling" are one event: a GPU-rent subject and a downward
movement. Instead of one phrase per wording, ``catalysts.yaml`` lists subject concepts and
movement classes once; a catalyst maps (subject, movement class) to stress or relief. Both
lexicons are matched on lemma keys (:mod:`cliffwatch.news.lemmas`), inside one clause, at
most ``compose_window_words`` words apart, either order; each subject mention takes its
nearest movement.

Movements written as numbers count too: a lexicon entry may hold the placeholder ``#`` (any
number or number word: "down #", "# below", "cut by #"), a signed number ("-8%") is a move
of its sign, and "to $11,000 from $18,000" / "from 4.5% to 5%" is a move whose class
(``up``/``down``) the two numbers decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cliffwatch.news.lemmas import Token, lemma, phrase_keys, tokens
from cliffwatch.news.rules import CatalystRule, CatalystRules, Direction

_BREAK_MARKS = frozenset(",;:()\u2014\u2013")
"""Punctuation that always ends a clause (a comma too: "yields, raising costs"), unless a
clause continuer follows a comma."""
NUMBER = "#"
"""Placeholder of a lexicon entry for any number token or number word."""
_NUMERIC = re.compile(r"^[-+]?\d")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
"""Scale words after a number ("$1.2 billion"), so "to $900 million from $1.2 billion" falls."""
_APPROX = frozenset({"about", "around", "roughly", "nearly", "almost", "some", "just",
                     "over", "under", "near", "approximately", "an", "a"})
"""Words allowed between "to"/"from" and its number ("to about $11,000")."""
NUMBER_VALUES = {lemma(w): float(v) for v, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
"""Number words read as values ("four years instead of six")."""
_UNITS = frozenset({"bn", "billion", "million", "mn", "m", "trillion", "percent", "bp", "bps",
                    "cent", "point", "percentag", "basis", "time", "x"})
"""Words a number may carry before the rest of an entry: "$3bn above", "15 bp wider"."""
_COMPARE_MARKS: tuple[tuple[str, ...], ...] = (
    ("instead", "of"), ("rather", "than"), ("against",), ("versus",), ("vs",),
    ("compar", "with"), ("compar", "to"))
"""X <mark> Y: the new figure X set against the old one Y ("four years instead of six",
"310 bp, against 225 in March")."""
COMPARE_REACH = 6
"""Most tokens between X and the mark (its unit and a few words: "310 bp over SOFR, against")."""
FROM_TO_GAP = 2
"""Most words between the two halves of "to X from Y" / "from X to Y" (a scale word, "$")."""
_SIGN_CLASS = {"-": "down", "+": "up"}
_ARTICLES = frozenset({"a", "an", "the", NUMBER})
AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "has", "have", "had", "will",
                         "would", "could", "can", "may", "might", "should", "did", "does",
                         "do", "remain", "remains", "remained", "stay", "stays", "stayed"})
"""Words that end a noun phrase's prepositional complement ("prices for Hopper GPUs | have
... ticked higher"): the verb group starts there. Matched on the raw lowercase word."""
"""Movement class of a signed number token."""

Span = tuple[int, int]
"""Token index range ``[i, j)``."""
Entries = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: the sentence cache keys on it
class Lexicon:
    """The lemma keys of every concept and movement of one rules file."""

    concepts: dict[str, Entries]
    movements: dict[str, Entries]
    breaks: frozenset[str]
    continuers: Entries
    not_movements: Entries
    number_words: frozenset[str]
    verbs: frozenset[str]
    """First words of every movement entry: a verb or comparative ends a noun phrase."""


@dataclass(frozen=True)
class Composed:
    """One subject x movement match: character span, direction and weight."""

    start: int
    end: int
    direction: Direction
    weight: float
    move: tuple[int, int] = (0, 0)
    """Character span of the movement: its own words ("no longer confined") are no negation."""


_LEXICONS: dict[int, tuple[CatalystRules, Lexicon]] = {}


def _entry_keys(entry: str) -> tuple[str, ...]:
    """Lemma keys of one lexicon entry, the ``#`` placeholder kept as is."""
    return tuple(k for part in entry.split()
                 for k in ((NUMBER,) if part == NUMBER else phrase_keys(part)))


def _entries(words: list[str]) -> Entries:
    return tuple(sorted({_entry_keys(w) for w in words} - {()}))


def lexicon(rules: CatalystRules) -> Lexicon:
    """The lemmatised lexicons of ``rules`` (cached per rules object)."""
    hit = _LEXICONS.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]
    lex = Lexicon({k: _entries(v) for k, v in rules.concepts.items()},
                  {k: _entries(v) for k, v in rules.movements.items()},
                  frozenset(k for w in rules.clause_breaks for k in phrase_keys(w)),
                  _entries(rules.clause_continuers), _entries(rules.not_movements),
                  frozenset(k for w in rules.number_words for k in phrase_keys(w)),
                  frozenset(e[0] for v in rules.movements.values() for e in _entries(v)
                            if e[0] not in _ARTICLES))
    _LEXICONS[id(rules)] = (rules, lex)
    return lex


@lru_cache(maxsize=256)
def _by_first(entries: Entries) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for e in entries:
        out.setdefault(e[0], []).append(e)
    return out


def _is_number(key: str, lex: Lexicon) -> bool:
    return bool(_NUMERIC.match(key)) or key in lex.number_words


def _match_end(keys: list[str], i: int, entry: tuple[str, ...], lex: Lexicon) -> int:
    """End of ``entry`` matched at token ``i`` (-1 if it does not match). ``#`` takes a
    number, approximators before it ("up roughly 15%") and units after it ("$3bn above")."""
    if not entry:
        return i
    e = entry[0]
    if e != NUMBER:
        return _match_end(keys, i + 1, entry[1:], lex) if i < len(keys) and keys[i] == e else -1
    while i < len(keys) and keys[i] in _APPROX and i + 1 < len(keys) \
            and _is_number(keys[i + 1], lex):
        i += 1
    if i >= len(keys) or not _is_number(keys[i], lex):
        return -1
    j = i + 1
    while True:
        end = _match_end(keys, j, entry[1:], lex)
        if end >= 0 or j >= len(keys) or keys[j] not in _UNITS:
            return end
        j += 1


def _find(keys: list[str], entries: Entries, lex: Lexicon) -> list[Span]:
    """Token spans of every entry (a word sequence, ``#`` any number) in ``keys``."""
    index = _by_first(entries)
    out = []
    for i, k in enumerate(keys):
        first = index.get(k, []) + (index.get(NUMBER, [])
                                    if _is_number(k, lex) or k in _APPROX else [])
        out += [(i, end) for e in first if (end := _match_end(keys, i, e, lex)) > i]
    return out


def _value(keys: list[str], i: int) -> tuple[float, int] | None:
    """The number starting at or just after token ``i`` (approximators and "$" skipped),
    scaled by a following "million"/"billion", and the index after it."""
    while i < len(keys) and keys[i] in _APPROX:
        i += 1
    v = _number(keys[i]) if i < len(keys) else None
    if v is None:
        return None
    if i + 1 < len(keys) and keys[i + 1] in _SCALES:
        return v * _SCALES[keys[i + 1]], i + 2
    return v, i + 1


def _number(key: str) -> float | None:
    """Value of a number token ("110,000", "4.5"), a number word, or a number-word compound
    ("six-year" is 6)."""
    head = key.split("-")[0]
    if head in NUMBER_VALUES:
        return NUMBER_VALUES[head]
    if not _NUMERIC.match(key):
        return None
    try:
        return float(key.replace(",", ""))
    except ValueError:
        return None


def _compared(keys: list[str]) -> list[tuple[Span, str]]:
    """X <mark> Y moves: "four years instead of six" (down), "310 ... against 225" (up)."""
    out: list[tuple[Span, str]] = []
    for j in range(len(keys)):
        mark = next((m for m in _COMPARE_MARKS if tuple(keys[j:j + len(m)]) == m), None)
        if mark is None:
            continue
        xs = [i for i in range(max(j - COMPARE_REACH, 0), j) if _number(keys[i]) is not None]
        second = _value(keys, j + len(mark))
        if not xs or second is None:
            continue
        new = _value(keys, xs[-1])
        if new is None or new[0] == second[0]:
            continue
        # the move is the comparison ("against 225"): X may be the subject's own figure
        out.append(((j, second[1]), "down" if new[0] < second[0] else "up"))
    return out


_DISPERSION = frozenset(k for w in ("range", "ranging", "ranges", "vary", "varies", "varying",
                                     "span", "spans", "spanning", "anywhere")
                        for k in phrase_keys(w))
"""Keys just before "from X to Y" that make it a spread of today's quotes, not a move
("quotes range from $0.52 to $14.90")."""


def numeric_moves(keys: list[str]) -> list[tuple[Span, str]]:
    """Moves written as numbers: "to X from Y" and "from Y to X" (``down`` when X < Y,
    ``up`` when X > Y; not after "range", "vary" ...: a spread of quotes is no move),
    "X instead of / rather than / against Y", and signed numbers ("-8%" down, "+3%" up), as
    (span, class)."""
    out: list[tuple[Span, str]] = _compared(keys)
    for i, k in enumerate(keys):
        if k[:1] in _SIGN_CLASS and _NUMERIC.match(k):
            out.append(((i, i + 1), _SIGN_CLASS[k[:1]]))
        if k not in ("to", "from") or (k == "from" and _DISPERSION & set(keys[max(0, i - 2):i])):
            continue
        first = _value(keys, i + 1)
        if first is None:
            continue
        other = "from" if k == "to" else "to"
        j = next((j for j in range(first[1], min(first[1] + FROM_TO_GAP + 1, len(keys)))
                  if keys[j] == other), None)
        second = _value(keys, j + 1) if j is not None else None
        if second is None or second[0] == first[0]:
            continue
        new, old = (first[0], second[0]) if k == "to" else (second[0], first[0])
        out.append(((i, second[1]), "down" if new < old else "up"))
    return out


def _clauses(keys: list[str], breaks: frozenset[str], continuers: Entries,
             lex: Lexicon) -> list[int]:
    """Clause number of every token (a break token starts a new clause, except a comma
    followed by a clause continuer: "$110,000, down from $180,000")."""
    cont = {s[0] - 1 for s in _find(keys, continuers, lex)}
    out, n = [], 0
    for i, k in enumerate(keys):
        n += (k in _BREAK_MARKS and not (k == "," and i in cont)) or k in breaks
        out.append(n)
    return out


def _gap(a: Span, b: Span, wpos: list[int]) -> int:
    """Words strictly between two spans, punctuation not counted (-1 when they overlap);
    ``wpos[i]`` is the number of words before token ``i``."""
    if b[0] >= a[1]:
        return wpos[b[0]] - wpos[a[1]]
    return wpos[a[0]] - wpos[b[1]] if a[0] >= b[1] else -1


@dataclass(frozen=True)
class _Sentence:
    """One sentence prepared once for every catalyst: tokens, clauses, concept mentions."""

    toks: list[Token]
    keys: list[str]
    clause: list[int]
    concept_spans: dict[str, list[Span]]
    masked: frozenset[int]
    numeric: list[tuple[Span, str]]
    verbs: frozenset[str]
    words: list[str]
    wpos: list[int]
    """Words (not punctuation) before each token, and one past the end."""
    compounds: list[Span]
    """Multi-word concept mentions: a movement strictly inside one ("cut" in "rate cut") is
    part of a noun, not a move."""


GOVERNING_PREPOSITIONS = frozenset({"of", "for", "on", "at"})
"""A concept word after one of these and a noun phrase's head ("rents for B200 capacity",
"lease rates for clusters") is the head's complement, not a subject of its own."""
COMPLEMENT_PREPOSITIONS = frozenset({"at", "of", "in", "for", "on", "across", "among"})
"""Prepositions that open a complement of the subject ("occupancy at its campuses")."""
COMPLEMENT_WORDS = 5
"""Most words of such a complement after its preposition (not counted in the window)."""
MODIFIER_WORDS = 3
"""Most words between such a preposition and the complement ("for Nvidia B200 capacity")."""


@lru_cache(maxsize=2048)
def _prepare(sentence: str, lex: Lexicon) -> _Sentence:
    toks = tokens(sentence)
    keys = [t.key for t in toks]
    spans = {c: _find(keys, e, lex) for c, e in lex.concepts.items()}
    masked = frozenset(i for a, b in _find(keys, lex.not_movements, lex) for i in range(a, b))
    wpos = [0]
    for k in keys:
        wpos.append(wpos[-1] + (k not in _BREAK_MARKS))
    compound = [(a, b) for v in spans.values() for a, b in v if b - a > 1]
    return _Sentence(toks, keys, _clauses(keys, lex.breaks, lex.continuers, lex), spans,
                     masked, numeric_moves(keys), lex.verbs,
                     [sentence[t.start:t.end].lower() for t in toks], wpos, compound)


def _subordinate(span: Span, own: frozenset[str], sent: _Sentence) -> bool:
    """True when ``span`` is inside a longer concept mention ("construction" in
    "construction loan", "bridge" in "bridge loan": the longest mention is the subject), or
    is the complement of a mention of a concept the rule does not ``own`` ("capacity" in
    "rents for B200 capacity" is no utilization subject): the movement then belongs to that
    other mention."""
    a, b = span
    others = [(c, s) for c, spans in sent.concept_spans.items() for s in spans]
    if any(s[0] <= a and b <= s[1] and s[1] - s[0] > b - a for _, s in others):
        return True
    for p in range(a - 1, max(a - 2 - MODIFIER_WORDS, -1), -1):
        if sent.keys[p] in _BREAK_MARKS or sent.keys[p] in sent.verbs:
            return False
        if sent.keys[p] in GOVERNING_PREPOSITIONS:
            return any(s[1] == p and c not in own for c, s in others)
    return False


def _complement(subj: Span, move: Span, sent: _Sentence) -> int:
    """Length of a short prepositional phrase right after the subject, before a following
    movement ("utilization *at Lambda and Together AI* topped 90%", "prices *for Hopper GPUs*
    have ... ticked higher"): it names where or what, and does not take the subject away from
    its verb. It ends at an auxiliary or at the movement, within one clause."""
    a = subj[1]
    if move[0] < a or a >= len(sent.keys) or sent.keys[a] not in COMPLEMENT_PREPOSITIONS:
        return 0
    for end in range(a + 1, min(move[0], a + 2 + COMPLEMENT_WORDS) + 1):
        if end == move[0] or sent.words[end] in AUXILIARIES:
            same = sent.clause[end - 1] == sent.clause[a]
            return sent.wpos[end] - sent.wpos[a] if same else 0
    return 0


def composed(sentence: str, rule: CatalystRule, rules: CatalystRules) -> list[Composed]:
    """Every subject x movement match of ``rule.compose`` in one sentence (one per subject
    mention: its nearest movement of a mapped class; on a tie a following one, then the
    longer one)."""
    if not rule.compose:
        return []
    lex = lexicon(rules)
    sent = _prepare(sentence, lex)
    toks, clause = sent.toks, sent.clause
    # keyed by the movement's tokens: "spreads widened by 60 bp" is one move, however many
    # subjects (spreads, bp) claim it
    found: dict[tuple[int, Direction], Composed] = {}
    own = frozenset(c.subject for c in rule.compose)
    for comp in rule.compose:
        if comp.requires and not re.search(comp.requires, sentence, re.IGNORECASE):
            continue
        moves = _moves(comp.stress, comp.relief, sent, lex)
        window = rules.compose_window_words if comp.window is None else comp.window
        for subj in sent.concept_spans[comp.subject]:
            if _subordinate(subj, own, sent):
                continue
            near = [(g, m[0] < subj[0], m[0] - m[1], m, d) for m, d in moves
                    if clause[m[0]] == clause[subj[0]]
                    and 0 <= (g := _gap(subj, m, sent.wpos) - _complement(subj, m, sent))
                    <= window]
            if not near:
                continue
            *_, m, d = min(near, key=lambda x: x[:3])
            start, end = toks[min(subj[0], m[0])].start, toks[max(subj[1], m[1]) - 1].end
            old = found.get((m[0], d))
            if old is None or comp.weight > old.weight:
                found[(m[0], d)] = Composed(start, end, d, comp.weight,
                                            (toks[m[0]].start, toks[m[1] - 1].end))
    return list(found.values())


def _moves(stress: list[str], relief: list[str], sent: _Sentence,
           lex: Lexicon) -> list[tuple[Span, Direction]]:
    """Movement spans of the mapped classes (lexicon and numeric), masked idioms dropped."""
    out: list[tuple[Span, Direction]] = []
    sides: tuple[tuple[Direction, list[str]], ...] = (("stress", stress), ("relief", relief))
    for d, classes in sides:
        for c in classes:
            spans = _find(sent.keys, lex.movements[c], lex)
            spans += [s for s, cls in sent.numeric if cls == c]
            out += [(s, d) for s in spans
                    if not any(i in sent.masked for i in range(*s))
                    and not any(a <= s[0] and s[1] <= b and b - a > s[1] - s[0]
                                for a, b in sent.compounds)]
    return out
