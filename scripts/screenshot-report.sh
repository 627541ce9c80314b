#!/bin/sh
# Render the sample run's report in headless Chromium to docs/report.png (the README picture).
# Usage: sh scripts/screenshot-report.sh [PATHS]   (run from the repository root after make install)
set -eu
PATHS="${1:-1000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
.venv/bin/cliffwatch run --paths "$PATHS" --out "$WORK/out" --store "$WORK/s.duckdb" >/dev/null
REPORT="$(find "$WORK/out" -name report.html | head -n 1)"
/usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$WORK/profile" --hide-scrollbars --virtual-time-budget=15000 \
    --window-size=1400,2400 --screenshot=docs/report.png "file://$REPORT" 2>/dev/null
echo "docs/report.png written from $REPORT"
