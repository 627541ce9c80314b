"""The learned layer's model: TF-IDF of terms -> one logistic regression per label.

A label is ``<catalyst>:<direction>`` (16) or a tag (11). The terms of a text are those of
:mod:`cliffwatch.news.features`. The score of a label is

    p = sigmoid(x . w + b),   x = l2_normalise((1 + ln tf(t)) * idf(t) for t in vocabulary)

with ``tf`` the count of a term in the text (the sublinear TF-IDF of scikit-learn's
``TfidfVectorizer(sublinear_tf=True)``), ``w``, ``b`` the coefficients and intercept of a
``LogisticRegression`` fitted by :mod:`cliffwatch.news.train`. Prediction rebuilds that
vectorizer from the vocabulary and idf of ``data/news/classifier.npz`` (loaded with
``allow_pickle=False``: nothing is unpickled, nothing is downloaded) and applies the sigmoid.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer

from cliffwatch.news.errors import NewsError


def identity(doc: Sequence[str]) -> Sequence[str]:
    """The vectorizer's analyzer: a document is already its list of terms."""
    return doc


def vectorizer(vocabulary: dict[str, int] | None = None, min_df: int = 1) -> TfidfVectorizer:
    """The sublinear, L2-normalised TF-IDF of term lists (fitted in training, rebuilt from the
    vocabulary and idf when loading)."""
    return TfidfVectorizer(analyzer=identity, sublinear_tf=True, vocabulary=vocabulary,
                           min_df=min_df)


FORMAT_VERSION = 1
"""Layout of the model file; bumped when the arrays or the feature terms change."""


def default_model_path() -> Path:
    """``data/news/classifier.npz`` inside the installed package."""
    return Path(str(resources.files("cliffwatch") / "data" / "news" / "classifier.npz"))


@dataclass(frozen=True)
class Classifier:
    """A fitted model: vocabulary, idf, one linear scorer per label, thresholds, digest."""

    terms: np.ndarray
    """Vocabulary (str), sorted; a term's column is its position."""
    idf: np.ndarray
    """Inverse document frequency per term (smoothed, as scikit-learn's)."""
    coef: np.ndarray
    """Coefficients, shape (labels, terms)."""
    intercept: np.ndarray
    """Intercept per label (-inf for a label with too few training examples: never fires)."""
    labels: tuple[str, ...]
    """``catalyst:direction`` labels, then tags."""
    thresholds: np.ndarray
    """Probability at or above which a label is reported, per label."""
    c: np.ndarray
    """Inverse regularisation strength each label was fitted with."""
    digest: str
    """SHA-256 of the training items and rules files (:func:`cliffwatch.news.train.digest`)."""
    column: dict[str, int] = field(init=False, repr=False, compare=False)
    _vectorizer: TfidfVectorizer = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column", {str(t): k for k, t in enumerate(self.terms)})
        vec = vectorizer(self.column)
        vec.idf_ = self.idf
        object.__setattr__(self, "_vectorizer", vec)

    def matrix(self, docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """L2-normalised sublinear TF-IDF rows of term lists (unknown terms ignored)."""
        return sp.csr_matrix(self._vectorizer.transform(docs))

    def probabilities(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        """``sigmoid(x . w + b)``, shape (docs, labels)."""
        if not docs:
            return np.zeros((0, len(self.labels)))
        with np.errstate(invalid="ignore"):
            z = np.asarray(self.matrix(docs) @ self.coef.T) + self.intercept
        return expit(np.nan_to_num(z, nan=-np.inf))

    def index(self, label: str) -> int:
        """Row of ``label``."""
        return self.labels.index(label)


ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
"""Fixed timestamp of every array in the model file, so a refit writes identical bytes
(``np.savez_compressed`` stamps the current time)."""


def save(model: Classifier, path: Path) -> None:
    """Write ``model`` as a deflated ``.npz`` of plain arrays (no object arrays, fixed
    timestamps: bit-identical for an identical model)."""
    arrays = {
        "format_version": np.array(FORMAT_VERSION), "terms": model.terms.astype(str),
        "idf": model.idf, "coef": model.coef, "intercept": model.intercept,
        "labels": np.array(model.labels, dtype=str), "thresholds": model.thresholds,
        "c": model.c, "digest": np.array(model.digest)}
    with zipfile.ZipFile(path, "w") as z:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, buf.getvalue())


def load(path: str | Path | None = None) -> Classifier:
    """The model at ``path`` (default: the bundled one); never unpickles."""
    p = Path(path) if path is not None else default_model_path()
    return _load(str(p.resolve()), p.stat().st_mtime_ns if p.exists() else 0)


@lru_cache(maxsize=4)
def _load(path: str, _mtime_ns: int) -> Classifier:
    try:
        with np.load(path, allow_pickle=False) as z:
            if int(z["format_version"]) != FORMAT_VERSION:
                raise NewsError(f"{path}: model format {int(z['format_version'])}, expected "
                                f"{FORMAT_VERSION}: run python -m cliffwatch.news.train")
            return Classifier(
                terms=z["terms"], idf=z["idf"], coef=z["coef"], intercept=z["intercept"],
                labels=tuple(str(x) for x in z["labels"]), thresholds=z["thresholds"],
                c=z["c"], digest=str(z["digest"]))
    except (OSError, KeyError, ValueError) as exc:
        raise NewsError(f"{path}: cannot read the news classifier: {exc}") from None
