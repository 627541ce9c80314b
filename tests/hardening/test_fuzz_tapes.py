"""Fuzz target of the tape readers and the validator (hypothesis-based, bounded in CI).

Whole tapes, valid and mutated, written in every format (YAML, CSV folder, CSV zip, XLSX,
Parquet folder) and loaded: a valid tape loads and compiles in every format; a mutated one
either loads or raises :class:`TapeError`, never anything else, and every issue names where it
is. CI runs the ``ci`` hypothesis profile (60 examples a test); ``HYPOTHESIS_PROFILE=fuzz``
runs 5,000. Each example counts towards docs/RELIABILITY.md through ``tally``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from tests.reliability_counts import Tally
from tests.tape.fixtures import write_raw_csv, write_raw_parquet, write_raw_xlsx, yaml_text

from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import TapeError
from cliffwatch.tape.load import check_tape, load_tape

from .tapes import mutated_tapes, valid_tapes

FUZZ = settings(max_examples=max(10, settings().max_examples // 3))
"""A third of the profile's examples: each one writes and loads five formats (about 0.4 s)."""


def _zip_folder(folder: Path, path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for member in sorted(folder.iterdir()):
            archive.write(member, member.name)
    return path


def write_every_format(tape: dict[str, Any], folder: Path) -> dict[str, Path]:
    """The (possibly malformed) tape as a file or folder per format, cells as given."""
    (folder / "t.yaml").write_text(yaml_text(tape))
    csv = write_raw_csv(tape, folder / "csv")
    out = {"yaml": folder / "t.yaml", "csv": csv, "zip": _zip_folder(csv, folder / "t.zip"),
           "parquet": write_raw_parquet(tape, folder / "pq")}
    from openpyxl.utils.exceptions import IllegalCharacterError

    try:
        out["xlsx"] = write_raw_xlsx(tape, folder / "t.xlsx")
    except (IllegalCharacterError, ValueError, TypeError):
        pass  # openpyxl cannot hold this cell (control characters): no workbook to read
    return out


def assert_located(error: TapeError, path: Path) -> None:
    """Every issue names a file and, below the file, a sheet; the message shows both."""
    assert error.issues
    for issue in error.issues:
        assert issue.file, issue
        assert issue.location() != "tape"
        assert str(path.name) in issue.file or issue.file.startswith(str(path)), issue
        assert issue.location() in str(issue)


@FUZZ
@given(tape=valid_tapes())
def test_fuzz_valid_tapes_load_and_compile_in_every_format(tally: Tally,
                                                           tape: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_every_format(tape, Path(tmp))
        digests = set()
        for fmt, path in paths.items():
            portfolio = load_tape(path)
            digests.add(compile_portfolio(portfolio).digest())
            tally(f"tape files fuzzed: valid ({fmt})")
    assert len(digests) == 1  # every format carries the same book


@FUZZ
@given(case=mutated_tapes())
def test_fuzz_mutated_tapes_raise_only_located_tape_errors(
        tally: Tally, case: tuple[dict[str, Any], str]) -> None:
    tape, _how = case
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, path in write_every_format(tape, Path(tmp)).items():
            tally(f"tape files fuzzed: mutated ({fmt})")
            try:
                portfolio, issues = check_tape(path)
            except TapeError as exc:
                assert_located(exc, path)
                continue
            errors = [i for i in issues if i.severity == "error"]
            if errors:
                assert_located(TapeError(errors), path)
                tally("mutated tapes rejected with located errors")
            else:
                assert portfolio is not None
                compile_portfolio(portfolio)  # whatever validates, compiles
