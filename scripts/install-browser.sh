#!/usr/bin/env bash
# Install what the dashboard's browser test (tests/test_api_browser.py) needs: Debian's chromium.
# Idempotent and quick when chromium is already there. Run as root on Debian (CI does); on other systems
# install chromium yourself, or leave it out and the browser test skips with a reason.
# The Python driver (playwright from PyPI) comes with the [dev] extra; it drives /usr/bin/chromium directly,
# so `playwright install` (which downloads a browser build) is never needed.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "install-browser: chromium already installed ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get here; install chromium at /usr/bin/chromium by hand (the browser test skips without it)" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install-browser: not root and no sudo; install chromium by hand (the browser test skips without it)" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "install-browser: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
