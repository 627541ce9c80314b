#!/bin/sh
# Render the first pages of the sample run's committee pack to docs/pack-page-N.png (README).
# Needs Debian's chromium and poppler-utils (pdftoppm).
# Usage: sh scripts/screenshot-pack.sh [PATHS]   (run from the repository root after make install)
set -eu
PATHS="${1:-1000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
.venv/bin/cliffwatch run --paths "$PATHS" --out "$WORK/out" --store "$WORK/s.duckdb" >/dev/null
PACK="$(find "$WORK/out" -name pack.pdf | head -n 1)"
pdftoppm -r 70 -png -f 1 -l 3 "$PACK" "$WORK/page"
for n in 1 2 3; do cp "$WORK/page-$n.png" "docs/pack-page-$n.png" 2>/dev/null \
    || cp "$WORK/page-0$n.png" "docs/pack-page-$n.png"; done
echo "docs/pack-page-1..3.png written from $PACK"
