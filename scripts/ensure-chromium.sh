#!/bin/sh
# Install Debian's chromium (headless report test) and chromium-driver (dashboard end-to-end
# tests, driven by selenium), only when missing.
# Never fails the build: if they cannot be installed, the browser tests skip and say why.
set -u

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

if [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "ensure-chromium: $CHROMIUM or $CHROMEDRIVER missing and no root rights; the browser tests will skip" >&2
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -q && \
       $SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver; }; then
    echo "ensure-chromium: could not install chromium/chromium-driver; the browser tests will skip" >&2
fi
exit 0
